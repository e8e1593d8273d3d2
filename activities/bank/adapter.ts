// The agent bank (代发银行, R-PAY-01): what jiuzhu asks of it, whatever bank a county uses. The HTTP client
// (http-bank.ts) speaks the protocol in protocol.ts; the sandbox bank (sandbox-bank.ts) serves the same
// protocol for development and tests. Every call is idempotent by reference (R-PAY-09): submitting a
// reference the bank already holds returns what it holds, never a second transfer.
import type { PaymentOrder, TransferState } from '../../workflows/kit/payment-order';

export type TransferRequest = Pick<PaymentOrder, 'reference' | 'payee' | 'amountFen' | 'memo'>;

export interface BatchLine extends TransferRequest {
  lineId: string;
}

export interface StatementLine {
  reference: string;
  bankRef: string;
  amountFen: number;
  /** paid | returned */
  status: 'paid' | 'returned';
  /** YYYY-MM-DD, China time */
  valueDate: string;
}

export interface BankAdapter {
  /** Submits one transfer (Idempotency-Key = reference). A reference the bank already holds answers its state. */
  submitTransfer(request: TransferRequest): Promise<TransferState>;
  /** What the bank holds for a reference; `unknown` when it never received it. */
  transferStatus(reference: string): Promise<TransferState>;
  /** A batch file (the monthly roll): idempotent by batch id; lines settle asynchronously. */
  submitBatch(batch: { batchId: string; lines: BatchLine[] }): Promise<{ batchId: string; accepted: number }>;
  batchStatus(batchId: string): Promise<{ batchId: string; lines: Array<{ lineId: string; reference: string; state: TransferState }> }>;
  /** The day's statement (对账, R-PAY-06). */
  statement(date: string): Promise<StatementLine[]>;
}

/** The bank's final refusal of a request (not of a transfer's settlement): retrying it cannot help. */
export class BankRejectedError extends Error {
  override readonly name = 'BankRejected';
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`bank rejected the request (${status}): ${detail}`);
  }
}

/**
 * R-PAY-09: the bank holds a transfer under this reference with another body (POST /v1/transfers 422). It is
 * never a refusal of *our* transfer: the bank may have accepted one under the reference, so recording the
 * payment failed (and paying a new line) could pay twice. Retrying cannot help either: a person must look.
 */
export class BankReferenceConflictError extends Error {
  override readonly name = 'BankReferenceConflict';
  constructor(
    readonly reference: string,
    readonly detail: string,
  ) {
    super(`the bank holds another transfer under reference ${reference}: ${detail}`);
  }
}
