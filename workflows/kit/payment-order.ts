// R-PAY-09: what every paying kind (direct payments now, the monthly roll next) hands to the kit's
// exactly-once payment (kit/pay-once.ts). Types only: workflow-safe, shared with the activities.
//
// The reference is the payment's business identity (what it pays for and its line), never a run id: a
// retried activity, a restarted worker, a reset or a continued run all name the same transfer, and the
// bank (idempotent by reference) and our ledger (unique by reference) both see one payment.

/** R-DIR-01/02, R-PAY-01: who receives the money. Never cash, never a person's or a staff member's account
 *  for a direct payment (the kind's guards check that before an order exists). */
export interface Payee {
  type: 'undertaker' | 'institution' | 'hospital' | 'recipient';
  name: string;
  bank: string;
  accountNo: string;
}

export interface PaymentOrder {
  /** `<business id>/<line>`, e.g. `direct-payment-<paymentId>/1`: unique for ever */
  reference: string;
  /** funeral | medical | monthly */
  purpose: string;
  workflowId: string;
  /** the kind's record it belongs to (a direct payment's id, a roll's id) */
  businessId: string;
  /** the person or household paid for (a household id or a recipient's masked name, never an ID number) */
  subject?: string;
  /** village, township or county code: who may see it */
  jurisdiction: string;
  payee: Payee;
  amountFen: number;
  /** the bank statement's memo line */
  memo: string;
}

/** Where a transfer stands at the bank, as our ledger records it. */
export type TransferState =
  /** the bank has never seen the reference (only before a first submission could have reached it) */
  | { status: 'unknown' }
  /** accepted, settlement pending (asynchronous) */
  | { status: 'accepted'; bankRef: string }
  | { status: 'paid'; bankRef: string; settledOn: string }
  /** final: the bank refused or returned it (`code` e.g. account_rejected, account_closed, name_mismatch) */
  | { status: 'failed'; bankRef?: string; code: string; reason: string };
