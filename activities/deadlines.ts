// Statutory due dates, computed once, here, and kept by the workflow (a calendar or policy corrected later
// does not move a running case's deadline on replay). Two measures (issue 22 §1.4): working days
// (R-APP-12/13, the official calendar with 调休) and calendar months (R-REV-04's majorChangeMonths, R-DTH-02's
// deathReviewMonths), the day of the month kept and clamped to the month's end (2027-11-30 + 3 = 2028-02-29).
import type { WorkingDayCalendar } from './calendar';
import type { DeadlineComputation } from '../workflows/kit/deadline-clock';
import type { PolicyParams } from '../workflows/rules/policy';
import { addMonths, endOfChinaDay, startOfChinaDay } from '../workflows/rules/dates';

export function computeDeadline(cal: WorkingDayCalendar, from: string, workingDays: number, warnBefore: number[]): DeadlineComputation {
  const due = cal.addWorkingDays(from, workingDays);
  const warnings = [...new Set(warnBefore)]
    .filter((n) => n > 0 && n < workingDays)
    .sort((a, b) => b - a)
    .map((n) => cal.addWorkingDays(due.date, -n).date)
    .map((on) => ({ on, at: startOfChinaDay(on) }));
  return { dueOn: due.date, dueAt: endOfChinaDay(due.date), warnings, beyondCalendar: due.beyondCalendar };
}

/** Due `months` calendar months after `from`, at the end of that day in China; no calendar needed, so never beyond it. */
export function computeMonthsDeadline(from: string, months: number): DeadlineComputation {
  const dueOn = addMonths(from, months);
  return { dueOn, dueAt: endOfChinaDay(dueOn), warnings: [], beyondCalendar: false };
}

/** Policy parameters that are a number of calendar months to a statutory deadline. */
export type MonthsParam = 'majorChangeMonths' | 'deathReviewMonths';

/** A deadline a kind asks for by the name of its policy parameter: working days or calendar months. */
export type PolicyDeadline = { name: string; from: string } & ({ workingDays: keyof PolicyParams; warn: boolean } | { months: MonthsParam });

/** The due date of a deadline named by its policy parameter, by the policy in force (R-POL). */
export async function deadlineByPolicy(params: PolicyParams, calendar: () => Promise<WorkingDayCalendar>, d: PolicyDeadline, jurisdiction: string): Promise<DeadlineComputation> {
  const p = params as unknown as Record<string, unknown>;
  const n = p['months' in d ? d.months : d.workingDays];
  if (typeof n !== 'number') throw new Error(`policy for ${jurisdiction} sets no ${'months' in d ? d.months : d.workingDays}`);
  if ('months' in d) return computeMonthsDeadline(d.from, n);
  return computeDeadline(await calendar(), d.from, n, d.warn ? params.decisionWarningWorkingDays : []);
}

export function createDeadlineActivities(calendar: () => Promise<WorkingDayCalendar>) {
  return {
    async computeDeadline(input: { from: string; workingDays: number; warnBefore: number[] }): Promise<DeadlineComputation> {
      return computeDeadline(await calendar(), input.from, input.workingDays, input.warnBefore);
    },
  };
}
