// Issue 22 §1.7: the external systems the workflows call, one line each (the workflow side: deterministic,
// no I/O). Each gets a task queue of its own, derived from the main one, served by a worker the server
// rate-limits for it (worker.ts builds one per entry, from activities/external-systems.ts), and an activity
// proxy with its retry profile (kit/activity-proxies.ts: `external(name, scheduleToClose)`).
// To add a system: a line here, a line in activities/external-systems.ts, its client and
// activities in their own files under activities/<system>/.
import type { ActivityOptions } from '@temporalio/common';
import { workflowInfo } from '@temporalio/workflow';

export interface ExternalSystem {
  /** its queue is `<main queue>-<queueSuffix>` */
  queueSuffix: string;
  startToCloseTimeout: ActivityOptions['startToCloseTimeout'];
  /** the retry profile: its business refusals are named non-retryable (STYLE: money-transfer) */
  retry: NonNullable<ActivityOptions['retry']>;
}

export const EXTERNAL_SYSTEMS = {
  // R-APP-03 the verification agency: two HTTP calls of at most 10 s each, so a worker that dies mid-call is
  // noticed after 25 s; a pending check fails and is asked again with backoff up to an hour; a refusal is final
  agency: {
    queueSuffix: 'agency',
    startToCloseTimeout: '25 seconds',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 hour', nonRetryableErrorTypes: ['AgencyRejected'] },
  },
  // R-PAY-01 the agent bank: a transfer asks the bank first, then submits (two calls of at most 10 s), so a
  // worker that dies mid-call is noticed after 25 s; every call is idempotent by reference (R-PAY-09), so a
  // retry after any doubt is safe; backoff up to 10 minutes; the bank's refusal of a request is final
  bank: {
    queueSuffix: 'bank',
    startToCloseTimeout: '25 seconds',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: ['BankRejected'] },
  },
} as const satisfies Record<string, ExternalSystem>;

export type ExternalSystemName = keyof typeof EXTERNAL_SYSTEMS;

export function externalTaskQueue(mainTaskQueue: string, system: ExternalSystemName): string {
  return `${mainTaskQueue}-${EXTERNAL_SYSTEMS[system].queueSuffix}`;
}

/**
 * What makes an external request's idempotency key unique to this execution chain: the chain's first run
 * id. It stays the same across continue-as-new (a continued run asking for the same check finds the first
 * one) and differs for a workflow id reused by a new execution (whose check is a new one).
 */
export function executionChain(): string {
  return workflowInfo().firstExecutionRunId;
}
