// R-REV-06: the recheck cycle's input and its progress query, shared by the workflow, the schedule and
// `npm run cycle` (STYLE: messages defined once, imported by both sides).
import { defineQuery } from '@temporalio/workflow';

/** Where the next page starts: keyset order (next_review_on, household_id) within the county. */
export interface DueCursor {
  nextReviewOn: string;
  householdId: string;
}

export interface CycleCounts {
  /** reviews this cycle started */
  started: number;
  /** reviews found started already (a re-fired, backfilled or overlapping cycle, a retried page) */
  alreadyStarted: number;
  /** pages of due households done */
  pages: number;
  /** runs of this cycle so far, this one included (continue-as-new) */
  runs: number;
}

export interface ReviewCycleInput {
  countyCode: string;
  /** 'YYYY-MM'; absent when the schedule starts it: the period of its scheduled time (never the clock) */
  period?: string;
  /** carried across continue-as-new */
  cursor?: DueCursor | null;
  counts?: CycleCounts;
  /** households per page (one activity); default 100 */
  pageSize?: number;
  /** pages before the run continues as new (or sooner if Temporal suggests it); default 200 */
  pagesPerRun?: number;
}

export interface CycleProgress extends CycleCounts {
  countyCode: string;
  period: string;
  done: boolean;
}

export const CYCLE_WORKFLOW_TYPE = 'reviewCycle';

/** The id `npm run cycle` starts a period's cycle under; the schedule's runs are
 * `cycle-<county>-<scheduled time, RFC 3339 UTC>` (Temporal appends the time to the action's id). */
export function cycleWorkflowId(countyCode: string, period: string): string {
  return `cycle-${countyCode}-${period}`;
}

export const cycleProgressQuery = defineQuery<CycleProgress>('progress');
