// R-APP-12/13: due dates in working days. Computed once, here, and kept by the workflow (a calendar
// corrected later does not move a running case's deadline on replay).
import type { WorkingDayCalendar } from './calendar';
import type { DeadlineComputation } from '../workflows/kit/deadline-clock';
import { endOfChinaDay, startOfChinaDay } from '../workflows/rules/dates';

export function computeDeadline(cal: WorkingDayCalendar, from: string, workingDays: number, warnBefore: number[]): DeadlineComputation {
  const due = cal.addWorkingDays(from, workingDays);
  const warnings = [...new Set(warnBefore)]
    .filter((n) => n > 0 && n < workingDays)
    .sort((a, b) => b - a)
    .map((n) => cal.addWorkingDays(due.date, -n).date)
    .map((on) => ({ on, at: startOfChinaDay(on) }));
  return { dueOn: due.date, dueAt: endOfChinaDay(due.date), warnings, beyondCalendar: due.beyondCalendar };
}

export function createDeadlineActivities(calendar: () => Promise<WorkingDayCalendar>) {
  return {
    async computeDeadline(input: { from: string; workingDays: number; warnBefore: number[] }): Promise<DeadlineComputation> {
      return computeDeadline(await calendar(), input.from, input.workingDays, input.warnBefore);
    },
  };
}
