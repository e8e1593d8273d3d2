// R-APP-08, R-SUP-06: what an enrolment of a specially filed case leaves in the county's records, in the
// enrolment's own transaction (activities/roster.ts enrolCase), so the workflow runs no extra command:
// - the filing (reasons, the staff whose near relatives are in the household, the relations, the county's
//   visitors) in the special-filing register, one row per case and reason (a retry writes nothing twice);
// - the staff relations the applicant declared (R-APP-02) in the near-relative register, so a later case
//   of the same relative is filed and the staff member steps aside without being told again (R-APP-09).
import type { Prisma as PrismaNs } from '@prisma/client';
import { canonicalStaffId } from '../../workflows/rules/recusal';
import type { Member, NearRelativeDeclaration } from '../../workflows/rules/types';

type Tx = PrismaNs.TransactionClient;
const day = (d: string) => new Date(`${d}T00:00:00Z`);

/** The parts of the case projection (workflows/application/state.ts view) the records are made from. */
export interface EnrolledCaseView {
  household: { members: Member[] };
  nearRelativeDeclaration: NearRelativeDeclaration;
  specialFiling?: string[];
  countyVisit?: { visitors: string[] } | null;
}

export interface EnrolledCase {
  caseId: string;
  householdId: string;
  programme: string;
  villageCode: string;
  monthlyFen: number;
  enrolledOn: string;
  view: EnrolledCaseView;
}

export async function recordSpecialFiling(tx: Tx, c: EnrolledCase): Promise<void> {
  const reasons = c.view.specialFiling ?? [];
  const members = c.view.household.members;
  const nameOf = (id: string) => members.find((m) => m.idNumber === id)?.name ?? '';
  if (reasons.length > 0) {
    // the relations as they stand at enrolment: declared by the applicant, and in the register
    const registered = await tx.staffRelative.findMany({ where: { relativeIdNumber: { in: members.map((m) => m.idNumber) } }, orderBy: { id: 'asc' } });
    const relations = [
      ...(c.view.nearRelativeDeclaration.relations ?? []).map((r) => ({ staffId: canonicalStaffId(r.staffId), memberName: nameOf(r.memberIdNumber), relation: r.relation, source: 'declaration' })),
      ...registered.map((r) => ({ staffId: r.staffId, memberName: r.relativeName, relation: r.relation, source: 'register' })),
    ].filter((r, i, all) => all.findIndex((x) => x.staffId === r.staffId && x.memberName === r.memberName) === i);
    const applicant = members.find((m) => m.relation === 'self') ?? members[0];
    await tx.specialFiling.createMany({
      data: reasons.map((reason) => ({
        countyCode: c.villageCode.slice(0, 6),
        villageCode: c.villageCode,
        caseId: c.caseId,
        householdId: c.householdId,
        programme: c.programme,
        reason,
        applicantName: applicant.name,
        applicantIdNumber: applicant.idNumber,
        staffIds: [...new Set(relations.map((r) => r.staffId))],
        relations,
        visitors: c.view.countyVisit?.visitors ?? [],
        monthlyFen: c.monthlyFen,
        enrolledOn: day(c.enrolledOn),
      })),
      skipDuplicates: true,
    });
  }
  await registerDeclaredRelatives(tx, c);
}

/** R-SUP-06: declared relations of registered staff join the register; a relation already there stays as it is. */
async function registerDeclaredRelatives(tx: Tx, c: EnrolledCase): Promise<void> {
  const declared = (c.view.nearRelativeDeclaration.relations ?? []).map((r) => ({ ...r, staffId: canonicalStaffId(r.staffId) }));
  if (!declared.length) return;
  // a declared village cadre or other person who is not registered staff has no register to join
  const staff = await tx.staffMember.findMany({ where: { staffId: { in: declared.map((r) => r.staffId) } }, select: { staffId: true } });
  const known = new Set(staff.map((s) => s.staffId));
  await tx.staffRelative.createMany({
    data: declared
      .filter((r) => known.has(r.staffId))
      .map((r) => ({
        staffId: r.staffId,
        relativeIdNumber: r.memberIdNumber,
        relativeName: c.view.household.members.find((m) => m.idNumber === r.memberIdNumber)?.name ?? '',
        relation: r.relation,
        registeredOn: day(c.enrolledOn),
      })),
    skipDuplicates: true,
  });
}
