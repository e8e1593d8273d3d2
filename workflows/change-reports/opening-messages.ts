// R-REV-03: the input and result of a county's monthly opening of its change reports, shared by the
// workflow, its activity and the schedule that starts it (activities/change-report-schedule.ts).

export const OPENING_WORKFLOW_TYPE = 'changeReportsOpening';

export interface ChangeReportsOpeningInput {
  countyCode: string;
  /** 'YYYY-MM'; absent when the schedule starts it: the month of its scheduled time (never the clock) */
  month?: string;
}

export interface ChangeReportsOpened {
  countyCode: string;
  month: string;
  /** the county's townships in the division register */
  townships: string[];
  /** months this run started */
  started: number;
  /** months found started already (the month's first report came first, or a re-fired schedule) */
  alreadyStarted: number;
}

/** The id the schedule's action starts under; Temporal appends each run's scheduled time. */
export const openingWorkflowId = (countyCode: string) => `change-reports-open-${countyCode}`;
