// R-DIR-01, R-DIR-02: what a direct payment for a TEKUN (特困) person may be, as pure rules the API and the
// workflow's validators both run: who may be paid for each kind (never cash: a bank account always; never a
// person: only an undertaker, a support institution or a hospital), and how much (a funeral at most the
// policy's subsidy standard; medical costs at most the residual after insurance and medical assistance).
import type { PolicyParams } from './policy';

export type DirectPaymentKind = 'funeral' | 'medical';
export const PAYEE_TYPES = ['undertaker', 'institution', 'hospital'] as const;
export type DirectPayeeType = (typeof PAYEE_TYPES)[number];

/** R-DIR-01: funeral → the undertaker (承办人) or the support institution; R-DIR-02: medical → the hospital. */
export const PAYEES_BY_KIND: Record<DirectPaymentKind, readonly DirectPayeeType[]> = {
  funeral: ['undertaker', 'institution'],
  medical: ['hospital'],
};

export interface MedicalCosts {
  totalCostFen: number;
  insurancePaidFen: number;
  medicalAssistancePaidFen: number;
}

export interface AmountRequest extends Partial<MedicalCosts> {
  amountFen: number;
  payee: { type: string };
}

interface Issue {
  path: string;
  message: string;
}

/** R-DIR-02: what is left to the person after medical insurance and medical assistance (never below 0). */
export function medicalResidual(c: MedicalCosts): number {
  return Math.max(0, c.totalCostFen - c.insurancePaidFen - c.medicalAssistancePaidFen);
}

/** The payee's type for the kind (R-DIR-01/02). */
export function payeeIssues(kind: DirectPaymentKind, payee: { type: string }): Issue[] {
  const allowed = PAYEES_BY_KIND[kind];
  return allowed.includes(payee.type as DirectPayeeType) ? [] : [{ path: 'payee.type', message: `a ${kind} payment goes to ${allowed.join(' or ')} (R-DIR-0${kind === 'funeral' ? 1 : 2})` }];
}

/** The figures a medical payment carries, and none on a funeral one; a medical amount within the residual (R-DIR-02). */
export function medicalIssues(kind: DirectPaymentKind, r: AmountRequest): Issue[] {
  const fields = ['totalCostFen', 'insurancePaidFen', 'medicalAssistancePaidFen'] as const;
  if (kind === 'funeral') return fields.filter((f) => r[f] !== undefined).map((f) => ({ path: f, message: 'only a medical payment carries it' }));
  const missing = fields.filter((f) => r[f] === undefined);
  if (missing.length) return missing.map((f) => ({ path: f, message: 'required for a medical payment (R-DIR-02)' }));
  const c = r as MedicalCosts;
  if (c.insurancePaidFen + c.medicalAssistancePaidFen > c.totalCostFen) {
    return [{ path: 'insurancePaidFen', message: `insurance and medical assistance (${c.insurancePaidFen + c.medicalAssistancePaidFen} fen) exceed the total cost ${c.totalCostFen} fen` }];
  }
  const residual = medicalResidual(c);
  return r.amountFen > residual ? [{ path: 'amountFen', message: `at most the residual ${residual} fen left after insurance and medical assistance (R-DIR-02)` }] : [];
}

/** R-DIR-01: a funeral subsidy at most the policy's standard. */
export function funeralIssues(kind: DirectPaymentKind, r: AmountRequest, policy: Pick<PolicyParams, 'funeralSubsidyFen'>): Issue[] {
  if (kind !== 'funeral' || r.amountFen <= policy.funeralSubsidyFen) return [];
  return [{ path: 'amountFen', message: `at most the funeral subsidy standard ${policy.funeralSubsidyFen} fen (R-DIR-01)` }];
}

/** Every issue of a request, the policy's bound included when the policy is known. */
export function requestIssues(kind: DirectPaymentKind, r: AmountRequest, policy?: Pick<PolicyParams, 'funeralSubsidyFen'>): Issue[] {
  return [...payeeIssues(kind, r.payee), ...medicalIssues(kind, r), ...(policy ? funeralIssues(kind, r, policy) : [])];
}

/** The person as the roster holds them (activities/direct-payment/context.ts). */
export interface DirectPaymentPerson {
  name: string;
  householdId: string;
  villageCode: string;
  programme: string;
  householdStatus: string;
  covered: boolean;
}

/**
 * R-DIR-01/02: why the payment cannot be for this person, or undefined. Only a TEKUN recipient (covered on
 * the roster); a funeral only for one whose death the death stop recorded (R-DTH-04); medical costs only
 * for a living, active recipient.
 */
export function personRefusal(kind: DirectPaymentKind, p: DirectPaymentPerson | null, dateOfDeath?: string): string | undefined {
  if (!p || p.programme !== 'TEKUN' || !p.covered) return 'the person is not a TEKUN (特困) recipient on the roster (R-DIR-01/02)';
  if (kind === 'funeral' && !dateOfDeath) return 'no death is recorded for the person: a funeral payment starts with the death stop (R-DTH-04)';
  if (kind === 'medical' && p.householdStatus !== 'active') return `the person's support is ${p.householdStatus} (R-DIR-02)`;
  return undefined;
}
