// Activity stubs, one per retry profile (STYLE: saga). Activities are imported as types only.
import type { Duration } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { ErrorType } from './errors';
import { agencyTaskQueue } from './task-queues';

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

/**
 * The verification agency, on its own rate-limited queue. A check's activity fails while the check is
 * pending and Temporal retries it with backoff, so a check that takes a week costs three history events,
 * not a loop of timers; after `scheduleToClose` the wait ends with a timeout and the case goes to a
 * person. A refusal of the request is final.
 */
export function agency(scheduleToClose: Duration) {
  return proxyActivities<Activities>({
    taskQueue: agencyTaskQueue(workflowInfo().taskQueue),
    // two HTTP calls of at most 10 s each: a worker that dies mid-call is noticed after 25 s, not a minute
    startToCloseTimeout: '25 seconds',
    scheduleToCloseTimeout: scheduleToClose,
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 hour', nonRetryableErrorTypes: ['AgencyRejected'] },
  });
}
