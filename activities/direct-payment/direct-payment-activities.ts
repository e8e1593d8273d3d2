// A direct payment's own activities (issue 23 §5): what it reads when it opens or arrives at the decision
// (the person on the roster, the policy in force, the staff register for recusal, another funeral payment for
// the person), the payee's screen (payee-screen.ts) and its projection write. Results are in the workflow's
// history: a roster or register changed later never re-decides a payment in flight on replay.
import type { Prisma } from '../db';
import { TRANSACTION_OPTIONS } from '../db';
import type { Prisma as PrismaNs } from '@prisma/client';
import { appendAudit } from '../audit-log';
import { resolvePolicy } from '../policy';
import { createStaffActivities } from '../staff';
import type { ResolvedPolicy } from '../../workflows/rules/policy';
import type { StaffRelation } from '../../workflows/rules/recusal';
import type { DirectPaymentKind, DirectPaymentPerson } from '../../workflows/rules/direct-payment';
import type { DirectPaymentRecord } from '../../workflows/direct-payment/record';
import type { Payee } from '../../workflows/kit/payment-order';
import { payeeRefusal, type PayeeRefusal } from './payee-screen';

export interface DirectPaymentContext {
  person: DirectPaymentPerson | null;
  policy?: ResolvedPolicy;
  relations: StaffRelation[];
  /** another standing funeral payment for the person (R-DIR-01: one per person) */
  otherFuneral?: string;
}

/** The person's place on the roster: a TEKUN household first, an active one before a stopped one. */
export async function rosterPerson(prisma: Prisma, idNumber: string): Promise<(DirectPaymentPerson & { memberIds: string[] }) | null> {
  const rows = await prisma.householdMember.findMany({ where: { idNumber }, include: { household: { include: { members: { select: { idNumber: true } } } } } });
  const rank = (r: (typeof rows)[number]) => (r.household.programme === 'TEKUN' ? 0 : 2) + (r.household.status === 'active' ? 0 : 1);
  const r = rows.sort((a, b) => rank(a) - rank(b))[0];
  if (!r) return null;
  const h = r.household;
  return { name: r.name, householdId: h.householdId, villageCode: h.villageCode, programme: h.programme, householdStatus: h.status, covered: r.covered, memberIds: h.members.map((m) => m.idNumber) };
}

export function createDirectPaymentActivities(prisma: Prisma) {
  const staff = createStaffActivities(prisma);
  return {
    /** R-DIR-01/02, R-POL, R-APP-09: the person, the policy in force at their village, the staff related to their household. */
    async directPaymentContext(r: { paymentId: string; kind: DirectPaymentKind; personIdNumber: string; on: string }): Promise<DirectPaymentContext> {
      const found = await rosterPerson(prisma, r.personIdNumber);
      const other = r.kind === 'funeral' ? await prisma.directPayment.findUnique({ where: { funeralPerson: r.personIdNumber }, select: { paymentId: true } }) : null;
      const otherFuneral = other && other.paymentId !== r.paymentId ? other.paymentId : undefined;
      if (!found) return { person: null, relations: [], otherFuneral };
      const { memberIds, ...person } = found;
      const [policy, relations] = await Promise.all([resolvePolicy(prisma, person.villageCode, r.on), staff.findStaffRelations({ idNumbers: memberIds })]);
      return { person, policy, relations, otherFuneral };
    },

    /** R-DIR-01: never a recipient's account, never staff (payee-screen.ts). */
    async screenDirectPayee(r: { payee: Payee; personIdNumber: string }): Promise<{ refused?: PayeeRefusal }> {
      const refused = await payeeRefusal(prisma, r.payee);
      return refused ? { refused } : {};
    },

    /** The payment's projection and audit entries, in one transaction; an older revision changes nothing. */
    async recordDirectPayment(r: DirectPaymentRecord): Promise<void> {
      const data = {
        status: r.status,
        step: r.step,
        assignee: r.assignee ?? null,
        funeralPerson: r.funeralPerson ?? null,
        householdId: r.householdId ?? null,
        villageCode: r.villageCode,
        countyCode: r.countyCode,
        amountFen: r.amountFen ?? null,
        reference: r.reference ?? null,
        bankRef: r.bankRef ?? null,
        view: r.view as PrismaNs.InputJsonValue,
        revision: r.revision,
      };
      await prisma.$transaction(async (tx) => {
        const row = await tx.directPayment.findUnique({ where: { paymentId: r.paymentId }, select: { revision: true } });
        if (!row) await tx.directPayment.create({ data: { paymentId: r.paymentId, workflowId: r.workflowId, kind: r.kind, personIdNumber: r.personIdNumber, ...data } });
        else await tx.directPayment.updateMany({ where: { paymentId: r.paymentId, revision: { lt: r.revision } }, data });
        await appendAudit(tx, r.audit, { workflowId: r.workflowId, caseId: r.paymentId, jurisdiction: r.villageCode });
      }, TRANSACTION_OPTIONS);
    },
  };
}
