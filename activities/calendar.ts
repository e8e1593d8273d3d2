// The official working-day calendar (工作日): weekends off, statutory holidays off, make-up working days
// (调休上班) on. Bundled data comes from the `chinese-days` package; an operator loads each new year's
// State Council schedule as data (`npm run calendar -- load`), which replaces the bundled data for that
// year. Dates outside every known year fall back to Monday–Friday minus the fixed-date statutory holidays
// (R-APP-12: 元旦 1 Jan, 劳动节 1 May, 国庆 1–3 Oct, which the State Council gives every year) and are
// flagged `beyondCalendar`, so a deadline computed from a guess is visible as one.
import fs from 'node:fs';
import path from 'node:path';
import type { Prisma } from './db';
import { addDays } from '../workflows/rules/dates';

export interface HolidaySchedule {
  holidays: Map<string, string>;
  workdays: Map<string, string>;
  knownYears: Set<number>;
}

export interface DayOverride {
  date: string;
  kind: 'holiday' | 'workday';
  name?: string | null;
}

let bundled: HolidaySchedule | undefined;

export function bundledSchedule(): HolidaySchedule {
  if (bundled) return bundled;
  const file = path.join(path.dirname(require.resolve('chinese-days')), 'chinese-days.json');
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { holidays: Record<string, string>; workdays: Record<string, string> };
  const name = (v: string) => v.split(',')[1] ?? v;
  const holidays = new Map(Object.entries(data.holidays).map(([d, v]) => [d, name(v)]));
  const workdays = new Map(Object.entries(data.workdays).map(([d, v]) => [d, name(v)]));
  const knownYears = new Set([...holidays.keys()].map((d) => Number(d.slice(0, 4))));
  bundled = { holidays, workdays, knownYears };
  return bundled;
}

/** Operator-loaded years replace the bundled data for those years entirely. */
export function withOverrides(base: HolidaySchedule, loadedYears: number[], days: DayOverride[]): HolidaySchedule {
  if (loadedYears.length === 0) return base;
  const years = new Set(loadedYears);
  const keep = (m: Map<string, string>) => new Map([...m].filter(([d]) => !years.has(Number(d.slice(0, 4)))));
  const holidays = keep(base.holidays);
  const workdays = keep(base.workdays);
  for (const d of days) (d.kind === 'holiday' ? holidays : workdays).set(d.date, d.name ?? '');
  return { holidays, workdays, knownYears: new Set([...base.knownYears, ...years]) };
}

/** R-APP-12: statutory holidays on fixed dates (全国年节及纪念日放假办法), days off even in a year not loaded. */
export const FIXED_HOLIDAYS: readonly string[] = ['01-01', '05-01', '10-01', '10-02', '10-03'];

export class WorkingDayCalendar {
  constructor(private readonly schedule: HolidaySchedule) {}

  knows(date: string): boolean {
    return this.schedule.knownYears.has(Number(date.slice(0, 4)));
  }

  isWorkingDay(date: string): boolean {
    if (this.schedule.workdays.has(date)) return true;
    if (this.schedule.holidays.has(date)) return false;
    if (!this.knows(date) && FIXED_HOLIDAYS.includes(date.slice(5))) return false;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /**
   * The n-th working day after `from` (the day of acceptance itself is not counted, as with every
   * statutory period). Negative n counts backwards. `beyondCalendar` tells whether any day looked at
   * lies in a year the calendar does not know.
   */
  addWorkingDays(from: string, n: number): { date: string; beyondCalendar: boolean } {
    const step = n >= 0 ? 1 : -1;
    let date = from;
    let left = Math.abs(n);
    let beyondCalendar = !this.knows(from);
    while (left > 0) {
      date = addDays(date, step);
      if (!this.knows(date)) beyondCalendar = true;
      if (this.isWorkingDay(date)) left--;
    }
    return { date, beyondCalendar };
  }
}

/** The calendar with the operator's loaded years; re-read at most once a minute. */
export function createCalendarSource(prisma: Prisma, ttlMs = 60_000): () => Promise<WorkingDayCalendar> {
  let cached: { at: number; calendar: WorkingDayCalendar } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < ttlMs) return cached.calendar;
    const [years, days] = await Promise.all([prisma.calendarYear.findMany(), prisma.calendarDay.findMany()]);
    const schedule = withOverrides(
      bundledSchedule(),
      years.map((y) => y.year),
      days.map((d) => ({ date: d.date.toISOString().slice(0, 10), kind: d.kind as DayOverride['kind'], name: d.name })),
    );
    cached = { at: Date.now(), calendar: new WorkingDayCalendar(schedule) };
    return cached.calendar;
  };
}
