// Business refusals raised by workflows and activities. Each is final (never retried); the API maps the
// type to an HTTP status (api/problems.ts).
import { ApplicationFailure } from '@temporalio/common';

export const ErrorType = {
  /** the command is not allowed in the case's current step → 409 */
  WrongStep: 'WrongStep',
  /** the caller may not give this command on this case (role, delegation, own recusal) → 403 */
  Forbidden: 'Forbidden',
  /** the command breaks a rule of DOMAIN.md → 422 */
  RuleViolation: 'RuleViolation',
  /** the request contradicts existing records (duplicate application, already a recipient) → 409 */
  Conflict: 'Conflict',
} as const;

/** Issue 22 §1.3: a start nobody trusted signed; the run fails with it at once (kit/start-signature.ts) → 503 at the API, its own key being refused */
export const UNSIGNED_START = 'UnsignedStart';

export interface FieldError {
  path: string;
  message: string;
}

export interface FailureDetails {
  rule?: string;
  step?: string;
  errors?: FieldError[];
  existing?: string;
}

function fail(type: string, message: string, details: FailureDetails): ApplicationFailure {
  return ApplicationFailure.create({ type, message, details: [details], nonRetryable: true });
}

export const wrongStep = (step: string, command: string) =>
  fail(ErrorType.WrongStep, `${command} is not allowed while the case is in step ${step}`, { step });
export const forbidden = (message: string, rule?: string) => fail(ErrorType.Forbidden, message, { rule });
export const ruleViolation = (rule: string, message: string, errors?: FieldError[]) =>
  fail(ErrorType.RuleViolation, `${rule}: ${message}`, { rule, errors });
export const conflict = (message: string, existing?: string) => fail(ErrorType.Conflict, message, { existing });
/**
 * Issue 22 §1.2 (API1): the command with this Update id was applied already (before a continue-as-new or a
 * reset): 409, as a request that contradicts the case's records, naming the applied command
 */
export const duplicateCommand = (updateId: string, appliedAt: number) =>
  fail(ErrorType.Conflict, `API1: duplicate command: update ${updateId} was applied at ${new Date(appliedAt).toISOString()}`, { rule: 'API1', existing: updateId });

/** A zod issue path as an API field path: `household.members[0].idNumber` (one format for the API and the workflow). */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : p ? `${p}.${String(k)}` : String(k)), '');
}

/** Issue 16 API1: a command whose payload fails its schema (an Update that bypassed the API) → 422 naming each field. */
export const invalidPayload = (command: string, errors: FieldError[]) =>
  fail(ErrorType.RuleViolation, `API1: ${command}: the payload is invalid: ${errors.slice(0, 5).map((e) => `${e.path || '(body)'} ${e.message}`).join('; ')}`, { rule: 'API1', errors });
