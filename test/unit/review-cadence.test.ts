// R-REV-01: review cadence by class from policy (R-POL reviewCadenceMonths); TEKUN annually.
import fc from 'fast-check';
import national from '../../prisma/seed/national-policy.json';
import { addDays, addMonths } from '../../workflows/rules/dates';
import { nextReviewOn, effectiveReviewClass } from '../../workflows/rules/review-cadence';
import { policyBoundIssues } from '../../activities/policy-schema';
import type { PolicyParams } from '../../workflows/rules/policy';

const policy = national.params as unknown as PolicyParams;

describe('nextReviewOn', () => {
  it('R-REV-01: annual, semiannual and quarterly households are next reviewed 12, 6 and 3 months after enrolment by the national policy', () => {
    expect(nextReviewOn('2026-03-15', 'annual', 'DIBAO', policy)).toBe('2027-03-15');
    expect(nextReviewOn('2026-03-15', 'semiannual', 'DIBAO', policy)).toBe('2026-09-15');
    expect(nextReviewOn('2026-03-15', 'quarterly', 'DIBAO_EDGE', policy)).toBe('2026-06-15');
  });

  it('R-REV-01: TEKUN is reviewed annually whatever class it was given', () => {
    expect(effectiveReviewClass('TEKUN', 'quarterly')).toBe('annual');
    expect(nextReviewOn('2026-03-15', 'quarterly', 'TEKUN', policy)).toBe('2027-03-15');
    expect(nextReviewOn('2026-03-15', 'semiannual', 'TEKUN', { reviewCadenceMonths: { annual: 10, semiannual: 6, quarterly: 3 } })).toBe('2027-01-15');
  });

  it('R-REV-01, R-POL: the months come from the policy in force, not from code', () => {
    const county = { reviewCadenceMonths: { annual: 12, semiannual: 4, quarterly: 2 } };
    expect(nextReviewOn('2026-03-15', 'semiannual', 'DIBAO', county)).toBe('2026-07-15');
    expect(nextReviewOn('2026-03-15', 'quarterly', 'DIBAO', county)).toBe('2026-05-15');
  });

  it('R-REV-01: recomputed from the last review after an outcome, clamped at month end', () => {
    expect(nextReviewOn('2026-08-31', 'semiannual', 'DIBAO', policy)).toBe('2027-02-28');
  });

  it('R-REV-01: an imported household keeps its rhythm from enrolment and is next reviewed on the first such date on or after the import', () => {
    expect(nextReviewOn('2019-05-31', 'quarterly', 'DIBAO', policy, '2026-12-01')).toBe('2027-02-28');
    expect(nextReviewOn('2019-05-31', 'quarterly', 'DIBAO', policy, '2026-11-30')).toBe('2026-11-30');
    expect(nextReviewOn('2019-08-31', 'semiannual', 'DIBAO', policy, '2026-12-01')).toBe('2027-02-28');
    expect(nextReviewOn('2019-02-10', 'annual', 'TEKUN', policy, '2026-12-01')).toBe('2027-02-10');
    // a recent enrolment is not moved
    expect(nextReviewOn('2026-11-01', 'annual', 'DIBAO', policy, '2026-12-01')).toBe('2027-11-01');
  });
});

it('R-REV-01: with notBefore, the next review is the first date of the rhythm (from + k cadences, k ≥ 1) on or after it', () => {
  const date = fc.integer({ min: 0, max: 20 * 366 }).map((d) => addDays('2010-01-01', d));
  fc.assert(
    fc.property(date, date, fc.constantFrom('annual', 'semiannual', 'quarterly' as const), (from, notBefore, cls) => {
      const m = policy.reviewCadenceMonths[cls];
      const next = nextReviewOn(from, cls, 'DIBAO', policy, notBefore);
      let k = 1;
      while (addMonths(from, m * k) < notBefore) k++;
      expect(next).toBe(addMonths(from, m * k));
    }),
  );
});

describe('R-POL bounds of reviewCadenceMonths', () => {
  it('R-REV-01: the national profile reviews annual, semiannual and quarterly households every 12, 6 and 3 months', () => {
    expect(national.params.reviewCadenceMonths).toEqual({ annual: 12, semiannual: 6, quarterly: 3 });
    expect(policyBoundIssues(national.params)).toEqual([]);
  });

  it.each([
    ['annual', 13],
    ['semiannual', 7],
    ['quarterly', 4],
    ['quarterly', 0],
    ['annual', 1.5],
  ])('R-REV-01, R-POL: reviewing %s households every %p months is refused (never less often than the rule)', (cls, months) => {
    const params = { ...national.params, reviewCadenceMonths: { ...national.params.reviewCadenceMonths, [cls]: months } };
    expect(policyBoundIssues(params).map((i) => i.path)).toEqual([`reviewCadenceMonths.${cls}`]);
  });

  it('R-REV-01, R-POL: a county may review more often, in order', () => {
    expect(policyBoundIssues({ ...national.params, reviewCadenceMonths: { annual: 6, semiannual: 4, quarterly: 2 } })).toEqual([]);
    expect(policyBoundIssues({ ...national.params, reviewCadenceMonths: { annual: 2, semiannual: 6, quarterly: 3 } }).map((i) => i.path)).toEqual(['reviewCadenceMonths']);
  });
});
