// R-REV-03: one Temporal Schedule per county, `change-reports-<county>`, opening the county's month of
// change reports at 00:10 China time on the 1st (workflows/change-reports/opening.ts), so a township whose
// villages never report still has its deadlines, and sees them missed. Ensured beside the county's recheck
// schedule (activities/review/schedules.ts: the worker at start-up, `npm run policy -- set`). Overlap SKIP;
// the catch-up window is the county's reviewCycleCatchupDays (R-POL, the same window as the recheck): a
// month missed while the server was down opens when it comes back within it (its first report opens it
// anyway: the API's update-with-start).
import crypto from 'node:crypto';
import { ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { COUNTY, KIND } from '../workflows/kit/search-attributes';
import { OPENING_WORKFLOW_TYPE, openingWorkflowId, type ChangeReportsOpeningInput } from '../workflows/change-reports/opening-messages';
import { startSignerFromEnv, type StartSigner } from './crypto/start-signing';
import { ensureSchedule, type EnsureOutcome } from './ensure-schedule';

export const OPENING_CALENDAR = { dayOfMonth: 1, hour: 0, minute: 10 } as const;
export const OPENING_TIMEZONE = 'Asia/Shanghai';
const MEMO = 'jiuzhuChangeReports';

export const changeReportScheduleId = (countyCode: string) => `change-reports-${countyCode}`;

interface ChangeReportSchedule {
  countyCode: string;
  taskQueue: string;
  catchupDays: number;
  /** issue 22 §1.3: signs the action's input; default startSignerFromEnv() */
  signer?: StartSigner;
}

export function changeReportScheduleOptions(o: ChangeReportSchedule): ScheduleOptions {
  const workflowId = openingWorkflowId(o.countyCode);
  // the month comes from the scheduled time; signed once for the action's id (runs add `-<scheduled time>`)
  const input = (o.signer ?? startSignerFromEnv()).sign({ workflowType: OPENING_WORKFLOW_TYPE, workflowId }, { countyCode: o.countyCode } satisfies ChangeReportsOpeningInput);
  const { countyCode, taskQueue, catchupDays } = o;
  const desired = { countyCode, taskQueue, catchupDays, signedBy: input.auth.keyId, calendar: OPENING_CALENDAR, timezone: OPENING_TIMEZONE, workflowType: OPENING_WORKFLOW_TYPE };
  return {
    scheduleId: changeReportScheduleId(countyCode),
    spec: { calendars: [{ ...OPENING_CALENDAR }], timezone: OPENING_TIMEZONE },
    action: {
      type: 'startWorkflow',
      workflowType: OPENING_WORKFLOW_TYPE,
      workflowId,
      taskQueue,
      args: [input],
      memo: { [MEMO]: crypto.createHash('sha256').update(JSON.stringify(desired)).digest('hex').slice(0, 16) },
      typedSearchAttributes: [
        { key: KIND, value: 'change-reports-opening' },
        { key: COUNTY, value: countyCode },
      ],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: `${catchupDays} days` },
  };
}

/** Creates or updates one county's change-report schedule; 'unchanged' if it already is what it should be. */
export function ensureChangeReportSchedule(client: Client, o: ChangeReportSchedule): Promise<EnsureOutcome> {
  return ensureSchedule(client, changeReportScheduleOptions(o), MEMO);
}
