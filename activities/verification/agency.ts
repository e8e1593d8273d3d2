// Client of the economic-status verification agency (R-APP-03); protocol in protocol.ts.
// Errors are classified for Temporal: a plain Error is transient and left to the retry policy, an
// AgencyRejectedError is the agency's final answer and retrying the same request cannot change it.
import type { VerificationReport, VerificationSubject } from '../../workflows/rules/types';
import { JsonHttpClient, problemDetail, type JsonClientOptions } from '../http/json-client';
import {
  checkResponseSchema,
  problemSchema,
  submitCheckResponseSchema,
  type CheckPurpose,
  type ProblemFieldError,
} from './protocol';

export type CheckResult = { status: 'pending' } | { status: 'completed'; report: VerificationReport };

export interface SubmitCheckInput {
  idempotencyKey: string;
  reference: string;
  purpose: CheckPurpose;
  subjects: VerificationSubject[];
}

export interface VerificationAgency {
  submitCheck(input: SubmitCheckInput): Promise<{ checkId: string }>;
  getCheck(checkId: string): Promise<CheckResult>;
}

export class AgencyRejectedError extends Error {
  override readonly name = 'AgencyRejectedError';
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors: ProblemFieldError[] = [],
  ) {
    super(`verification agency rejected the request (${status}): ${detail}`);
  }
}

// 408/409/425 are "try again" answers even though they are 4xx (409: the same key is still in flight).
// 401/403 are not final either: they mean our credentials are wrong (a rotated key), which an operator
// fixes; the retries then succeed and no case is lost meanwhile.
const FINAL_STATUSES = new Set([400, 404, 405, 410, 413, 415, 422]);

export class HttpVerificationAgency implements VerificationAgency {
  private readonly http: JsonHttpClient;

  constructor(opts: JsonClientOptions) {
    this.http = new JsonHttpClient('verification agency', opts);
  }

  async submitCheck(input: SubmitCheckInput): Promise<{ checkId: string }> {
    const { idempotencyKey, ...body } = input;
    const json = await this.request('POST', '/v1/checks', { 'Idempotency-Key': idempotencyKey }, body);
    const parsed = submitCheckResponseSchema.safeParse(json);
    if (!parsed.success) throw new Error(`verification agency: unexpected submit response: ${parsed.error.message}`);
    return { checkId: parsed.data.checkId };
  }

  async getCheck(checkId: string): Promise<CheckResult> {
    const json = await this.request('GET', `/v1/checks/${encodeURIComponent(checkId)}`);
    const parsed = checkResponseSchema.safeParse(json);
    if (!parsed.success) throw new Error(`verification agency: unexpected check response: ${parsed.error.message}`);
    const check = parsed.data;
    return check.status === 'completed' ? { status: 'completed', report: check.report } : { status: 'pending' };
  }

  private async request(method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<unknown> {
    const answer = await this.http.send(method, path, headers, body);
    if (answer.ok) return answer.json;
    const problem = problemSchema.safeParse(answer.json);
    const detail = problemDetail(answer, problem);
    if (FINAL_STATUSES.has(answer.status)) {
      throw new AgencyRejectedError(answer.status, detail, problem.success ? (problem.data.errors ?? []) : []);
    }
    throw this.http.transient(answer, detail);
  }
}
