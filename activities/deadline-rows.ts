// The `deadline` table supervision reads (R-SUP-01): every statutory deadline of every workflow kind, one
// row per workflow and deadline name, upserted at each write of its workflow. The kind and the owner's
// jurisdiction come from the writer (an application, a township's monthly change reports, R-REV-03).
import type { Prisma as PrismaNs } from '@prisma/client';
import type { DeadlineRecord } from '../workflows/kit/records';

type Tx = PrismaNs.TransactionClient;
const day = (d: string) => new Date(`${d}T00:00:00Z`);

export interface DeadlineOwner {
  workflowId: string;
  /** the workflow kind: application, change_report, … */
  kind: string;
  caseId?: string;
  /** where the deadline is held, unless the deadline names its own (a village of the township) */
  jurisdiction: string;
}

export async function writeDeadlineRows(tx: Tx, owner: DeadlineOwner, deadlines: DeadlineRecord[]): Promise<void> {
  for (const d of deadlines) {
    const data = {
      kind: owner.kind,
      caseId: owner.caseId ?? null,
      jurisdiction: d.jurisdiction ?? owner.jurisdiction,
      step: d.step,
      assignee: d.assignee ?? null,
      startedOn: day(d.startedOn),
      dueOn: day(d.dueOn),
      dueAt: new Date(d.dueAt),
      beyondCalendar: d.beyondCalendar,
      extended: d.extended,
      warnedAt: d.warnedAt ? new Date(d.warnedAt) : null,
      overdueSince: d.overdueSince ? new Date(d.overdueSince) : null,
      escalatedTo: d.escalatedTo ?? null,
      closedAt: d.closedAt ? new Date(d.closedAt) : null,
    };
    await tx.deadline.upsert({ where: { workflowId_name: { workflowId: owner.workflowId, name: d.name } }, create: { workflowId: owner.workflowId, name: d.name, ...data }, update: data });
  }
}
