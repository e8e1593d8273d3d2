// R-REV-01 review cadence by class, fixed at enrolment and recomputed after each review.
import type { PolicyParams } from './policy';
import type { Member, Programme, ReviewClass } from './types';
import { ageOn } from './dates';

export function reviewClass(programme: Programme, covered: Member[], policy: PolicyParams, on: string): ReviewClass {
  if (programme === 'TEKUN') return 'annual';
  const workingAge = (m: Member) => {
    const age = ageOn(m.birthDate, on);
    return age >= policy.workingAgeFrom && age < policy.workingAgeTo;
  };
  // irregular income with working-age members able to work → every 3 months
  if (covered.some((m) => workingAge(m) && m.ableToWork === true)) return 'quarterly';
  // no one who could earn: income stable all year → annually
  if (covered.every((m) => !workingAge(m) || m.severeIllness || (m.disabilityGrade !== undefined && policy.severeDisabilityGrades.includes(m.disabilityGrade)))) {
    return 'annual';
  }
  return 'semiannual';
}

/** The national defaults of R-POL reviewCadenceMonths; dates come from review-cadence.ts with the policy in force. */
export const REVIEW_CLASS_MONTHS: Record<ReviewClass, number> = { annual: 12, semiannual: 6, quarterly: 3 };
