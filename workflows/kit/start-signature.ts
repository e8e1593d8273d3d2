// Issue 22 §1.3: every start is signed, and nothing acts on an unsigned one. A kind's workflow calls
// `verifyStart(kind, input)` first thing, before any activity, timer, lock or projection: a start that
// the API (or the scheduler, or a system intake) did not sign for this workflow type, this workflow id
// and exactly this input ends the run at once, failed with the non-retryable `UnsignedStart`, nothing
// done. Keys are the ring of signed commands (kit/command-signature.ts), baked into the bundle.
import { ApplicationFailure } from '@temporalio/common';
import { patched, setDefaultUpdateHandler, workflowInfo, type WorkflowInfo } from '@temporalio/workflow';
import type { CommandAuth } from './command-statement';
import { ringKey, verifySignature } from './command-signature';
import { startStatement } from './start-statement';
import { UNSIGNED_START } from './errors';

export { UNSIGNED_START };

/**
 * The refusal; an Update sent with the start (update-with-start: the intake's receipt) is answered with it
 * too, so its sender learns why instead of "no handler" (the kind registers its handlers only after).
 */
function unsigned(message: string): ApplicationFailure {
  const failure = ApplicationFailure.create({ type: UNSIGNED_START, message: `API1: ${message}`, nonRetryable: true, details: [{ rule: 'API1' }] });
  setDefaultUpdateHandler(() => {
    throw failure;
  });
  return failure;
}

// A Schedule names its runs `<action workflow id>-<scheduled time, RFC 3339 UTC>` (PLATFORM.md): its
// action was signed once, when the schedule was written, for the action's id
const SCHEDULED_SUFFIX = /-\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** The workflow id a start's signature names: the run's own, or for a run a Schedule started, the action's. */
export function signedWorkflowId(info: Pick<WorkflowInfo, 'workflowId' | 'searchAttributes'>): string {
  const scheduled = info.searchAttributes?.TemporalScheduledById !== undefined;
  return scheduled ? info.workflowId.replace(SCHEDULED_SUFFIX, '') : info.workflowId;
}

// The verdict is recorded, not re-derived on replay: the ring a worker holds changes (a key rotated out),
// and a start accepted once must replay as accepted. A refusal records this marker (patched() as a recorded
// boolean: true where first run, true on replay exactly when the history holds it).
const REFUSED = 'unsigned-start';

/**
 * Throws `UnsignedStart` unless `input.auth` is a signature of a ring key over this workflow type (`kind`),
 * id and input. A run continued as new is not checked again: only the workflow itself writes its next
 * input (the first run of the chain was checked). A retried or reset run replays its first input, signed.
 */
export function verifyStart(kind: string, input: unknown): void {
  const info = workflowInfo();
  if (info.continuedFromExecutionRunId !== undefined) return;
  if (info.unsafe.isReplaying) {
    if (patched(REFUSED)) throw unsigned(`the start of ${kind} ${info.workflowId} was refused`);
    return;
  }
  const refusal = startRefusal(kind, input, info);
  if (refusal !== undefined) {
    patched(REFUSED);
    throw unsigned(refusal);
  }
}

/** Why the start is not signed for this run, or undefined when it is. */
function startRefusal(kind: string, input: unknown, info: WorkflowInfo): string | undefined {
  if (info.workflowType !== kind) return `workflow ${info.workflowType} verified as ${kind}`;
  const auth = (input as { auth?: Partial<CommandAuth> } | null | undefined)?.auth;
  if (!auth || typeof auth !== 'object' || typeof auth.keyId !== 'string' || typeof auth.signature !== 'string' || typeof auth.issuedAt !== 'number') {
    return `the start of ${kind} ${info.workflowId} is not signed`;
  }
  const key = ringKey(auth.keyId);
  if (!key) return `the start of ${kind} ${info.workflowId} is signed with an unknown key ${JSON.stringify(auth.keyId)}`;
  const statement = startStatement({ workflowType: kind, workflowId: signedWorkflowId(info) }, input as object, { keyId: auth.keyId, issuedAt: auth.issuedAt }, key.suite);
  return verifySignature(key, statement, auth.signature) ? undefined : `the start's signature does not match ${kind} ${info.workflowId} and its input`;
}
