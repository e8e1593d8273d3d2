// Activity stubs, one per retry profile (STYLE: saga). Activities are imported as types only.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { ErrorType } from '../kit/errors';

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

/** The verification agency: slower, and a refusal of the request is final. */
export const agency = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: ['AgencyRejected'],
  },
});
