// A review's own activities (issue 22 §2.4): what it reads when it opens or arrives at a step (the roster's
// household, the policy in force, the staff register for recusal, special filings; a deadline by its policy
// parameter), its projection write, the major-change screen of a new verification, and the roster change
// it decides. Results are recorded in the review's history: a rule or register changed later never
// re-decides a review in flight on replay.
import type { Prisma } from '../db';
import { TRANSACTION_OPTIONS } from '../db';
import type { Prisma as PrismaNs } from '@prisma/client';
import type { WorkingDayCalendar } from '../calendar';
import { appendAudit } from '../audit-log';
import { writeDeadlineRows } from '../deadline-rows';
import { deadlineByPolicy, type PolicyDeadline } from '../deadlines';
import { resolvePolicy } from '../policy';
import { createStaffActivities } from '../staff';
import { account } from '../../workflows/rules/accounting';
import { coverage } from '../../workflows/rules/coverage';
import { nextReviewOn as cadenceNext } from '../../workflows/rules/review-cadence';
import { specialFilingReasons, type SpecialFilingReason } from '../../workflows/rules/special-filing';
import type { ResolvedPolicy } from '../../workflows/rules/policy';
import type { StaffRelation } from '../../workflows/rules/recusal';
import type { DeadlineComputation } from '../../workflows/kit/deadline-clock';
import type { Member, Programme, Relation, Residence, ReviewClass, VerificationReport } from '../../workflows/rules/types';
import type { Outcome, RosterHousehold } from '../../workflows/review/state';
import type { ReviewRecord } from '../../workflows/review/record';

const iso = (d: Date) => d.toISOString().slice(0, 10);
const day = (d?: string | null) => (d ? new Date(`${d}T00:00:00Z`) : null);

export interface ReviewContextRequest {
  householdId: string;
  on: string;
  report?: VerificationReport;
  deadline?: PolicyDeadline;
}

export interface ReviewContext {
  /** null: no such household on the roster (the review closes) */
  household: RosterHousehold | null;
  policy?: ResolvedPolicy;
  relations: StaffRelation[];
  specialFiling: SpecialFilingReason[];
  deadline?: DeadlineComputation;
}

export interface RosterDecision {
  reviewId: string;
  householdId: string;
  outcome: Outcome;
  monthlyFen: number;
  decidedOn: string;
  /** R-APP-14: YYYY-MM, the month after the decision */
  fromMonth: string;
}

/** The roster's household with its active members (the death stop reads the remaining members with it). */
export async function readHousehold(prisma: Prisma, householdId: string): Promise<RosterHousehold | null> {
  const h = await prisma.household.findUnique({ where: { householdId }, include: { members: { where: { active: true }, orderBy: { idNumber: 'asc' } } } });
  if (!h) return null;
  return {
    householdId: h.householdId,
    programme: h.programme as Programme,
    villageCode: h.villageCode,
    residence: h.residence as Residence,
    status: h.status,
    monthlyFen: h.monthlyFen,
    reviewClass: h.reviewClass,
    singlePerson: h.singlePerson,
    members: h.members.map((m) => ({
      name: m.name,
      idNumber: m.idNumber,
      relation: m.relation as Relation,
      birthDate: iso(m.birthDate),
      ...(m.disabilityGrade ? { disabilityGrade: m.disabilityGrade as Member['disabilityGrade'] } : {}),
      ...(m.severeIllness ? { severeIllness: true } : {}),
      covered: m.covered,
    })),
  };
}

export function createReviewActivities(prisma: Prisma, calendar: () => Promise<WorkingDayCalendar>) {
  const staff = createStaffActivities(prisma);
  return {
    /** R-POL, R-APP-08/09: the household, the policy in force, recusal and special filing; a deadline if asked. */
    async reviewContext(r: ReviewContextRequest): Promise<ReviewContext> {
      const household = await readHousehold(prisma, r.householdId);
      if (!household) return { household: null, relations: [], specialFiling: [] };
      const ids = household.members.map((m) => m.idNumber);
      const [policy, relations, filed] = await Promise.all([
        resolvePolicy(prisma, household.villageCode, r.on),
        staff.findStaffRelations({ idNumbers: ids }),
        prisma.specialFiling.findMany({ where: { householdId: r.householdId }, select: { reason: true } }),
      ]);
      // filed at enrolment, or found now in the register and the new verification (R-APP-08)
      const specialFiling = [...new Set([...filed.map((f) => f.reason as SpecialFilingReason), ...specialFilingReasons({ hasStaffRelatives: false }, relations, r.report)])];
      const deadline = r.deadline ? await deadlineByPolicy(policy.params, calendar, r.deadline, household.villageCode) : undefined;
      return { household, policy, relations, specialFiling, deadline };
    },

    /**
     * R-REV-04: whether the new verification is a major change: the household's last accounting (its
     * enrolling case's investigation, if any) recomputed with the agency's new figures gives another amount
     * than the one paid, or none.
     */
    async screenVerifiedChange(input: { householdId: string; on: string; report: VerificationReport; policy: ResolvedPolicy; household: RosterHousehold }): Promise<{ changed: boolean; monthlyFen: number; detail: string }> {
      const h = input.household;
      const enrolled = await prisma.household.findUnique({ where: { householdId: input.householdId }, select: { caseId: true } });
      const row = enrolled?.caseId ? await prisma.case.findUnique({ where: { caseId: enrolled.caseId }, select: { view: true } }) : null;
      const last = ((row?.view as { investigations?: { incomes: never[]; expenditures: never[] }[] } | undefined)?.investigations ?? []).at(-1);
      const a = account({ programme: h.programme, residence: h.residence, members: h.members.map(({ covered: _c, ...m }) => m), incomes: last?.incomes ?? [], expenditures: last?.expenditures ?? [], report: input.report, policy: input.policy.params, on: input.on, assets: [] });
      const covered = h.members.filter((m) => m.covered).map((m) => m.idNumber);
      const c = coverage(h.programme, a, h.members.map((m) => m.idNumber), h.programme === 'TEKUN' || h.singlePerson ? covered : undefined);
      const monthlyFen = c.ok ? c.maxMonthlyFen : 0;
      return { changed: monthlyFen !== h.monthlyFen, monthlyFen, detail: c.ok ? `verified figures give ${monthlyFen} fen, ${h.monthlyFen} fen paid` : `verified figures give no amount: ${c.message}` };
    },

    /** The review's projection, deadlines (kind 'review') and audit entries, in one transaction; an older revision changes nothing. */
    async recordReview(r: ReviewRecord): Promise<void> {
      const data = {
        status: r.status,
        step: r.step,
        assignee: r.assignee ?? null,
        villageCode: r.villageCode,
        countyCode: r.countyCode,
        dueOn: day(r.dueOn),
        overdue: r.overdue,
        outcome: r.outcome ?? null,
        monthlyFen: r.monthlyFen ?? null,
        view: r.view as PrismaNs.InputJsonValue,
        revision: r.revision,
      };
      await prisma.$transaction(async (tx) => {
        let wrote = true;
        const row = await tx.review.findUnique({ where: { reviewId: r.reviewId }, select: { revision: true } });
        if (!row) await tx.review.create({ data: { reviewId: r.reviewId, workflowId: r.workflowId, householdId: r.householdId, period: r.period ?? null, reason: r.reason, ...data } });
        else wrote = (await tx.review.updateMany({ where: { reviewId: r.reviewId, revision: { lt: r.revision } }, data })).count === 1;
        if (wrote) await writeDeadlineRows(tx, r.deadlines);
        await appendAudit(tx, r.audit, { workflowId: r.workflowId, caseId: r.reviewId, jurisdiction: r.villageCode });
      }, TRANSACTION_OPTIONS);
    },

    /**
     * R-REV-02, R-APP-14: the roster from the month after the decision: the new amount, or the household
     * stopped; the next review date by the household's class (R-REV-01). Once per review (a retry finds it).
     */
    async applyReviewDecision(d: RosterDecision): Promise<{ fromMonth: string; nextReviewOn: string | null }> {
      return prisma.$transaction(async (tx) => {
        const done = await tx.rosterChange.findUnique({ where: { reviewId: d.reviewId } });
        const h = await tx.household.findUniqueOrThrow({ where: { householdId: d.householdId } });
        if (done) return { fromMonth: done.fromMonth, nextReviewOn: h.status === 'active' ? iso(h.nextReviewOn) : null };
        const stop = d.outcome === 'stop';
        // R-REV-01: the county's cadence in force on the decision day (policy data; TEKUN always annual)
        const policy = stop ? undefined : await resolvePolicy(prisma, h.countyCode, d.decidedOn);
        const nextReviewOn = policy ? cadenceNext(d.decidedOn, h.reviewClass as ReviewClass, h.programme as Programme, policy.params) : null;
        await tx.rosterChange.create({ data: { reviewId: d.reviewId, householdId: d.householdId, outcome: d.outcome, monthlyFenBefore: h.monthlyFen, monthlyFenAfter: stop ? 0 : d.monthlyFen, fromMonth: d.fromMonth, decidedOn: day(d.decidedOn)! } });
        await tx.household.update({
          where: { householdId: d.householdId },
          data: stop ? { status: 'stopped' } : { monthlyFen: d.monthlyFen, nextReviewOn: day(nextReviewOn)! },
        });
        return { fromMonth: d.fromMonth, nextReviewOn };
      }, TRANSACTION_OPTIONS);
    },
  };
}
