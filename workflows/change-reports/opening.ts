// R-REV-03: a county's month of change reports opens on the 1st, reported to or not. The schedule
// `change-reports-<county>` (activities/change-report-schedule.ts) starts this workflow monthly; it starts
// the month's `changeReports` of every township of the county (one activity, a county has a few dozen
// townships), under the month's business id. A month already started by its first report (the API's
// update-with-start) is success, so the two starters never make two. A township where no village reports
// at all thus still has its deadlines, and supervision sees them missed (the `deadline` table).
import { ApplicationFailure, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { ChangeReportOpeningActivities } from '../../activities/change-report-opening';
import { COUNTY, KIND } from '../kit/search-attributes';
import { scheduledPeriod } from '../kit/scheduled-start';
import { verifyStart } from '../kit/start-signature';
import { isPeriod } from '../review/period';
import { OPENING_WORKFLOW_TYPE, type ChangeReportsOpened, type ChangeReportsOpeningInput } from './opening-messages';

const { openChangeReportMonths } = proxyActivities<ChangeReportOpeningActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumInterval: '1 minute' },
});

export async function changeReportsOpening(input: ChangeReportsOpeningInput): Promise<ChangeReportsOpened> {
  // issue 22 §1.3: signed by the schedule's writer, for the action's id
  verifyStart(OPENING_WORKFLOW_TYPE, input);
  const month = input.month ?? scheduledPeriod();
  if (!isPeriod(month)) {
    throw ApplicationFailure.create({
      type: 'OpeningMonthUnknown',
      nonRetryable: true,
      message: `opening the change reports needs a month (YYYY-MM) or a schedule's start time; got ${JSON.stringify(input.month)}`,
    });
  }
  upsertSearchAttributes([
    { key: KIND, value: 'change-reports-opening' },
    { key: COUNTY, value: input.countyCode },
  ]);
  return openChangeReportMonths({ countyCode: input.countyCode, month });
}
