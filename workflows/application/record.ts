// What an application writes to PostgreSQL at each stable point (activities/cases.ts recordCase): the
// projection the API reads, the deadlines supervisors see, and the queued audit entries.
import { assigneeFor, view, type ApplicationState } from './state';
import { isOverdue } from '../kit/deadline-clock';
import { deadlineRecords, type CaseRecord } from '../kit/records';

/** `written`: how many investigations a write has already handed to the database (sent once each, issue 16 API4). */
export function caseRecord(s: ApplicationState, releaseLocks = false, written = 0): CaseRecord {
  const decision = s.deadlines.find((d) => d.name === 'decision');
  const v = view(s);
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
    view: written > 0 ? { ...v, investigations: v.investigations.slice(written) } : v,
    ...(written > 0 ? { viewAppend: { field: 'investigations', from: written } } : {}),
    audit: s.pendingAudit.splice(0),
    deadlines: deadlineRecords(s.deadlines, assigneeFor(s)),
    releaseLocks,
  };
}
