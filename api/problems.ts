// RFC 9457 problem details: every error the API returns, from one place (STYLE: no per-route try/catch).
import type { ErrorRequestHandler, Response } from 'express';
import { z } from 'zod';
import { ApplicationFailure } from '@temporalio/common';
import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ErrorType, UNSIGNED_START, fieldPath, type FailureDetails, type FieldError } from '../workflows/kit/errors';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const TYPE_BASE = 'https://jiuzhu.example.cn/problems/';

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    detail: string,
    readonly errors?: FieldError[],
    readonly extensions: Record<string, unknown> = {},
    /** e.g. Retry-After on a refusal that may pass */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }

  toJSON(): Problem {
    return { type: TYPE_BASE + this.slug, title: this.title, status: this.status, detail: this.message, ...(this.errors ? { errors: this.errors } : {}), ...this.extensions };
  }
}

export const badRequest = (detail: string, errors?: FieldError[], extensions: Record<string, unknown> = {}) =>
  new HttpProblem(400, 'invalid-request', 'The request is invalid', detail, errors, extensions);
export const unauthorized = (detail: string) => new HttpProblem(401, 'unauthorized', 'Authentication required', detail);
export const forbidden = (detail: string, errors?: FieldError[]) => new HttpProblem(403, 'forbidden', 'Not allowed', detail, errors);
export const notFound = (detail: string) => new HttpProblem(404, 'not-found', 'Not found', detail);
export const conflict = (detail: string, extensions: Record<string, unknown> = {}) => new HttpProblem(409, 'conflict', 'Conflict with the current state', detail, undefined, extensions);
export const wrongStep = (step: string, detail: string) => new HttpProblem(409, 'wrong-step', 'Not allowed in the current step', detail, undefined, { step });
export const unprocessable = (detail: string, errors?: FieldError[], extensions: Record<string, unknown> = {}) =>
  new HttpProblem(422, 'rule-violation', 'The request breaks a rule', detail, errors, extensions);
export const unavailable = (detail: string) => new HttpProblem(503, 'unavailable', 'Service temporarily unavailable', detail);
/** API4: over a rate limit; Retry-After says when the window has room again. */
export const tooManyRequests = (bucket: string, msBeforeNext: number) =>
  new HttpProblem(429, 'rate-limited', 'Too many requests', `too many requests (${bucket}): try again later`, undefined, {}, { 'Retry-After': String(Math.max(1, Math.ceil(msBeforeNext / 1000))) });
/** A request with this Idempotency-Key is still running: ask again later; never stored as the answer. */
export const stillProcessing = (retryAfterSec: number) =>
  new HttpProblem(409, 'in-progress', 'Still being processed', 'a request with this Idempotency-Key is still being processed: repeat it after Retry-After', undefined, {}, {
    'Retry-After': String(Math.max(1, Math.ceil(retryAfterSec))),
  });

/** zod issues as API field errors: `household.members[0].idNumber` (prefixed with `query.`/`path.` outside the body). */
export function fieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => ({
    path: prefix + fieldPath(issue.path) || prefix.replace(/\.$/, '') || '(body)',
    message: issue.message,
  }));
}

/** A refusal from a workflow's update (validator or handler) as an HTTP problem. */
export function fromWorkflowFailure(err: unknown): HttpProblem | undefined {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return unavailable('the case did not answer in time (is the worker running?); repeat the request with the same Idempotency-Key');
  }
  if (err instanceof WorkflowNotFoundError) return conflict('the case is no longer running');
  if (err instanceof ServiceError) {
    // the message names Temporal's address: the log keeps it, the caller gets none of it (issue 21 §5.7)
    console.warn(`Temporal did not answer: ${err.message}`);
    return unavailable('the case service did not answer; repeat the request (with the same Idempotency-Key)');
  }
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (!(cause instanceof ApplicationFailure)) return undefined;
  const d = (cause.details?.[0] ?? {}) as FailureDetails;
  const rule = d.rule ? { rule: d.rule } : {};
  switch (cause.type) {
    case ErrorType.WrongStep:
      return wrongStep(d.step ?? 'unknown', cause.message);
    case ErrorType.Forbidden:
      return new HttpProblem(403, 'forbidden', 'Not allowed', cause.message, undefined, rule);
    case ErrorType.RuleViolation:
      return unprocessable(cause.message, d.errors, rule);
    case ErrorType.Conflict:
      return conflict(cause.message, d.existing ? { existing: d.existing } : {});
    case UNSIGNED_START:
      // issue 22 §1.3: the workers refused the API's own signature of a start: its key is not in their
      // ring (ACTOR_VERIFY_KEYS), a fault of this deployment, not of the request
      console.error(`the workflow refused this API's start signature: ${cause.message}`);
      return unavailable('the case service refused this API\'s signing key (ACTOR_SIGNING_KEY is not among the workers\' ACTOR_VERIFY_KEYS); nothing was started');
    default:
      return undefined;
  }
}

export function sendProblem(res: Response, p: HttpProblem): void {
  res.set(p.headers);
  res.status(p.status).type('application/problem+json').send(JSON.stringify(p.toJSON()));
}

export const problemHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof HttpProblem) return sendProblem(res, err);
  const fromWorkflow = fromWorkflowFailure(err);
  if (fromWorkflow) return sendProblem(res, fromWorkflow);
  // body-parser's own errors: malformed JSON, too large, wrong charset
  const status = (err as { status?: number; type?: string }).status;
  if ((err as { type?: string }).type === 'entity.parse.failed') return sendProblem(res, badRequest(`malformed JSON: ${(err as Error).message}`));
  if (status && status >= 400 && status < 500) return sendProblem(res, new HttpProblem(status, 'invalid-request', 'The request is invalid', (err as Error).message));
  console.error(`${req.method} ${req.path} failed:`, err);
  sendProblem(res, new HttpProblem(500, 'internal', 'Internal error', 'an unexpected error occurred; it has been logged'));
};
