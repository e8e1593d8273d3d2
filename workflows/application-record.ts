// What an application writes to PostgreSQL at each stable point (activities/cases.ts recordCase): the
// projection the API reads, the deadlines supervisors see, and the queued audit entries.
import { assigneeFor, view, type ApplicationState } from './application-state';
import { isOverdue } from './kit/deadline-clock';
import type { CaseRecord, DeadlineRecord } from './kit/records';

export function caseRecord(s: ApplicationState, releaseLocks = false): CaseRecord {
  const decision = s.deadlines.find((d) => d.name === 'decision');
  return {
    workflowId: s.workflowId,
    caseId: s.caseId,
    revision: s.revision,
    programme: s.programme,
    villageCode: s.villageCode,
    status: s.status,
    step: s.step,
    assignee: assigneeFor(s),
    receivedOn: s.receivedOn,
    acceptedOn: s.acceptedOn,
    decisionDueOn: decision?.dueOn,
    overdue: s.deadlines.some(isOverdue),
    monthlyFen: s.enrolment?.monthlyFen,
    householdId: s.enrolment?.householdId,
    createdBy: s.createdBy.id,
    members: s.household.members.map((m) => ({ idNumber: m.idNumber, name: m.name })),
    view: view(s),
    audit: s.pendingAudit.splice(0),
    deadlines: s.deadlines.map(
      (d): DeadlineRecord => ({
        name: d.name,
        step: d.step,
        assignee: assigneeFor(s),
        startedOn: d.startedOn,
        dueOn: d.dueOn,
        dueAt: d.dueAt,
        beyondCalendar: d.beyondCalendar,
        extended: d.extended,
        warnedAt: d.warnings.filter((w) => w.fired).at(-1)?.at,
        overdueSince: d.overdueSince,
        escalatedTo: d.escalatedTo,
        closedAt: d.closedAt,
      }),
    ),
    releaseLocks,
  };
}
