// R-PAY-09: the kit's exactly-once payment, what every paying kind calls (direct payments, the monthly roll).
// Deterministic workflow code: the ledger row and its audit entry first (db.preparePayment), then the bank on
// its own queue (bankTransfer asks the bank by reference before it submits), then the ledger again, and while
// the bank holds the transfer as accepted: a timer, a status call, the ledger when it changed.
// Whatever is retried, killed, reset or continued, the reference (the order's business identity, never a run
// id) names one ledger row and one transfer at the bank. Timings come from the caller's policy (R-POL).
import { msToNumber, type Duration } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, TimeoutFailure, sleep } from '@temporalio/workflow';
import { db, external } from './activity-proxies';
import type { PaymentOrder, TransferState } from './payment-order';

export interface PayOnceTimings {
  /** how long between two questions to the bank while it settles the transfer: each costs a timer and an
   *  activity in the history, so keep giveUpAfter / pollEvery small (tens, not thousands) */
  pollEvery: Duration;
  /** the longest the bank is waited for, a whole payment: each call's retries, then the settlement */
  giveUpAfter: Duration;
}

/**
 * Pays `order` once and returns where the transfer stands: `paid` or `failed` (the bank's refusal of the
 * request is `failed` with code `bank_rejected`), or `accepted` when the bank has not settled it within
 * `giveUpAfter` (the ledger keeps it accepted: a person or reconciliation takes it from there, R-PAY-06).
 * When the bank does not answer the transfer itself within `giveUpAfter`, the activity's failure is thrown and
 * the ledger row stays `prepared`; calling payOnce again with the same order is safe: it asks before it submits.
 */
export async function payOnce(order: PaymentOrder, { pollEvery, giveUpAfter }: PayOnceTimings): Promise<TransferState> {
  const deadline = Date.now() + msToNumber(giveUpAfter);
  const ledger = await db.preparePayment(order);
  // already settled (a second call, a continued run): the ledger's word, the bank is not asked again
  if (ledger.status === 'paid') return { status: 'paid', bankRef: ledger.bankRef!, settledOn: ledger.settledOn! };
  if (ledger.status === 'failed') return { status: 'failed', bankRef: ledger.bankRef, code: ledger.failureCode!, reason: ledger.failureReason ?? '' };

  let state: TransferState;
  try {
    const { reference, payee, amountFen, memo } = order;
    state = await external('bank', giveUpAfter).bankTransfer({ reference, payee, amountFen, memo });
  } catch (err) {
    // the bank refused the request itself (no transfer was made): final, recorded as failed
    if (!(err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'BankRejected')) throw err;
    state = { status: 'failed', code: 'bank_rejected', reason: err.cause.message };
  }
  await db.recordTransferState(order.reference, state);

  while (state.status === 'accepted') {
    const left = deadline - Date.now();
    if (left <= 0) break;
    await sleep(Math.min(msToNumber(pollEvery), left));
    let next: TransferState;
    try {
      next = await external('bank', Math.max(1000, deadline - Date.now())).bankTransferStatus(order.reference);
    } catch (err) {
      if (err instanceof ActivityFailure && err.cause instanceof TimeoutFailure) break; // out of time: still accepted
      throw err;
    }
    // `unknown` after an acceptance is no news (a bank's lookup lagging): keep what it said before
    if (next.status === 'unknown' || next.status === state.status) continue;
    state = next;
    await db.recordTransferState(order.reference, state);
  }
  return state;
}
