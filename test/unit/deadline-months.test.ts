// Issue 22 §1.4: statutory deadlines in calendar months (R-REV-04 majorChangeMonths, R-DTH-02 deathReviewMonths).
import { computeMonthsDeadline, deadlineByPolicy } from '../../activities/deadlines';
import { endOfChinaDay } from '../../workflows/rules/dates';
import type { PolicyParams } from '../../workflows/rules/policy';

describe('deadlines in calendar months', () => {
  it('R-REV-04: 3 months from a month end is clamped to the last day of the target month: 2027-11-30 + 3 = 2028-02-29 (leap year)', () => {
    expect(computeMonthsDeadline('2027-11-30', 3)).toEqual({ dueOn: '2028-02-29', dueAt: endOfChinaDay('2028-02-29'), warnings: [], beyondCalendar: false });
    expect(computeMonthsDeadline('2026-11-30', 3).dueOn).toBe('2027-02-28');
    expect(computeMonthsDeadline('2026-03-02', 3).dueOn).toBe('2026-06-02');
  });

  it("R-REV-04: the months come from the policy in force (majorChangeMonths), never a literal; a policy without the parameter is an error", async () => {
    const params = { majorChangeMonths: 2, deathReviewMonths: 3, decisionWarningWorkingDays: [] } as unknown as PolicyParams;
    const calendar = async () => { throw new Error('no calendar needed for months'); };
    expect((await deadlineByPolicy(params, calendar, { name: 'major_change', from: '2026-12-31', months: 'majorChangeMonths' }, '140599')).dueOn).toBe('2027-02-28');
    expect((await deadlineByPolicy(params, calendar, { name: 'death', from: '2026-12-31', months: 'deathReviewMonths' }, '140599')).dueOn).toBe('2027-03-31');
    await expect(deadlineByPolicy({} as PolicyParams, calendar, { name: 'major_change', from: '2026-12-31', months: 'majorChangeMonths' }, '140599')).rejects.toThrow(/sets no majorChangeMonths/);
  });
});
