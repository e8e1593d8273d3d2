// R-REV-01: when a household on the roster is next reviewed. Months per class are policy (R-POL
// reviewCadenceMonths); TEKUN is reviewed annually whatever class it was given. Pure: used by enrolment
// (activities/roster.ts), the roster import, and the review after each outcome.
import type { PolicyParams } from './policy';
import type { Programme, ReviewClass } from './types';
import { addMonths } from './dates';

/** Programmes on the roster: the application's, and near-threshold households (低保边缘, imported). */
export type RosterProgramme = Programme | 'DIBAO_EDGE';

/** The class a household is reviewed by: TEKUN annually (R-REV-01), others as classed. */
export function effectiveReviewClass(programme: RosterProgramme, cls: ReviewClass): ReviewClass {
  return programme === 'TEKUN' ? 'annual' : cls;
}

export function cadenceMonths(programme: RosterProgramme, cls: ReviewClass, policy: Pick<PolicyParams, 'reviewCadenceMonths'>): number {
  return policy.reviewCadenceMonths[effectiveReviewClass(programme, cls)];
}

/**
 * The next review after `from` (the enrolment or the last review): one cadence later. With `notBefore`
 * (an import of a legacy household whose last review is unknown) the household keeps its rhythm from
 * `from` and is reviewed on the first such date on or after `notBefore`, instead of falling due at once.
 */
export function nextReviewOn(
  from: string,
  cls: ReviewClass,
  programme: RosterProgramme,
  policy: Pick<PolicyParams, 'reviewCadenceMonths'>,
  notBefore?: string,
): string {
  const months = cadenceMonths(programme, cls, policy);
  let next = addMonths(from, months);
  if (notBefore === undefined || next >= notBefore) return next;
  // skip the whole cadences before notBefore's month, then step; always from the anchor, so month-end
  // clamping (01-31 → 02-28) does not drift the rhythm
  const monthIndex = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7));
  let k = Math.max(1, Math.floor((monthIndex(notBefore) - monthIndex(from)) / months));
  next = addMonths(from, months * k);
  while (next < notBefore) next = addMonths(from, months * ++k);
  return next;
}
