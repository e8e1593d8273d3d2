// Client of the agent bank (R-PAY-01); protocol in protocol.ts. Errors are classified for Temporal as the
// agency's client does: a plain Error is transient and left to the retry policy, a BankRejectedError is the
// bank's final refusal of the request (bank-activities.ts decides when it is final: never for a lookup), a
// BankReferenceConflictError the submission's 422 (another transfer under the reference). A timeout is transient even on a submission: the bank may hold the
// transfer, and the next attempt asks it first (bank-activities.ts, R-PAY-09).
import type { TransferState } from '../../workflows/kit/payment-order';
import { JsonHttpClient, problemDetail, type JsonClientOptions } from '../http/json-client';
import { BankReferenceConflictError, BankRejectedError, type BankAdapter, type BatchLine, type StatementLine, type TransferRequest } from './adapter';
import {
  batchAcceptedSchema,
  batchStatusSchema,
  problemSchema,
  statementSchema,
  toTransferState,
  transferSchema,
  UNKNOWN_TRANSFER,
  type Transfer,
} from './protocol';

// 408/409/425 mean "try again"; 401/403 mean our credentials are wrong (a rotated key), which an operator
// fixes while the retries wait: no payment is lost meanwhile.
const FINAL_STATUSES = new Set([400, 404, 405, 410, 413, 415, 422]);

export class HttpBank implements BankAdapter {
  private readonly http: JsonHttpClient;

  constructor(opts: JsonClientOptions) {
    this.http = new JsonHttpClient('bank', opts);
  }

  async submitTransfer(request: TransferRequest): Promise<TransferState> {
    const { reference, payee, amountFen, memo } = request;
    const body = { reference, payee: { type: payee.type, name: payee.name, bank: payee.bank, accountNo: payee.accountNo }, amountFen, memo };
    let res;
    try {
      res = await this.request('POST', '/v1/transfers', { 'Idempotency-Key': reference }, body);
    } catch (err) {
      // R-PAY-09: the protocol's 422 here says the bank holds the reference with another body: not a refusal of ours
      if (err instanceof BankRejectedError && err.status === 422) throw new BankReferenceConflictError(reference, err.detail);
      throw err;
    }
    return toTransferState(asked(reference, parse(transferSchema, res.json, 'transfer')));
  }

  async transferStatus(reference: string): Promise<TransferState> {
    const res = await this.request('GET', `/v1/transfers/${encodeURIComponent(reference)}`, {}, undefined, (status) => status === 404);
    if (res.status === 404) {
      // only the bank's own "never received" is unknown: a 404 from a misrouted proxy must not lead to a submission
      if (isUnknownTransfer(res.json)) return { status: 'unknown' };
      throw new Error(`bank answered 404 for transfer ${reference} without saying it is unknown (a proxy or a wrong BANK_URL?)`);
    }
    return toTransferState(asked(reference, parse(transferSchema, res.json, 'transfer')));
  }

  async submitBatch(batch: { batchId: string; lines: BatchLine[] }): Promise<{ batchId: string; accepted: number }> {
    const res = await this.request('POST', '/v1/batches', { 'Idempotency-Key': batch.batchId }, batch);
    return parse(batchAcceptedSchema, res.json, 'batch');
  }

  async batchStatus(batchId: string) {
    const res = await this.request('GET', `/v1/batches/${encodeURIComponent(batchId)}`);
    const b = parse(batchStatusSchema, res.json, 'batch status');
    return { batchId: b.batchId, lines: b.lines.map((l) => ({ lineId: l.lineId, reference: l.reference, state: toTransferState(l.transfer) })) };
  }

  async statement(date: string): Promise<StatementLine[]> {
    const res = await this.request('GET', `/v1/statements/${encodeURIComponent(date)}`);
    return parse(statementSchema, res.json, 'statement').lines;
  }

  /** `answers`: a non-2xx response that is an answer of the protocol, not an error (404 unknown transfer). */
  private async request(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: unknown,
    answers: (status: number, json: unknown) => boolean = () => false,
  ): Promise<{ status: number; json: unknown }> {
    const answer = await this.http.send(method, path, headers, body);
    if (answer.ok || answers(answer.status, answer.json)) return { status: answer.status, json: answer.json };

    const detail = problemDetail(answer, problemSchema.safeParse(answer.json));
    if (FINAL_STATUSES.has(answer.status)) throw new BankRejectedError(answer.status, detail);
    throw this.http.transient(answer, detail);
  }
}

/** R-PAY-09: an answer about another transfer (a proxy's cache, a bank bug) must never be recorded as ours: asked again. */
function asked(reference: string, t: Transfer): Transfer {
  if (t.reference !== reference) throw new Error(`bank answered for transfer ${t.reference} when asked for ${reference}`);
  return t;
}

function isUnknownTransfer(json: unknown): boolean {
  const problem = problemSchema.safeParse(json);
  return problem.success && problem.data.type === UNKNOWN_TRANSFER;
}

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: Error } }, json: unknown, what: string): T {
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`bank: unexpected ${what} response: ${parsed.error.message}`);
  return parsed.data;
}
