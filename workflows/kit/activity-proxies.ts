// Activity stubs, one per retry profile (STYLE: saga). Activities are imported as types only.
import type { Duration } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { ErrorType } from './errors';
import { EXTERNAL_SYSTEMS, externalTaskQueue, type ExternalSystemName } from './external-systems';

/** PostgreSQL: retried until it answers (a case must never be lost to a database restart). */
export const db = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: Object.values(ErrorType),
  },
});

/** An external system (kit/external-systems.ts), on its own rate-limited queue, with its retry profile. */
export function external(system: ExternalSystemName, scheduleToClose: Duration) {
  const { startToCloseTimeout, retry } = EXTERNAL_SYSTEMS[system];
  return proxyActivities<Activities>({
    taskQueue: externalTaskQueue(workflowInfo().taskQueue, system),
    startToCloseTimeout,
    scheduleToCloseTimeout: scheduleToClose,
    retry: { ...retry, nonRetryableErrorTypes: [...retry.nonRetryableErrorTypes] },
  });
}

/**
 * The verification agency. A check's activity fails while the check is pending and Temporal retries it
 * with backoff, so a check that takes a week costs three history events, not a loop of timers; after
 * `scheduleToClose` the wait ends with a timeout and the case goes to a person. A refusal is final.
 */
export function agency(scheduleToClose: Duration) {
  return external('agency', scheduleToClose);
}
