// R-PAY-01, R-PAY-09: the bank's activities (its own queue, kit/external-systems.ts). They never touch the
// database: the ledger (activities/payments/ledger.ts) records what they answer.
import { ApplicationFailure } from '@temporalio/common';
import type { TransferState } from '../../workflows/kit/payment-order';
import { BankRejectedError, type BankAdapter, type StatementLine, type TransferRequest } from './adapter';

export function createBankActivities(bank: BankAdapter) {
  return {
    /**
     * R-PAY-09: asks the bank by reference first and submits only when it has never seen it. After any doubt
     * (an answer lost after the bank accepted, a worker killed mid-call, a retry, a reset) the next attempt
     * finds the first transfer and submits nothing. The bank is idempotent by reference as well: two layers.
     */
    async bankTransfer(request: TransferRequest): Promise<TransferState> {
      return final(async () => {
        const held = await bank.transferStatus(request.reference);
        if (held.status !== 'unknown') return held;
        return bank.submitTransfer(request);
      });
    },

    /** R-PAY-09: where a transfer stands (settlement is asynchronous). */
    async bankTransferStatus(reference: string): Promise<TransferState> {
      return final(() => bank.transferStatus(reference));
    },

    /** R-PAY-06: a value date's statement (YYYY-MM-DD), for reconcilePayments (activities/payments/reconcile.ts). */
    async bankStatement(date: string): Promise<StatementLine[]> {
      return final(() => bank.statement(date));
    },
  };
}

/** The bank's refusal of a request is final whatever retry policy the caller set. */
async function final<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof BankRejectedError) {
      throw ApplicationFailure.create({ type: err.name, message: err.message, nonRetryable: true, details: [{ status: err.status, detail: err.detail }] });
    }
    throw err;
  }
}
