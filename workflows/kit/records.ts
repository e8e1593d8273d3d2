// What workflows hand to the recording activities: audit entries, a kind's projection, deadlines.
// Instants are epoch milliseconds of workflow time (Temporal's deterministic clock). A kind brings its own
// projection record (the application's CaseRecord below, a review's ReviewRecord in workflows/review/);
// every kind's deadline rows carry the kind (issue 22 §1.4).
import { isOverdue, type Deadline } from './deadline-clock';

export interface AuditEntry {
  /** unique per workflow: a retried activity writes the entry once */
  key: string;
  at: number;
  actor: string;
  actorRole?: string;
  action: string;
  reason?: string;
  data?: Record<string, unknown>;
}

export interface DeadlineRecord {
  name: string;
  step: string;
  assignee?: string;
  /** where it is held, when not the workflow's own jurisdiction (a village's report in a township's workflow) */
  jurisdiction?: string;
  startedOn: string;
  dueOn: string;
  dueAt: number;
  beyondCalendar: boolean;
  extended: boolean;
  warnedAt?: number;
  overdueSince?: number;
  escalatedTo?: string;
  closedAt?: number;
}

/** A kind's statutory deadlines as one write hands them over: the `deadline` table's rows of one workflow. */
export interface DeadlineRows {
  /** the workflow kind: application, review, … (the rows' `kind`) */
  kind: string;
  workflowId: string;
  /** the kind's own id (an application's case id, a review's id); none for a township's month of reports */
  caseId?: string;
  /** the village (or other division) whose subtree sees the rows */
  jurisdiction: string;
  deadlines: DeadlineRecord[];
}

/** The deadline rows of a kind's state: `assignee` is whoever must act now. */
export function deadlineRecords(deadlines: Deadline[], assignee?: string): DeadlineRecord[] {
  return deadlines.map((d) => ({
    name: d.name,
    step: d.step,
    assignee,
    startedOn: d.startedOn,
    dueOn: d.dueOn,
    dueAt: d.dueAt,
    beyondCalendar: d.beyondCalendar,
    extended: d.extended,
    warnedAt: d.warnings.filter((w) => w.fired).at(-1)?.at,
    overdueSince: d.overdueSince,
    escalatedTo: d.escalatedTo,
    closedAt: d.closedAt,
  }));
}

/** Whether any open deadline has passed (the projection's `overdue`). */
export const anyOverdue = (deadlines: Deadline[]): boolean => deadlines.some(isOverdue);

/** The application's projection record (activities/cases.ts). */
export interface CaseRecord {
  workflowId: string;
  caseId: string;
  revision: number;
  programme: string;
  villageCode: string;
  status: string;
  step: string;
  assignee?: string;
  receivedOn: string;
  acceptedOn?: string;
  decisionDueOn?: string;
  overdue: boolean;
  monthlyFen?: number;
  householdId?: string;
  createdBy: string;
  members: { idNumber: string; name: string }[];
  view: unknown;
  /**
   * Issue 16 API4: the view's list `field` holds only its items from index `from` on; the stored view
   * keeps the items before it. Long content (an investigation) is handed to the database once, not at
   * every write, so the history does not grow with the square of the rounds. Absent: the whole view.
   */
  viewAppend?: { field: string; from: number };
  audit: AuditEntry[];
  deadlines: DeadlineRecord[];
  /** the case is closed: free its members for a new application */
  releaseLocks: boolean;
}
