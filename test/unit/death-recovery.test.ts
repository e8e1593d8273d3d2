// R-DTH-03: which months were paid after a death (the roster pays every month from paymentStartMonth while
// active; a change takes effect the month after it is made), and what is recovered (追回). R-DTH-02: the
// death review's months are a procedural limit a locality may shorten, never lengthen.
import { monthsPaidAfterDeath, recovery } from '../../workflows/rules/death-recovery';
import { policyOverrideSchema } from '../../activities/policy-schema';

describe('death recovery', () => {
  it('R-DTH-03: the months from the month after death through the month of the change were paid; a death in the month of the change leaves none', () => {
    expect(monthsPaidAfterDeath({ dateOfDeath: '2025-11-30', paymentStartMonth: '2025-07', changedOn: '2026-02-03' })).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(monthsPaidAfterDeath({ dateOfDeath: '2026-02-10', paymentStartMonth: '2025-07', changedOn: '2026-02-28' })).toEqual([]);
    // across a year end, and never before payments began
    expect(monthsPaidAfterDeath({ dateOfDeath: '2025-10-01', paymentStartMonth: '2026-01', changedOn: '2026-01-15' })).toEqual(['2026-01']);
  });

  it('R-DTH-03: each month paid after death is recovered at what was paid beyond what was due', () => {
    expect(recovery(['2026-01', '2026-02'], 180000, 120000)).toEqual({ months: ['2026-01', '2026-02'], perMonthFen: 60000, totalFen: 120000 });
    expect(recovery(['2026-01'], 60000, 0)).toEqual({ months: ['2026-01'], perMonthFen: 60000, totalFen: 60000 });
    expect(recovery(['2026-01'], 100000, 120000).totalFen).toBe(0); // an increase is not a debt
  });

  it('R-DTH-02: a locality may shorten deathReviewMonths, never lengthen it beyond 3', () => {
    expect(policyOverrideSchema.safeParse({ deathReviewMonths: 2 }).success).toBe(true);
    expect(policyOverrideSchema.safeParse({ deathReviewMonths: 4 }).success).toBe(false);
  });
});
