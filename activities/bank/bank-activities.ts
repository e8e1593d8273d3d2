// R-PAY-01, R-PAY-09: the bank's activities (its own queue, kit/external-systems.ts). They never touch the
// database: the ledger (activities/payments/ledger.ts) records what they answer.
import { ApplicationFailure } from '@temporalio/common';
import type { TransferState } from '../../workflows/kit/payment-order';
import { BankReferenceConflictError, BankRejectedError, type BankAdapter, type StatementLine, type TransferRequest } from './adapter';

export function createBankActivities(bank: BankAdapter) {
  return {
    /**
     * R-PAY-09: asks the bank by reference first and submits only when it has never seen it. After any doubt
     * (an answer lost after the bank accepted, a worker killed mid-call, a retry, a reset) the next attempt
     * finds the first transfer and submits nothing. The bank is idempotent by reference as well: two layers.
     * Only a refusal of the *submission* of a reference the bank does not hold is final (BankRejected): a
     * refused lookup proves nothing about the transfer, so it is retried.
     */
    async bankTransfer(request: TransferRequest): Promise<TransferState> {
      const held = await lookup(bank, request.reference);
      if (held.status !== 'unknown') return held;
      try {
        return await bank.submitTransfer(request);
      } catch (err) {
        if (err instanceof BankReferenceConflictError) throw conflictFailure(err);
        if (!(err instanceof BankRejectedError)) throw err;
        // refused: final only if the bank still holds nothing under the reference (a racing attempt may have landed)
        const after = await lookup(bank, request.reference);
        if (after.status !== 'unknown') return after;
        throw rejectedFailure(err);
      }
    },

    /** R-PAY-09: where a transfer stands (settlement is asynchronous); a refused lookup is retried, never final. */
    async bankTransferStatus(reference: string): Promise<TransferState> {
      return lookup(bank, reference);
    },

    /** R-PAY-06: a value date's statement (YYYY-MM-DD), for reconcilePayments (activities/payments/reconcile.ts). */
    async bankStatement(date: string): Promise<StatementLine[]> {
      try {
        return await bank.statement(date);
      } catch (err) {
        throw err instanceof BankRejectedError ? rejectedFailure(err) : err;
      }
    },
  };
}

/**
 * R-PAY-09: a 4xx to GET /v1/transfers/{reference} (the bank or a proxy in front of it) says nothing of the
 * transfer: the bank may hold it, accepted on an attempt whose answer was lost. Read as final it would record
 * the payment failed and pay a new line: twice. So it is a transient error, left to the retry policy.
 */
async function lookup(bank: BankAdapter, reference: string): Promise<TransferState> {
  try {
    return await bank.transferStatus(reference);
  } catch (err) {
    if (err instanceof BankRejectedError) throw new Error(`the bank refused the lookup of ${reference} (${err.status}): ${err.detail}; asked again`, { cause: err });
    throw err;
  }
}

/** The bank's refusal of a submission it does not hold: final whatever retry policy the caller set. */
function rejectedFailure(err: BankRejectedError): ApplicationFailure {
  return ApplicationFailure.create({ type: err.name, message: err.message, nonRetryable: true, details: [{ status: err.status, detail: err.detail }] });
}

/** Never `failed` (the bank may hold a transfer under it), never retried: the payment goes to a person. */
function conflictFailure(err: BankReferenceConflictError): ApplicationFailure {
  return ApplicationFailure.create({ type: err.name, message: err.message, nonRetryable: true, details: [{ reference: err.reference, detail: err.detail }] });
}
