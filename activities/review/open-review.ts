// R-REV-04, R-REV-05: opening a review now, for a household whose reported change (R-REV-03) or a partner's
// alert calls for one. Starts the workflow type `review` under a business id derived from what opened it,
// so a repeat (a retried activity, an alert posted again) opens nothing new: Temporal refuses the duplicate
// id (REJECT_DUPLICATE also refuses one that has closed) and "already started" counts as opened.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { activityClient } from '../application/case-locks';
import { startSignerFromEnv, type StartSigner } from '../crypto/start-signing';

export interface OpenReviewInput {
  householdId: string;
  countyCode: string;
  /** the month the review stands for (YYYY-MM): the report's month, or the month the alert's event occurred */
  period: string;
  reason: 'change_report' | 'alert';
  /** what opened it, stable across repeats: a fingerprint of the reported changes, a hash of the alert */
  sourceId: string;
  detail: Record<string, unknown>;
}

export interface OpenedReview {
  workflowId: string;
  /** false: the same review was opened before */
  started: boolean;
}

/** The review workflow's input (the review workflow itself comes with the recheck cycle). */
export interface ReviewStart {
  householdId: string;
  countyCode: string;
  period: string;
  reason: OpenReviewInput['reason'];
  trigger: { sourceId: string; detail: Record<string, unknown> };
}

export const reviewWorkflowId = (i: Pick<OpenReviewInput, 'householdId' | 'reason' | 'sourceId'>) => `review-${i.householdId}-${i.reason === 'alert' ? 'alert' : 'report'}-${i.sourceId}`;

/** Issue 22 §1.3: `signer` signs the start (the API's for an alert, the worker's for a change report). */
export async function openReview(client: Client, taskQueue: string, input: OpenReviewInput, signer: StartSigner): Promise<OpenedReview> {
  const workflowId = reviewWorkflowId(input);
  const start: ReviewStart = { householdId: input.householdId, countyCode: input.countyCode, period: input.period, reason: input.reason, trigger: { sourceId: input.sourceId, detail: input.detail } };
  const args = [signer.sign({ workflowType: 'review', workflowId }, start)];
  try {
    await client.workflow.start('review', { taskQueue, workflowId, args, workflowIdReusePolicy: 'REJECT_DUPLICATE' });
    return { workflowId, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw err; // Temporal unreachable: retried
  }
}

/** The activity: on the worker's own client, on the calling workflow's task queue. */
export function createReviewOpeningActivities(client: () => Client | undefined = activityClient, signer?: StartSigner) {
  let signs = signer; // read at the first opening: START_SIGNING_KEY, else ACTOR_SIGNING_KEY
  return {
    async openReview(input: OpenReviewInput & { taskQueue: string }): Promise<OpenedReview> {
      const c = client();
      if (!c) throw new Error('openReview: no Temporal client in this context');
      const { taskQueue, ...rest } = input;
      signs ??= startSignerFromEnv();
      return openReview(c, taskQueue, rest, signs);
    },
  };
}
