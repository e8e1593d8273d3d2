// R-REV-06: a county's recheck cycle for one period. The schedule `recheck-<county>` starts it on the 1st
// of each month (activities/review/schedules.ts); `npm run cycle` starts one by hand. It pages through the
// county's households due in the period and starts one review each (activities/review/cycle.ts); the
// review's business id makes a second start for the same household and period a no-op. The cursor and the
// counts live here and travel across continue-as-new, so a cycle over a million households keeps each
// run's history small.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ReviewCycleActivities } from '../../activities/review/cycle';
import { COUNTY, KIND } from '../kit/search-attributes';
import { verifyStart } from '../kit/start-signature';
import { cycleProgressQuery, type CycleProgress, type DueCursor, type ReviewCycleInput } from './cycle-messages';
import { isPeriod } from './period';
import { scheduledPeriod } from '../kit/scheduled-start';

const { startDueReviews } = proxyActivities<ReviewCycleActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { maximumInterval: '1 minute' },
});

const PAGE_SIZE = 100;
/** about 6 events a page: 200 pages keep a run near 1,200 events (20,000 households) */
const PAGES_PER_RUN = 200;

export async function reviewCycle(input: ReviewCycleInput): Promise<CycleProgress> {
  // issue 22 §1.3: signed by the schedule's writer (for the action's id) or by `npm run cycle`
  verifyStart('reviewCycle', input);
  const period = input.period ?? scheduledPeriod();
  if (!isPeriod(period)) {
    throw ApplicationFailure.create({
      type: 'CyclePeriodUnknown',
      nonRetryable: true,
      message: `a recheck cycle needs a period (YYYY-MM) or a schedule's start time; got ${JSON.stringify(input.period)}`,
    });
  }
  const counts = input.counts ?? { started: 0, alreadyStarted: 0, pages: 0, runs: 0 };
  const progress: CycleProgress = { countyCode: input.countyCode, period, ...counts, runs: counts.runs + 1, done: false };
  setHandler(cycleProgressQuery, () => progress);
  upsertSearchAttributes([
    { key: KIND, value: 'review-cycle' },
    { key: COUNTY, value: input.countyCode },
  ]);

  let cursor: DueCursor | null = input.cursor ?? null;
  const pagesPerRun = input.pagesPerRun ?? PAGES_PER_RUN;
  for (let i = 0; i < pagesPerRun; i++) {
    const page = await startDueReviews({ countyCode: input.countyCode, period, after: cursor, limit: input.pageSize ?? PAGE_SIZE });
    progress.started += page.started;
    progress.alreadyStarted += page.alreadyStarted;
    progress.pages++;
    cursor = page.last ?? cursor;
    if (page.done) {
      progress.done = true;
      return progress;
    }
    if (workflowInfo().continueAsNewSuggested) break;
  }
  await condition(allHandlersFinished);
  const { started, alreadyStarted, pages, runs } = progress;
  return continueAsNew<typeof reviewCycle>({ ...input, period, cursor, counts: { started, alreadyStarted, pages, runs } });
}
