// A client as the contract wants it (issue 16): each request keeps its own Idempotency-Key and body, and is
// repeated while the answer allows it (none, 503, 429, "still being processed"), honouring Retry-After.
// Every attempt's answer is kept, so a test can say what the first attempts got and what the retries got.
import crypto from 'node:crypto';
import type { HttpResult, client as httpClient } from './http';
import type { applicationBody } from './people';

export interface Req {
  name: string;
  kind: 'intake' | 'investigation' | 'township_review' | 'materials' | 'approval';
  caseId?: string;
  /** the household's head, for intakes */
  head?: string;
  path: string;
  token: string;
  body: unknown;
  key: string;
  /** every attempt's answer, in order (a connection error is status 0) */
  answers: HttpResult[];
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const ok = (r: HttpResult | undefined) => r !== undefined && r.status >= 200 && r.status < 300;
export const last = (r: Req) => r.answers[r.answers.length - 1];

/** What the contract allows a client to repeat: not answered, 503, 429, or "still being processed". */
function repeatable(res: HttpResult): boolean {
  return res.status === 0 || res.status === 503 || res.status === 429 || (res.status === 409 && /in-progress$/.test(res.body?.type ?? ''));
}

/** `send` and `untilAnswered` through the API `http()` names at the time (a restarted API keeps its port). */
export function retrying(http: () => ReturnType<typeof httpClient>) {
  async function send(r: Req): Promise<HttpResult> {
    let res: HttpResult;
    try {
      res = await http().request('POST', r.path, { token: r.token, body: r.body, headers: { 'Idempotency-Key': r.key } });
    } catch (err) {
      res = { status: 0, type: '', headers: new Headers(), body: String((err as Error).cause ?? err) };
    }
    r.answers.push(res);
    return res;
  }
  /** Repeats `r` with its own key and body until it is answered 2xx, honouring Retry-After; a final refusal ends it. */
  async function untilAnswered(r: Req, deadline: number): Promise<void> {
    while (!ok(last(r)) && repeatable(last(r)) && Date.now() < deadline) {
      const retryAfter = Number(last(r).headers.get('retry-after'));
      await sleep(retryAfter > 0 ? retryAfter * 1000 : 500);
      await send(r);
    }
  }
  return { send, untilAnswered };
}

export const intakeReq = (client: { token: string }, body: ReturnType<typeof applicationBody>, name: string): Req => ({
  name,
  kind: 'intake',
  head: body.household.members[0].idNumber,
  path: '/v1/applications',
  token: client.token,
  body,
  key: `${name}-${crypto.randomUUID()}`,
  answers: [],
});

export function countBy(xs: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
