// A death stop's own activities (issue 23 §4): its context (the household, the deceased, the policy and its
// deadline of deathReviewMonths from the date of death, open cases of the person), the hold (R-DTH-03), the
// roster change once the amount is confirmed, the recovery (追回), its projection write. Results are in the
// workflow's history: a roster or rule changed later never re-decides a stop on replay.
import type { Prisma as PrismaNs } from '@prisma/client';
import type { Prisma } from '../db';
import { TRANSACTION_OPTIONS } from '../db';
import type { WorkingDayCalendar } from '../calendar';
import { appendAudit } from '../audit-log';
import { writeDeadlineRows } from '../deadline-rows';
import { deadlineByPolicy } from '../deadlines';
import { resolvePolicy } from '../policy';
import { createStaffActivities } from '../staff';
import { readHousehold } from '../review/review-activities';
import { nextMonth } from '../../workflows/rules/dates';
import { monthsPaidAfterDeath, recovery } from '../../workflows/rules/death-recovery';
import type { ResolvedPolicy } from '../../workflows/rules/policy';
import type { StaffRelation } from '../../workflows/rules/recusal';
import type { DeadlineComputation } from '../../workflows/kit/deadline-clock';
import type { Programme } from '../../workflows/rules/types';
import type { RosterHousehold } from '../../workflows/review/state';
import type { Hold, Recovery } from '../../workflows/death-stop/state';
import type { DeathStopRecord } from '../../workflows/death-stop/record';

const day = (d?: string | null) => (d ? new Date(`${d}T00:00:00Z`) : null);

export interface DeathStopContext {
  /** the household with its members still active (the deceased among them until the hold) */
  household: RosterHousehold | null;
  programme?: Programme;
  policy?: ResolvedPolicy;
  relations: StaffRelation[];
  /** R-DTH-02: date of death + deathReviewMonths (policy) */
  deadline?: DeadlineComputation;
  /** an open application or review of the deceased's household, to be told */
  openCases: { workflowId: string; kind: 'application' | 'review' }[];
}

export function createDeathStopActivities(prisma: Prisma, calendar: () => Promise<WorkingDayCalendar>) {
  const staff = createStaffActivities(prisma);
  return {
    async deathStopContext(r: { householdId: string; idNumber: string; dateOfDeath: string; on: string }): Promise<DeathStopContext> {
      const household = await readHousehold(prisma, r.householdId);
      if (!household) return { household: null, relations: [], openCases: [] };
      const [policy, relations, application, reviews] = await Promise.all([
        resolvePolicy(prisma, household.villageCode, r.on),
        staff.findStaffRelations({ idNumbers: household.members.map((m) => m.idNumber) }),
        prisma.openApplication.findUnique({ where: { idNumber: r.idNumber } }),
        prisma.review.findMany({ where: { householdId: r.householdId, status: 'open' }, select: { workflowId: true } }),
      ]);
      const deadline = await deadlineByPolicy(policy.params, calendar, { name: 'death_review', from: r.dateOfDeath, months: 'deathReviewMonths' }, household.villageCode);
      const openCases = [
        ...(application ? [{ workflowId: `application-${application.caseId}`, kind: 'application' as const }] : []),
        ...reviews.map((x) => ({ workflowId: x.workflowId, kind: 'review' as const })),
      ];
      return { household, programme: household.programme, policy, relations, deadline, openCases };
    },

    /**
     * R-DTH-03: the deceased's own benefit stops from the month after death, at once: the member leaves the
     * roster (inactive); a household with nobody covered left is stopped (a `roster_change` row keyed by the
     * death stop's workflow id). Once per stop: a retry finds what the first attempt did.
     */
    async holdDeceased(r: { workflowId: string; householdId: string; idNumber: string; dateOfDeath: string; on: string }): Promise<Hold> {
      const fromMonth = nextMonth(r.dateOfDeath);
      return prisma.$transaction(async (tx) => {
        // two deaths in one household at once: each hold waits for the other's, so the later one sees the
        // earlier member inactive and closes the household (without the lock neither would)
        await tx.$queryRaw`SELECT 1 FROM household WHERE household_id = ${r.householdId} FOR UPDATE`;
        const h = await tx.household.findUniqueOrThrow({ where: { householdId: r.householdId }, include: { members: true } });
        const deceased = h.members.find((m) => m.idNumber === r.idNumber);
        await tx.householdMember.updateMany({ where: { householdId: r.householdId, idNumber: r.idNumber }, data: { active: false } });
        const remaining = h.members.filter((m) => m.active && m.covered && m.idNumber !== r.idNumber);
        const closesHousehold = remaining.length === 0;
        if (closesHousehold && !(await tx.rosterChange.findUnique({ where: { reviewId: r.workflowId } }))) {
          await tx.rosterChange.create({ data: { reviewId: r.workflowId, householdId: r.householdId, outcome: 'stop', monthlyFenBefore: h.monthlyFen, monthlyFenAfter: 0, fromMonth, decidedOn: day(r.on)! } });
          await tx.household.update({ where: { householdId: r.householdId }, data: { status: 'stopped' } });
        }
        return { fromMonth, heldOn: r.on, closesHousehold, monthlyFenBefore: h.monthlyFen, paymentStartMonth: h.paymentStartMonth, tekun: h.programme === 'TEKUN' && deceased?.covered === true };
      }, TRANSACTION_OPTIONS);
    },

    /** R-DTH-02/03: the confirmed amount of the remaining members, on the roster from the month after death. Once per stop. */
    async applyDeathAdjustment(r: { workflowId: string; householdId: string; monthlyFen: number; fromMonth: string; decidedOn: string }): Promise<{ fromMonth: string; monthlyFen: number; outcome: string }> {
      return prisma.$transaction(async (tx) => {
        const done = await tx.rosterChange.findUnique({ where: { reviewId: r.workflowId } });
        if (done) return { fromMonth: done.fromMonth, monthlyFen: done.monthlyFenAfter, outcome: done.outcome };
        const h = await tx.household.findUniqueOrThrow({ where: { householdId: r.householdId } });
        const outcome = r.monthlyFen === 0 ? 'stop' : r.monthlyFen === h.monthlyFen ? 'continue' : r.monthlyFen > h.monthlyFen ? 'increase' : 'decrease';
        await tx.rosterChange.create({ data: { reviewId: r.workflowId, householdId: r.householdId, outcome, monthlyFenBefore: h.monthlyFen, monthlyFenAfter: r.monthlyFen, fromMonth: r.fromMonth, decidedOn: day(r.decidedOn)! } });
        await tx.household.update({ where: { householdId: r.householdId }, data: outcome === 'stop' ? { status: 'stopped' } : { monthlyFen: r.monthlyFen } });
        return { fromMonth: r.fromMonth, monthlyFen: r.monthlyFen, outcome };
      }, TRANSACTION_OPTIONS);
    },

    /** R-DTH-03: months paid after death (workflows/rules/death-recovery.ts) at what was paid beyond what was due. */
    async deathRecovery(r: { dateOfDeath: string; paymentStartMonth: string; changedOn: string; paidFen: number; dueFen: number }): Promise<Omit<Recovery, 'final'>> {
      return recovery(monthsPaidAfterDeath(r), r.paidFen, r.dueFen);
    },

    /** The stop's projection, deadlines (kind 'death_stop') and audit entries, in one transaction; an older revision changes nothing. */
    async recordDeathStop(r: DeathStopRecord): Promise<void> {
      const data = {
        status: r.status,
        step: r.step,
        assignee: r.assignee ?? null,
        dueOn: day(r.dueOn),
        overdue: r.overdue,
        recoveryFen: r.recoveryFen ?? null,
        view: r.view as PrismaNs.InputJsonValue,
        revision: r.revision,
      };
      await prisma.$transaction(async (tx) => {
        // the row is the intake's claim: it exists before the workflow starts
        const wrote = (await tx.deathStop.updateMany({ where: { deathStopId: r.deathStopId, revision: { lt: r.revision } }, data })).count === 1;
        if (wrote) await writeDeadlineRows(tx, r.deadlines);
        await appendAudit(tx, r.audit, { workflowId: r.workflowId, caseId: r.deathStopId, jurisdiction: r.villageCode });
      }, TRANSACTION_OPTIONS);
    },
  };
}
