// Which members an eligible opinion covers, and the amount the rules give them (R-APP-05, 06, 07, TEKUN).
import type { Accounting } from './accounting';
import type { Programme } from './types';

export type Coverage =
  | {
      ok: true;
      coveredMembers: string[];
      /** R-APP-07: each covered member is a single-person household of their own */
      singlePerson: boolean;
      /** the amount by the rules (the name is kept for the callers: it is the figure, not a ceiling) */
      maxMonthlyFen: number;
      /** the figure of each single-person household or TEKUN person; empty for a whole household (one figure) */
      perMember: { idNumber: string; monthlyFen: number }[];
    }
  | { ok: false; rule: string; message: string };

/**
 * DIBAO covers the whole household (R-APP-06) unless members of a near-threshold household who are
 * severely disabled or ill are covered, each as a single-person household (R-APP-07: several may be).
 * TEKUN covers the people who qualify, each at basic + care standard.
 */
export function coverage(programme: Programme, a: Accounting, allMembers: string[], requested?: string[]): Coverage {
  const asked = requested && requested.length > 0 ? [...new Set(requested)] : undefined;
  if (programme === 'TEKUN') {
    const covered = asked ?? a.tekunPersons;
    const outside = covered.filter((id) => !a.tekunPersons.includes(id));
    if (covered.length === 0) return { ok: false, rule: 'R-APP-05', message: `no member meets the 特困 conditions: ${a.reasons.join('; ')}` };
    if (outside.length) return { ok: false, rule: 'R-APP-05', message: `members ${outside.join(', ')} do not meet the 特困 conditions` };
    const perMember = covered.map((id) => ({ idNumber: id, monthlyFen: a.tekunAmounts.find((t) => t.idNumber === id)!.monthlyFen }));
    return { ok: true, coveredMembers: covered, singlePerson: false, maxMonthlyFen: perMember.reduce((s, p) => s + p.monthlyFen, 0), perMember };
  }
  const whole = !asked || (asked.length === allMembers.length && allMembers.every((id) => asked.includes(id)));
  if (whole) {
    if (!a.eligibleWhole) return { ok: false, rule: 'R-APP-05', message: `the household is not eligible: ${a.reasons.join('; ')}` };
    return { ok: true, coveredMembers: allMembers, singlePerson: false, maxMonthlyFen: a.maxMonthlyFen, perMember: [] };
  }
  if (a.eligibleWhole) return { ok: false, rule: 'R-APP-06', message: 'an eligible household is enrolled whole, not only some of its members' };
  const outside = asked.filter((id) => !a.singlePersonCandidates.some((c) => c.idNumber === id));
  if (outside.length) {
    return {
      ok: false,
      rule: 'R-APP-07',
      message: `only severely disabled or severely ill members of a near-threshold household, whose own income is below the standard, may be covered alone: not ${outside.join(', ')}`,
    };
  }
  const perMember = asked.map((id) => ({ idNumber: id, monthlyFen: a.singlePersonCandidates.find((c) => c.idNumber === id)!.maxMonthlyFen }));
  return { ok: true, coveredMembers: asked, singlePerson: true, maxMonthlyFen: perMember.reduce((s, p) => s + p.monthlyFen, 0), perMember };
}
