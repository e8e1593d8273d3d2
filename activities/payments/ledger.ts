// R-PAY-09: the payment ledger (table `payment`), the database half of the kit's exactly-once payment
// (workflows/kit/pay-once.ts); the bank half is activities/bank/bank-activities.ts. Main queue.
// A payment row never exists without its audit entry (R-SUP-05): both are written in one transaction.
import { ApplicationFailure } from '@temporalio/common';
import type { Prisma as PrismaNs } from '@prisma/client';
import { appendAudit } from '../audit-log';
import { TRANSACTION_OPTIONS, type Prisma } from '../db';
import type { PaymentOrder, TransferState } from '../../workflows/kit/payment-order';

export type PaymentStatus = 'prepared' | 'submitted' | 'accepted' | 'paid' | 'failed';

/** What the workflow learns back: no account number (its history needs none). */
export interface LedgerPayment {
  reference: string;
  status: PaymentStatus;
  bankRef?: string;
  settledOn?: string;
  failureCode?: string;
  failureReason?: string;
}

/** Forward only: a status moves to a higher rank, and paid and failed are final. */
const RANK: Record<PaymentStatus, number> = { prepared: 0, submitted: 1, accepted: 2, paid: 3, failed: 3 };
const below = (rank: number) => (Object.keys(RANK) as PaymentStatus[]).filter((s) => RANK[s] < rank);

export const maskAccount = (no: string): string => `${'*'.repeat(Math.max(0, no.length - 4))}${no.slice(-4)}`;

type PaymentRow = PrismaNs.PaymentGetPayload<object>;

function ledgerPayment(row: PaymentRow): LedgerPayment {
  return {
    reference: row.reference,
    status: row.status as PaymentStatus,
    ...(row.bankRef ? { bankRef: row.bankRef } : {}),
    ...(row.settledOn ? { settledOn: row.settledOn.toISOString().slice(0, 10) } : {}),
    ...(row.failureCode ? { failureCode: row.failureCode, failureReason: row.failureReason ?? '' } : {}),
  };
}

/** The fields of an order the row holds, to tell the same order from another under the same reference. */
function orderFields(o: PaymentOrder) {
  return {
    purpose: o.purpose,
    workflowId: o.workflowId,
    businessId: o.businessId,
    subject: o.subject ?? null,
    jurisdiction: o.jurisdiction,
    payeeType: o.payee.type,
    payeeName: o.payee.name,
    payeeBank: o.payee.bank,
    accountNo: o.payee.accountNo,
    amountFen: o.amountFen,
    memo: o.memo,
  };
}

const auditContext = (row: { workflowId: string; businessId: string; jurisdiction: string }) => ({ workflowId: row.workflowId, caseId: row.businessId, jurisdiction: row.jurisdiction });

export function createPaymentLedgerActivities(prisma: Prisma) {
  return {
    /**
     * R-PAY-09: writes the payment as `prepared`, with its audit entry, before the bank hears of it. The same
     * order again (a retry, a replayed workflow) returns the row as it stands; another order under the same
     * reference is refused, non-retryable: one reference is one payment for ever.
     */
    async preparePayment(order: PaymentOrder): Promise<LedgerPayment> {
      const fields = orderFields(order);
      return prisma.$transaction(async (tx) => {
        // ON CONFLICT DO NOTHING: a concurrent twin waits on the first insert, then finds its row
        const { count } = await tx.payment.createMany({ data: [{ reference: order.reference, ...fields, accountMasked: maskAccount(order.payee.accountNo), status: 'prepared' }], skipDuplicates: true });
        const row = await tx.payment.findUniqueOrThrow({ where: { reference: order.reference } });
        if (count === 0) {
          const differing = (Object.keys(fields) as (keyof typeof fields)[]).filter((k) => row[k] !== fields[k]);
          if (differing.length) {
            throw ApplicationFailure.create({
              type: 'PaymentConflict',
              nonRetryable: true,
              // field names only: the values are personal data
              message: `R-PAY-09: payment ${order.reference} was prepared before with another ${differing.join(', ')}`,
              details: [{ reference: order.reference, fields: differing }],
            });
          }
          return ledgerPayment(row);
        }
        await appendAudit(
          tx,
          [
            {
              key: `payment/${order.reference}/prepared`,
              at: Date.now(),
              actor: 'system',
              action: 'payment.prepared',
              data: { reference: order.reference, purpose: order.purpose, businessId: order.businessId, amountFen: order.amountFen, payee: { type: order.payee.type, name: order.payee.name, bank: order.payee.bank, account: row.accountMasked } },
            },
          ],
          auditContext(row),
        );
        return ledgerPayment(row);
      }, TRANSACTION_OPTIONS);
    },

    /**
     * R-PAY-09: records where the bank says a transfer stands, forward only (never back from paid or failed;
     * `unknown` changes nothing), with an audit entry per status reached, in the same transaction.
     */
    async recordTransferState(reference: string, state: TransferState): Promise<LedgerPayment> {
      return prisma.$transaction(async (tx) => {
        const current = await tx.payment.findUnique({ where: { reference } });
        if (!current) throw ApplicationFailure.create({ type: 'PaymentNotPrepared', nonRetryable: true, message: `R-PAY-09: no payment ${reference} in the ledger` });
        if (state.status === 'unknown') return ledgerPayment(current);
        const data = {
          status: state.status,
          ...('bankRef' in state && state.bankRef ? { bankRef: state.bankRef } : {}),
          ...(state.status === 'paid' ? { settledOn: new Date(`${state.settledOn}T00:00:00Z`) } : {}),
          ...(state.status === 'failed' ? { failureCode: state.code, failureReason: state.reason } : {}),
        };
        // the condition makes it monotonic even against a concurrent writer
        const { count } = await tx.payment.updateMany({ where: { reference, status: { in: below(RANK[state.status]) } }, data });
        if (count === 1) {
          await appendAudit(
            tx,
            [{ key: `payment/${reference}/${state.status}`, at: Date.now(), actor: 'system', action: `payment.${state.status}`, reason: state.status === 'failed' ? state.reason : undefined, data: { reference, ...state } }],
            auditContext(current),
          );
        }
        return ledgerPayment(await tx.payment.findUniqueOrThrow({ where: { reference } }));
      }, TRANSACTION_OPTIONS);
    },
  };
}
