// Calendar dates in China Standard Time (UTC+8, no daylight saving), as 'YYYY-MM-DD' strings.
// Pure arithmetic on epoch milliseconds: safe inside workflow code, where Date.now() is Temporal's clock.

const CST_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** The date in China at the instant `ms`. */
export function chinaDate(ms: number): string {
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a date begins in China. */
export function startOfChinaDay(date: string): number {
  return Date.parse(`${date}T00:00:00+08:00`);
}

/** A deadline 'due on D' passes when day D ends in China. */
export function endOfChinaDay(date: string): number {
  return startOfChinaDay(date) + DAY_MS;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM' of the month after the date's month. */
export function nextMonth(date: string): string {
  return addMonths(date, 1).slice(0, 7);
}

/** Same day `months` later, clamped to the month's last day (01-31 + 1 month = 02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** Age in whole years on a date. */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export function isDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}
