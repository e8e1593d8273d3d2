// Every kind's statutory deadlines in one table, for supervision (R-SUP-01, R-REV-06): each row carries
// its workflow's kind (issue 22 §1.4: no longer always 'application') and the jurisdiction that holds it
// (the owner's, unless the deadline names its own: a village's report inside its township's month,
// R-REV-03). Written in the same transaction as the kind's projection, only when that write was not older
// than what is stored.
import type { Prisma as PrismaNs } from '@prisma/client';
import type { DeadlineRows } from '../workflows/kit/records';

const day = (d: string) => new Date(`${d}T00:00:00Z`);

export async function writeDeadlineRows(tx: PrismaNs.TransactionClient, r: DeadlineRows): Promise<void> {
  for (const d of r.deadlines) {
    const data = {
      kind: r.kind,
      caseId: r.caseId ?? null,
      jurisdiction: d.jurisdiction ?? r.jurisdiction,
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
    await tx.deadline.upsert({ where: { workflowId_name: { workflowId: r.workflowId, name: d.name } }, create: { workflowId: r.workflowId, name: d.name, ...data }, update: data });
  }
}
