// Client of the economic-status verification agency (R-APP-03); protocol in protocol.ts.
// Errors are classified for Temporal: a plain Error is transient and left to the retry policy, an
// AgencyRejectedError is the agency's final answer and retrying the same request cannot change it.
import type { VerificationReport, VerificationSubject } from '../../workflows/rules/types';
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
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;

  constructor(opts: { baseUrl: string; apiKey: string; timeoutMs?: number }) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.apiKey = opts.apiKey;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
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
    let res: Response;
    let text: string;
    try {
      // One deadline for the whole exchange, body included: a stalled body is as transient as a stalled connect.
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.apiKey}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      throw new Error(`verification agency unreachable (${method} ${path}): ${describe(err)}`, { cause: err });
    }
    const json = parseJson(text);
    if (res.ok) return json;

    const problem = problemSchema.safeParse(json);
    const detail = (problem.success && (problem.data.detail ?? problem.data.title)) || res.statusText || 'no detail';
    if (FINAL_STATUSES.has(res.status)) {
      throw new AgencyRejectedError(res.status, detail, problem.success ? (problem.data.errors ?? []) : []);
    }
    throw new Error(`verification agency answered ${res.status} (${method} ${path}): ${detail}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describe(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return 'timed out';
  if (err instanceof Error) return err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message;
  return String(err);
}
