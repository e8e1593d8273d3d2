// The application's projection: written by the application workflow, read by the API's lists and case pages.
// Each write is one transaction: projection, deadlines and audit entries together, and a write older
// than the stored revision changes nothing (activities may be retried or overlap).
import type { Prisma as PrismaNs } from '@prisma/client';
import { TRANSACTION_OPTIONS, type Prisma } from './db';
import { appendAudit } from './audit-log';
import { writeDeadlineRows } from './deadline-rows';
import { lockCase, releaseClosedHolders, type WorkflowStateSource } from './application/case-locks';
import { conflict } from '../workflows/kit/errors';
import { maskIdNumber } from '../workflows/rules/id-number';
import type { CaseRecord } from '../workflows/kit/records';

type Tx = PrismaNs.TransactionClient;
const day = (d?: string) => (d ? new Date(`${d}T00:00:00Z`) : null);

function projection(r: CaseRecord) {
  return {
    status: r.status,
    step: r.step,
    assignee: r.assignee ?? null,
    acceptedOn: day(r.acceptedOn),
    decisionDueOn: day(r.decisionDueOn),
    overdue: r.overdue,
    monthlyFen: r.monthlyFen ?? null,
    householdId: r.householdId ?? null,
    view: r.view as PrismaNs.InputJsonValue,
    revision: r.revision,
  };
}

const writeDeadlines = (tx: Tx, r: CaseRecord) => writeDeadlineRows(tx, { kind: 'application', workflowId: r.workflowId, caseId: r.caseId, jurisdiction: r.villageCode, deadlines: r.deadlines });

/**
 * Issue 16 API4: a write that carries only the new items of a list of the view (the workflow sends each
 * investigation once): the stored items before `from`, then the sent ones. The row is locked so a
 * concurrent attempt of the same write reads what this one leaves.
 */
async function appendedView(tx: Tx, r: CaseRecord, append: { field: string; from: number }): Promise<unknown> {
  const rows = await tx.$queryRaw<{ view: Record<string, unknown> }[]>`SELECT view FROM "case" WHERE case_id = ${r.caseId} FOR UPDATE`;
  const stored = (rows[0]?.view?.[append.field] ?? []) as unknown[];
  const sent = (r.view as Record<string, unknown[]>)[append.field] ?? [];
  return { ...(r.view as object), [append.field]: [...stored.slice(0, append.from), ...sent] };
}

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === 'P2002';

/** Member locks held by other cases (a lock of this very case, from an earlier attempt, is no conflict). */
type Opened = { held: { idNumber: string; caseId: string }[] } | undefined;

export function createCaseActivities(prisma: Prisma, workflowState: WorkflowStateSource = async () => undefined) {
  /** One attempt, serialised with any other attempt for the same case by the case's advisory lock. */
  const tryOpen = (r: CaseRecord, ids: string[]): Promise<Opened> =>
    prisma.$transaction(async (tx) => {
      await lockCase(tx, r.caseId);
      // a retried activity whose first attempt committed (perhaps while this one waited for the lock)
      if (await tx.case.findUnique({ where: { caseId: r.caseId }, select: { caseId: true } })) return undefined;
      const held = await tx.openApplication.findMany({ where: { idNumber: { in: ids }, caseId: { not: r.caseId } }, orderBy: { idNumber: 'asc' } });
      if (held.length) return { held };
      const enrolled = await tx.householdMember.findFirst({ where: { idNumber: { in: ids }, active: true, covered: true, household: { status: 'active' } } });
      if (enrolled) throw conflict(`${maskIdNumber(enrolled.idNumber)} is already a recipient in household ${enrolled.householdId}`, enrolled.householdId);
      await tx.openApplication.deleteMany({ where: { caseId: r.caseId } }); // none should exist without the case; never block on them
      await tx.openApplication.createMany({ data: ids.map((idNumber) => ({ idNumber, caseId: r.caseId })) });
      await tx.case.create({
        data: {
          caseId: r.caseId,
          workflowId: r.workflowId,
          programme: r.programme,
          villageCode: r.villageCode,
          townshipCode: r.villageCode.slice(0, 9),
          countyCode: r.villageCode.slice(0, 6),
          receivedOn: day(r.receivedOn)!,
          createdBy: r.createdBy,
          ...projection(r),
          members: { createMany: { data: r.members } }, // one INSERT, not one per member (issue 21 §4)
        },
      });
      await writeDeadlines(tx, r);
      await appendAudit(tx, r.audit, { workflowId: r.workflowId, caseId: r.caseId, jurisdiction: r.villageCode });
      return undefined;
    }, TRANSACTION_OPTIONS);

  return {
    /**
     * Opens the case: one open application per person, and nobody who is already a recipient
     * (R-APP-06: a household is enrolled once, whole). Idempotent for a retried activity, even one that
     * overlaps its earlier attempt. A lock held by a case whose workflow has closed without releasing it
     * (terminated, cancelled…) is released first (case-locks.ts), so nobody is left unable to apply.
     */
    async openCase(r: CaseRecord): Promise<void> {
      const ids = r.members.map((m) => m.idNumber);
      try {
        for (let round = 0; ; round++) {
          const opened = await tryOpen(r, ids);
          if (!opened) return;
          const standing = round < 2 ? await releaseClosedHolders(prisma, opened.held.map((h) => h.caseId), workflowState) : [];
          if (standing.length || round >= 2) {
            const open = opened.held.find((h) => standing.includes(h.caseId)) ?? opened.held[0];
            throw conflict(`${maskIdNumber(open.idNumber)} already has an open application, case ${open.caseId}`, open.caseId);
          }
        }
      } catch (err) {
        // two intakes for the same person at the same moment: the second one loses the race here
        if (isUniqueViolation(err)) throw conflict('a member of this household already has an open application');
        throw err;
      }
    },

    async recordCase(r: CaseRecord): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const view = r.viewAppend ? await appendedView(tx, r, r.viewAppend) : r.view;
        const updated = await tx.case.updateMany({ where: { caseId: r.caseId, revision: { lt: r.revision } }, data: projection({ ...r, view }) });
        if (updated.count === 1) await writeDeadlines(tx, r);
        // whatever the revision race: once a case is closed its members must be free to apply again
        if (r.releaseLocks) await tx.openApplication.deleteMany({ where: { caseId: r.caseId } });
        await appendAudit(tx, r.audit, { workflowId: r.workflowId, caseId: r.caseId, jurisdiction: r.villageCode });
      }, TRANSACTION_OPTIONS);
    },
  };
}
