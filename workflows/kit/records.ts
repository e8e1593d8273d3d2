// What workflows hand to the recording activities: audit entries, the case projection, deadlines.
// Instants are epoch milliseconds of workflow time (Temporal's deterministic clock).

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
