// The roster (花名册): R-APP-14 enrolment of an approved household, with the recipient's own account.
import { TRANSACTION_OPTIONS, type Prisma } from './db';
import type { Member, Programme, Residence, ReviewClass } from '../workflows/rules/types';
import type { BankAccountInput } from '../workflows/application-state';

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

export function createRosterActivities(prisma: Prisma) {
  return {
    /** Idempotent: a retried enrolment finds the household it already wrote. */
    async enrolHousehold(e: EnrolmentInput): Promise<void> {
      await prisma.$transaction(async (tx) => {
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
      }, TRANSACTION_OPTIONS);
    },
  };
}
