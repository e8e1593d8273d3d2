// R-REV-06: a review period is a calendar month in China time, 'YYYY-MM'. Pure: used in workflow code.
import { chinaDate } from '../rules/dates';

export function isPeriod(s: unknown): s is string {
  return typeof s === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(s);
}

/** The period an instant falls in, in China time (a schedule's 02:00 on the 1st is that month). */
export function periodOfInstant(ms: number): string {
  return chinaDate(ms).slice(0, 7);
}

/** The period's last day, 'YYYY-MM-DD': a household due on or before it is due in the period. */
export function lastDayOfPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10); // day 0 of the next month
}
