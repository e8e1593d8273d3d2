// R-REV-06: one page of a recheck cycle: the county's households due in the period, in keyset order
// (county_code, next_review_on, household_id: the roster's index household_county_code_next_review_on_
// household_id_idx), and one `review` workflow started for each under its business id. "Already started"
// is success: a re-fired, backfilled or overlapping cycle, or a retried page, never starts a review twice.
//
// Due (kept simple, issue 22 §2.3): an active household of the county whose next_review_on is on or
// before the period's last day. One that was due earlier and not yet reviewed is still due: it gets this
// period's review (the review workflow moves next_review_on on).
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { Prisma as PrismaNs } from '@prisma/client';
import type { Prisma } from '../db';
import { COUNTY, KIND } from '../../workflows/kit/search-attributes';
import type { DueCursor } from '../../workflows/review/cycle-messages';
import { lastDayOfPeriod } from '../../workflows/review/period';
import { REVIEW_WORKFLOW_TYPE, reviewStartInput, reviewWorkflowId } from '../../workflows/review/start-input';
import { startSignerFromEnv, type StartSigner } from '../crypto/start-signing';

export interface DuePageInput {
  countyCode: string;
  period: string;
  after: DueCursor | null;
  limit: number;
  /** review starts in flight at once; default 10 */
  concurrency?: number;
}

export interface DuePageResult {
  started: number;
  alreadyStarted: number;
  /** the page's last household: where the next page starts (null: the page was empty) */
  last: DueCursor | null;
  /** fewer than `limit` households: nothing is left after this page */
  done: boolean;
}

/** Keyset page of the households due in the period (row comparison, so the index serves it). */
export async function dueHouseholds(prisma: Prisma, o: { countyCode: string; period: string; after: DueCursor | null; limit: number }): Promise<DueCursor[]> {
  const after = o.after ? PrismaNs.sql`AND (next_review_on, household_id) > (${o.after.nextReviewOn}::date, ${o.after.householdId})` : PrismaNs.empty;
  const rows = await prisma.$queryRaw<{ household_id: string; next_review_on: Date }[]>`
    SELECT household_id, next_review_on FROM household
    WHERE county_code = ${o.countyCode} AND status = 'active' AND next_review_on <= ${lastDayOfPeriod(o.period)}::date ${after}
      -- a household whose review is still open (last month's, a report's) is not reviewed twice at once
      AND NOT EXISTS (SELECT 1 FROM review r WHERE r.household_id = household.household_id AND r.status = 'open')
    ORDER BY next_review_on, household_id
    LIMIT ${o.limit}`;
  return rows.map((r) => ({ householdId: r.household_id, nextReviewOn: r.next_review_on.toISOString().slice(0, 10) }));
}

/** Runs `fn` over `items`, at most `limit` at once. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

export function createReviewCycleActivities(prisma: Prisma, temporal?: () => Client | undefined, signer?: StartSigner) {
  // issue 22 §1.3: the scheduler's signer (START_SIGNING_KEY, else ACTOR_SIGNING_KEY), read at the first page
  let signs = signer;
  return {
    async startDueReviews(input: DuePageInput): Promise<DuePageResult> {
      const ctx = Context.current();
      const client = temporal?.() ?? ctx.client;
      const page = await dueHouseholds(prisma, input);
      let started = 0;
      let alreadyStarted = 0;
      const signer = (signs ??= startSignerFromEnv());
      await pool(page, input.concurrency ?? 10, async (h) => {
        const workflowId = reviewWorkflowId(h.householdId, input.period);
        try {
          await client.workflow.start(REVIEW_WORKFLOW_TYPE, {
            workflowId,
            // the review runs where the cycle runs: the main task queue
            taskQueue: ctx.info.taskQueue,
            args: [signer.sign({ workflowType: REVIEW_WORKFLOW_TYPE, workflowId }, reviewStartInput({ householdId: h.householdId, countyCode: input.countyCode, period: input.period }))],
            // a second start for the same household and period, running or closed, is refused by the server
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            workflowIdConflictPolicy: 'FAIL',
            typedSearchAttributes: [
              { key: KIND, value: 'review' },
              { key: COUNTY, value: input.countyCode },
            ],
          });
          started++;
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err; // transient: the page is retried
          alreadyStarted++;
        }
        ctx.heartbeat(started + alreadyStarted);
      });
      return { started, alreadyStarted, last: page.at(-1) ?? null, done: page.length < input.limit };
    },
  };
}

export type ReviewCycleActivities = ReturnType<typeof createReviewCycleActivities>;
