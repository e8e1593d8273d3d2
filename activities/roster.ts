// The roster (花名册): R-APP-14 enrolment of an approved household, with the recipient's own account.
import type { Prisma as PrismaNs } from '@prisma/client';
import { TRANSACTION_OPTIONS, type Prisma } from './db';
import { recordSpecialFiling, type EnrolledCaseView } from './application/special-filing-register';
import type { Member, Programme, Residence, ReviewClass } from '../workflows/rules/types';
import type { BankAccountInput } from '../workflows/application/state';
import { resolvePolicy } from './policy';
import { reviewClass } from '../workflows/rules/review-class';
import { nextReviewOn } from '../workflows/rules/review-cadence';

export interface EnrolmentInput {
  householdId: string;
  caseId: string;
  programme: Programme;
  villageCode: string;
  residence: Residence;
  members: (Member & { covered: boolean })[];
  monthlyFen: number;
  enrolledOn: string;
  paymentStartMonth: string;
  reviewClass: ReviewClass | string;
  nextReviewOn: string;
  singlePerson: boolean;
  account?: BankAccountInput;
}

const day = (d: string) => new Date(`${d}T00:00:00Z`);

/** "Never on the roster twice": the covered members' ID numbers, sorted (unique among active households). */
export const rosterKey = (coveredIdNumbers: string[]): string => [...coveredIdNumbers].sort().join(',');

/** What an approval decides; the household itself is read from the case (activities/roster.ts enrolCase). */
export interface CaseEnrolment {
  caseId: string;
  householdId: string;
  coveredMembers: string[];
  singlePerson: boolean;
  monthlyFen: number;
  enrolledOn: string;
  paymentStartMonth: string;
  /** R-PAY-01: the recipient's own account (kept out of the case projection, so it travels here) */
  account?: BankAccountInput;
}

/** Idempotent: a retried enrolment finds the household it already wrote. */
async function writeHousehold(tx: PrismaNs.TransactionClient, e: EnrolmentInput): Promise<void> {
  if (await tx.household.findUnique({ where: { householdId: e.householdId }, select: { householdId: true } })) return;
  await tx.household.create({
    data: {
      householdId: e.householdId,
      caseId: e.caseId,
      programme: e.programme,
      villageCode: e.villageCode,
      townshipCode: e.villageCode.slice(0, 9),
      countyCode: e.villageCode.slice(0, 6),
      residence: e.residence,
      status: 'active',
      monthlyFen: e.monthlyFen,
      enrolledOn: day(e.enrolledOn),
      paymentStartMonth: e.paymentStartMonth,
      reviewClass: e.reviewClass,
      nextReviewOn: day(e.nextReviewOn),
      singlePerson: e.singlePerson,
      rosterKey: rosterKey(e.members.filter((m) => m.covered).map((m) => m.idNumber)),
      members: {
        create: e.members.map((m) => ({
          idNumber: m.idNumber,
          name: m.name,
          relation: m.relation,
          birthDate: day(m.birthDate),
          covered: m.covered,
          disabilityGrade: m.disabilityGrade ?? null,
          severeIllness: m.severeIllness ?? false,
        })),
      },
    },
  });
  if (e.account) {
    const holder = e.members.find((m) => m.idNumber === e.account!.holderIdNumber);
    await tx.bankAccount.create({
      data: { householdId: e.householdId, ...e.account, holderName: holder?.name ?? '', registeredOn: day(e.enrolledOn) },
    });
  }
}

export function createRosterActivities(prisma: Prisma) {
  return {
    /** Idempotent: a retried enrolment finds the household it already wrote. */
    async enrolHousehold(e: EnrolmentInput): Promise<void> {
      await prisma.$transaction((tx) => writeHousehold(tx, e), TRANSACTION_OPTIONS);
    },

    /**
     * R-APP-14: enrols an approved case. Only identifiers and the decision travel through the workflow's
     * history; the household is read from the case's projection, and the review class
     * (R-REV-01) is decided here by the rule in force, recorded in history by the result. A specially
     * filed case enters the county's special-filing register, and the declared staff relations the
     * near-relative register, in the same transaction (R-APP-08, R-SUP-06: special-filing-register.ts).
     */
    async enrolCase(e: CaseEnrolment): Promise<{ reviewClass: ReviewClass; nextReviewOn: string }> {
      const row = await prisma.case.findUniqueOrThrow({ where: { caseId: e.caseId } });
      const v = row.view as unknown as EnrolledCaseView & { household: { residence: Residence; members: Member[] } };
      const policy = (await resolvePolicy(prisma, row.villageCode, e.enrolledOn)).params;
      const covered = v.household.members.filter((m) => e.coveredMembers.includes(m.idNumber));
      const cls = reviewClass(row.programme as Programme, covered, policy, e.enrolledOn);
      // R-REV-01: months per class are policy (reviewCadenceMonths), as for an imported household
      const next = nextReviewOn(e.enrolledOn, cls, row.programme as Programme, policy);
      const enrolment: EnrolmentInput = {
        ...e,
        programme: row.programme as Programme,
        villageCode: row.villageCode,
        residence: v.household.residence,
        members: v.household.members.map((m) => ({ ...m, covered: e.coveredMembers.includes(m.idNumber) })),
        reviewClass: cls,
        nextReviewOn: next,
      };
      await prisma.$transaction(async (tx) => {
        await writeHousehold(tx, enrolment);
        await recordSpecialFiling(tx, { ...e, programme: row.programme, villageCode: row.villageCode, view: v });
      }, TRANSACTION_OPTIONS);
      return { reviewClass: cls, nextReviewOn: next };
    },
  };
}
