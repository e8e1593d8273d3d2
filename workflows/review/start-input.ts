// R-REV-06: what a recheck cycle starts: one `review` workflow per household and period, under the
// business id `review-<householdId>-<period>`, so however often a period's cycle fires, a household gets
// one review for it. The review workflow (another change) takes this input.
//
// Issue 22 §1.3: every start is signed: the cycle's activity signs this input with the scheduler's key
// (activities/review/cycle.ts; signing needs the key, so not here in workflow code).

export interface ReviewStartInput {
  householdId: string;
  countyCode: string;
  /** 'YYYY-MM' (workflows/review/period.ts) */
  period: string;
  reason: 'scheduled';
}

export const REVIEW_WORKFLOW_TYPE = 'review';

export function reviewWorkflowId(householdId: string, period: string): string {
  return `review-${householdId}-${period}`;
}

export function reviewStartInput(o: { householdId: string; countyCode: string; period: string }): ReviewStartInput {
  return { householdId: o.householdId, countyCode: o.countyCode, period: o.period, reason: 'scheduled' };
}
