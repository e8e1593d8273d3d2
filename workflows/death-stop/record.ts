// What a death stop writes to PostgreSQL at each stable point: its projection (the `death_stop` row the
// intake claimed), its deadline rows (kind 'death_stop') and the queued audit entries, whose case id is the
// death stop's id (GET /v1/audit?caseId=<deathStopId>).
import { anyOverdue, deadlineRecords, type AuditEntry, type DeadlineRows } from '../kit/records';
import { assigneeFor, view, type DeathStopState } from './state';

export interface DeathStopRecord {
  deathStopId: string;
  workflowId: string;
  villageCode: string;
  status: string;
  step: string;
  assignee?: string;
  dueOn?: string;
  overdue: boolean;
  recoveryFen?: number;
  revision: number;
  view: unknown;
  audit: AuditEntry[];
  deadlines: DeadlineRows;
}

export function deathStopRecord(s: DeathStopState): DeathStopRecord {
  const open = s.deadlines.filter((d) => d.closedAt === undefined).sort((a, b) => a.dueAt - b.dueAt)[0];
  return {
    deathStopId: s.deathStopId,
    workflowId: s.workflowId,
    villageCode: s.villageCode,
    status: s.status,
    step: s.step,
    assignee: assigneeFor(s),
    dueOn: open?.dueOn ?? s.deadlines[0]?.dueOn,
    overdue: anyOverdue(s.deadlines),
    recoveryFen: s.recovery?.totalFen,
    revision: s.revision,
    view: view(s),
    audit: s.pendingAudit.splice(0),
    deadlines: { kind: 'death_stop', workflowId: s.workflowId, caseId: s.deathStopId, jurisdiction: s.villageCode, deadlines: deadlineRecords(s.deadlines, assigneeFor(s)) },
  };
}
