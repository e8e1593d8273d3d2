// R-DTH-03: which months were paid after a death, and what is to be recovered (追回). There is no payment
// ledger for the monthly roll yet (a later issue): until there is, the roster is taken to pay every month
// from `paymentStartMonth` while the household is active, and a change takes effect the month after it is
// made (R-APP-14). So the months from the month after death through the month the change was made were
// paid at the old amount. This one function is what the roll's ledger replaces.
import { nextMonth } from './dates';

const ym = (month: string, add: number): string => {
  const [y, m] = month.split('-').map(Number);
  const total = y * 12 + (m - 1) + add;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
};

/** 'YYYY-MM' months paid after the death: from max(month after death, first paid month) through `changedOn`'s month. */
export function monthsPaidAfterDeath(o: { dateOfDeath: string; paymentStartMonth: string; changedOn: string }): string[] {
  const first = [nextMonth(o.dateOfDeath), o.paymentStartMonth].sort()[1];
  const last = o.changedOn.slice(0, 7);
  const months: string[] = [];
  for (let m = first; m <= last; m = ym(m, 1)) months.push(m);
  return months;
}

/** The recovery: each month paid after death, at what was paid beyond what was due (fen). */
export function recovery(months: string[], paidFen: number, dueFen: number): { months: string[]; perMonthFen: number; totalFen: number } {
  const perMonthFen = Math.max(0, paidFen - dueFen);
  return { months, perMonthFen, totalFen: perMonthFen * months.length };
}
