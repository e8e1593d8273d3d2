// R-DIR-01, R-PAY-04: a direct payment goes to an undertaker, an institution or a hospital, never to a person's
// or a staff member's account. What this service can know of that, checked by the API (an early 422) and by the
// workflow (an activity, in history): the account is not any recipient's own registered account (bank_account,
// R-PAY-01), and the payee is not named as a member of staff in the register (staff_member). Staff accounts are
// not registered anywhere, so a staff member's name is what can be matched.
import type { Prisma } from '../db';
import type { Payee } from '../../workflows/kit/payment-order';

export interface PayeeRefusal {
  path: string;
  message: string;
}

/** The first reason the payee may not be paid, or undefined. */
export async function payeeRefusal(prisma: Prisma, payee: Pick<Payee, 'name' | 'accountNo'>): Promise<PayeeRefusal | undefined> {
  const [account, staff] = await Promise.all([
    prisma.bankAccount.findFirst({ where: { accountNo: payee.accountNo }, select: { householdId: true } }),
    prisma.staffMember.findFirst({ where: { name: payee.name.trim() }, select: { staffId: true } }),
  ]);
  // R-SEC-01: the lookup spans every jurisdiction, so the refusal names no household and no staff member
  if (account) return { path: 'payee.accountNo', message: "the account is a recipient's own: a direct payment never goes to a person's account (R-DIR-01)" };
  if (staff) return { path: 'payee.name', message: 'the payee is a member of staff: a direct payment never goes to staff (R-DIR-01)' };
  return undefined;
}
