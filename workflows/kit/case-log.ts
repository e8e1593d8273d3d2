// What every workflow kind records about itself: a revision that only grows, flags, and audit entries
// queued until the next write (kit/records.ts). Keys and revisions stay unique across continue-as-new
// and reset: the audit key carries the run id, and the revision follows workflow time, which a new run
// (reset or continued) only ever moves forward. After a reset, an entry queued before the reset point but
// written after it is written again by the new run under its own key: both runs did record it (accepted).
import { workflowInfo } from '@temporalio/workflow';
import type { AuditEntry } from './records';

export interface CaseLog {
  workflowId: string;
  revision: number;
  flags: string[];
  /** audit entries not yet written */
  pendingAudit: AuditEntry[];
  auditSeq: number;
}

export type Who = { id: string; role?: string } | 'system';

/** Workflow time in microseconds-ish: larger than any revision an earlier run of this workflow wrote. */
function nextRevision(current: number): number {
  return Math.max(current + 1, Date.now() * 1000);
}

/** Records a change: bumps the revision and queues an audit entry. */
export function note(s: CaseLog, actor: Who, action: string, data?: Record<string, unknown>, reason?: string): void {
  s.revision = nextRevision(s.revision);
  s.pendingAudit.push({
    key: `${s.workflowId}/${workflowInfo().runId}#${++s.auditSeq}`,
    at: Date.now(),
    actor: actor === 'system' ? 'system' : actor.id,
    actorRole: actor === 'system' ? undefined : actor.role,
    action,
    data,
    reason,
  });
}

/** A change worth a new revision but no audit entry of its own (it is covered by one already queued). */
export function touch(s: CaseLog): void {
  s.revision = nextRevision(s.revision);
}

export function setFlag(s: CaseLog, flag: string, on = true): void {
  const has = s.flags.includes(flag);
  if (on && !has) s.flags.push(flag);
  if (!on && has) s.flags = s.flags.filter((f) => f !== flag);
}
