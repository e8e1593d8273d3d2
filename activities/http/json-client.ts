// The HTTP plumbing every external system's client shares (the agency, the bank; issue 23 "fix the kit,
// don't copy"): a JSON exchange under a bearer key with one deadline, and the problem document's words.
// What an answer means — which statuses are final — stays in each client: that is its protocol.
// A failure to get any answer (refused, reset, timed out, a stalled body) is a plain Error: transient,
// left to the activity's retry policy.

export interface JsonAnswer {
  method: string;
  path: string;
  status: number;
  ok: boolean;
  statusText: string;
  /** the body as JSON; undefined when empty or not JSON */
  json: unknown;
}

export interface JsonClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
}

export class JsonHttpClient {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;

  /** `system` names it in errors ("bank unreachable …"). */
  constructor(
    readonly system: string,
    opts: JsonClientOptions,
  ) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.apiKey = opts.apiKey;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /** Any answer the system gives, error statuses included; throws (transient) only when there is none. */
  async send(method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<JsonAnswer> {
    let res: Response;
    let text: string;
    try {
      // one deadline for the whole exchange, body included: a stalled body is as transient as a stalled connect
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
      throw new Error(`${this.system} unreachable (${method} ${path}): ${describe(err)}`, { cause: err });
    }
    return { method, path, status: res.status, ok: res.ok, statusText: res.statusText, json: parseJson(text) };
  }

  /** An error answer the client does not take as final: transient, left to the retry policy. */
  transient(answer: JsonAnswer, detail: string): Error {
    return new Error(`${this.system} answered ${answer.status} (${answer.method} ${answer.path}): ${detail}`);
  }
}

/** What an error answer says of itself: its problem document's detail or title, else the status text. */
export function problemDetail(answer: JsonAnswer, problem: { success: boolean; data?: { detail?: string; title?: string } }): string {
  return (problem.success && (problem.data?.detail ?? problem.data?.title)) || answer.statusText || 'no detail';
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
