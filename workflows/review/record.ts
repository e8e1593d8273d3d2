// What a review writes to PostgreSQL at each stable point (activities/review/records.ts): its own
// projection (the `review` table), its deadline rows (kind 'review') and the queued audit entries, whose
// case id is the review's id (GET /v1/audit?caseId=<reviewId>).
import { assigneeFor, view, type ReviewState } from './state';
import { anyOverdue, deadlineRecords, type AuditEntry, type DeadlineRows } from '../kit/records';

export interface ReviewRecord {
  reviewId: string;
  workflowId: string;
  householdId: string;
  period?: string;
  reason: string;
  villageCode: string;
  countyCode: string;
  status: string;
  step: string;
  assignee?: string;
  dueOn?: string;
  overdue: boolean;
  outcome?: string;
  monthlyFen?: number;
  revision: number;
  view: unknown;
  audit: AuditEntry[];
  deadlines: DeadlineRows;
}

export function reviewRecord(s: ReviewState): ReviewRecord {
  const open = s.deadlines.filter((d) => d.closedAt === undefined).sort((a, b) => a.dueAt - b.dueAt)[0];
  return {
    reviewId: s.reviewId,
    workflowId: s.workflowId,
    householdId: s.householdId,
    period: s.period,
    reason: s.reason,
    villageCode: s.villageCode,
    countyCode: s.countyCode,
    status: s.status,
    step: s.step,
    assignee: assigneeFor(s),
    dueOn: open?.dueOn,
    overdue: anyOverdue(s.deadlines),
    outcome: s.decision?.outcome,
    monthlyFen: s.decision ? s.decision.monthlyFen : s.household?.monthlyFen,
    revision: s.revision,
    view: view(s),
    audit: s.pendingAudit.splice(0),
    deadlines: { kind: 'review', workflowId: s.workflowId, caseId: s.reviewId, jurisdiction: s.villageCode, deadlines: deadlineRecords(s.deadlines, assigneeFor(s)) },
  };
}
