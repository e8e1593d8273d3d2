// Intake's duplicate check (a person is never in two open applications nor on the roster twice; issue 16 API1/API4): an open application or an
// active recipient among the household's members is refused before the workflow starts, the refusal audited
// and rate-limited per user, and the existing case named only to a caller who may see it.
import crypto from 'node:crypto';
import type { ApplicationServiceDeps } from './service';
import { releaseClosedHolders, temporalWorkflowState } from '../../activities/application/case-locks';
import { appendAudit } from '../../activities/audit-log';
import { maskIdNumber } from '../../workflows/rules/id-number';
import { inSubtree, type User } from '../auth';
import { conflict } from '../problems';

type DuplicateDeps = Pick<ApplicationServiceDeps, 'prisma' | 'client' | 'limits'>;

/**
 * Friendly early answers; the workflow's openCase enforces the same atomically. The existing case is
 * named only when the caller may see it (API.md: outside the subtree, do not reveal it exists). Locks
 * held by `ownCaseId` (the case this very request, or its earlier attempt, creates) do not count.
 * A refusal tells whether an ID number is known anywhere in the country: it is audited with the caller
 * and rate-limited per user (issue 16, API1/API4).
 */
export async function refuseDuplicates(deps: DuplicateDeps, user: User, ids: string[], ownCaseId: string, villageCode: string): Promise<void> {
  // both reads at once (issue 21 §4); an open application is still answered first
  const recipient = deps.prisma.householdMember.findFirst({
    where: { idNumber: { in: ids }, active: true, covered: true, household: { status: 'active', OR: [{ caseId: null }, { caseId: { not: ownCaseId } }] } },
    include: { household: { select: { villageCode: true } } },
  });
  recipient.catch(() => undefined); // awaited below, unless an open application is refused first
  // a lock whose case's workflow closed without releasing it (terminated…) goes instead (§5 data integrity)
  const held = await deps.prisma.openApplication.findMany({ where: { idNumber: { in: ids }, caseId: { not: ownCaseId } }, orderBy: { idNumber: 'asc' } });
  const standing = held.length ? await releaseClosedHolders(deps.prisma, held.map((h) => h.caseId), temporalWorkflowState(() => deps.client)) : [];
  const open = held.find((h) => standing.includes(h.caseId));
  if (open) {
    const existing = await deps.prisma.case.findUnique({ where: { caseId: open.caseId }, select: { villageCode: true } });
    const visible = existing !== null && inSubtree(user, existing.villageCode);
    await recordDuplicateRefusal(deps, user, open.idNumber, 'open_application', villageCode);
    throw conflict(`${maskIdNumber(open.idNumber)} already has an open application${visible ? '' : ' elsewhere'}`, visible ? { existing: open.caseId } : {});
  }
  const enrolled = await recipient;
  if (enrolled) {
    const visible = inSubtree(user, enrolled.household.villageCode);
    await recordDuplicateRefusal(deps, user, enrolled.idNumber, 'recipient', villageCode);
    throw conflict(`${maskIdNumber(enrolled.idNumber)} is already a recipient${visible ? '' : ' elsewhere'}`, visible ? { existing: enrolled.householdId } : {});
  }
}

/** The audit event of a duplicate refusal (masked ID number only), then the per-user limit: over it, 429 instead of the answer. */
async function recordDuplicateRefusal(deps: DuplicateDeps, user: User, idNumber: string, found: 'open_application' | 'recipient', villageCode: string): Promise<void> {
  await deps.prisma.$transaction((tx) =>
    appendAudit(
      tx,
      [
        {
          key: `intake-duplicate-refused-${crypto.randomUUID()}`,
          at: Date.now(),
          actor: user.sub,
          actorRole: user.role,
          action: 'intake.duplicate_refused',
          reason: found === 'open_application' ? 'a member already has an open application' : 'a member is already a recipient',
          data: { idNumber: maskIdNumber(idNumber), found, callerJurisdiction: user.jurisdiction },
        },
      ],
      { jurisdiction: villageCode },
    ),
  );
  await deps.limits?.consume('duplicateRefusals', `user:${user.sub}`);
}
