// R-APP-12 / R-APP-13: working days by the official Chinese calendar (weekends, statutory holidays,
// make-up working days 调休), and deadlines computed from them. Pure logic: no database, no Temporal.
//
// The bundled 2026 schedule (node_modules/chinese-days/dist/chinese-days.json, chinese-days 1.5.7):
//   holidays 2026-09-25..27 (中秋, Fri–Sun) and 2026-10-01..07 (国庆, Thu–Wed);
//   make-up working days 2026-09-20 (Sunday) and 2026-10-10 (Saturday).
// Tests about a year not loaded build their calendar from explicit data (`only2026`), so they hold when
// a newer package learns 2027. Weekdays: 2026-01-01 is a Thursday, so 2026-09-21 and 2026-11-09 are Mondays, 2026-10-01 a Thursday,
// 2026-12-28 a Monday, and 2027-01-01 a Friday (2026 has 365 days: Thursday + 1).
import { bundledSchedule, withOverrides, WorkingDayCalendar } from '../../activities/calendar';
import { computeDeadline } from '../../activities/deadlines';

const bundled = () => new WorkingDayCalendar(bundledSchedule());
// A calendar that knows 2026 only, with no special day from 25 November on (none in the official 2026
// schedule either): what the service has when 2027 is not loaded.
const only2026 = () => new WorkingDayCalendar({ holidays: new Map(), workdays: new Map(), knownYears: new Set([2026]) });

describe('bundled 2026 schedule', () => {
  it('R-APP-12: the National Day and Mid-Autumn holidays 2026 are in the bundled data', () => {
    const s = bundledSchedule();
    for (const d of ['2026-09-25', '2026-09-26', '2026-09-27', '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07']) {
      expect(s.holidays.has(d)).toBe(true);
    }
    expect(s.holidays.has('2026-10-08')).toBe(false);
    expect(s.workdays.has('2026-09-20')).toBe(true);
    expect(s.workdays.has('2026-10-10')).toBe(true);
    expect(s.knownYears.has(2026)).toBe(true);
  });

  it('R-APP-12: holidays falling on weekdays are days off, make-up weekend days are working days', () => {
    const cal = bundled();
    expect(cal.isWorkingDay('2026-09-25')).toBe(false); // Friday, 中秋
    expect(cal.isWorkingDay('2026-10-01')).toBe(false); // Thursday, 国庆
    expect(cal.isWorkingDay('2026-10-07')).toBe(false); // Wednesday, 国庆
    expect(cal.isWorkingDay('2026-10-08')).toBe(true); // Thursday, back at work
    expect(cal.isWorkingDay('2026-09-20')).toBe(true); // Sunday, 调休上班
    expect(cal.isWorkingDay('2026-09-19')).toBe(false); // Saturday, ordinary weekend
    expect(cal.isWorkingDay('2026-10-10')).toBe(true); // Saturday, 调休上班
    expect(cal.isWorkingDay('2026-10-11')).toBe(false); // Sunday, ordinary weekend
    expect(cal.isWorkingDay('2026-09-22')).toBe(true); // ordinary Tuesday
  });

  it('R-APP-12: the bundled calendar falls back in a year no package will carry (2999): flagged beyondCalendar, 元旦 off', () => {
    // 2999, not 2027: a newer chinese-days learns 2027 and would turn this into a test of its data
    const cal = bundled();
    expect(cal.knows('2999-01-01')).toBe(false);
    // from Mon 2998-12-31: [Tue 2999-01-01 元旦 off], 1 Wed 01-02
    expect(cal.addWorkingDays('2998-12-31', 1)).toEqual({ date: '2999-01-02', beyondCalendar: true });
  });
});

describe('WorkingDayCalendar.addWorkingDays', () => {
  it('R-APP-12: 30 working days from 2026-09-21 skip Mid-Autumn and National Day and count the make-up Saturday 2026-10-10', () => {
    // from Mon 09-21 (not counted):
    //  1 Tue 09-22, 2 Wed 09-23, 3 Thu 09-24, [Fri 09-25, Sat 09-26, Sun 09-27 中秋 off],
    //  4 Mon 09-28, 5 Tue 09-29, 6 Wed 09-30, [10-01 … 10-07 国庆 off],
    //  7 Thu 10-08, 8 Fri 10-09, 9 Sat 10-10 (调休), [Sun 10-11 off],
    //  10-14 Mon 10-12 … Fri 10-16, 15-19 Mon 10-19 … Fri 10-23, 20-24 Mon 10-26 … Fri 10-30,
    //  25-29 Mon 11-02 … Fri 11-06, 30 Mon 11-09
    expect(bundled().addWorkingDays('2026-09-21', 30)).toEqual({ date: '2026-11-09', beyondCalendar: false });
  });

  it('R-APP-12: the start day itself is not counted', () => {
    // from Tue 09-22: 1 working day later is Wed 09-23, not 09-22 itself
    expect(bundled().addWorkingDays('2026-09-22', 1).date).toBe('2026-09-23');
    // from Fri 09-18: Sat 09-19 off, Sun 09-20 make-up working day → 1
    expect(bundled().addWorkingDays('2026-09-18', 1).date).toBe('2026-09-20');
    // from a holiday (10-01): 10-02 … 10-07 off, Thu 10-08 → 1
    expect(bundled().addWorkingDays('2026-10-01', 1).date).toBe('2026-10-08');
  });

  it('R-APP-13: a 3-working-day rejection notice from 2026-09-30 ends on the make-up Saturday 2026-10-10', () => {
    // from Wed 09-30: [10-01 … 10-07 off], 1 Thu 10-08, 2 Fri 10-09, 3 Sat 10-10 (调休)
    expect(bundled().addWorkingDays('2026-09-30', 3)).toEqual({ date: '2026-10-10', beyondCalendar: false });
  });

  it('R-APP-12: negative n counts backwards across the holiday', () => {
    // from Thu 10-08 back: [10-07 … 10-01 off], 1 Wed 09-30
    expect(bundled().addWorkingDays('2026-10-08', -1).date).toBe('2026-09-30');
    // from Mon 10-12 back: [Sun 10-11 off], 1 Sat 10-10 (调休), 2 Fri 10-09, 3 Thu 10-08
    expect(bundled().addWorkingDays('2026-10-12', -3).date).toBe('2026-10-08');
    // from Mon 09-28 back: [Sun 09-27, Sat 09-26, Fri 09-25 中秋 off], 1 Thu 09-24
    expect(bundled().addWorkingDays('2026-09-28', -1).date).toBe('2026-09-24');
  });

  it('R-APP-12: dates in a year not loaded are flagged beyondCalendar, and 元旦 is still a day off', () => {
    // from Mon 2026-12-28: 1 Tue 12-29, 2 Wed 12-30, 3 Thu 12-31 — all inside 2026
    expect(only2026().addWorkingDays('2026-12-28', 3)).toEqual({ date: '2026-12-31', beyondCalendar: false });
    // +5: …, [Fri 2027-01-01 元旦, Sat 01-02, Sun 01-03], 4 Mon 01-04, 5 Tue 01-05
    expect(only2026().addWorkingDays('2026-12-28', 5)).toEqual({ date: '2027-01-05', beyondCalendar: true });
    // starting in an unknown year is flagged too: Mon 2027-03-01 + 1 = Tue 2027-03-02
    expect(only2026().addWorkingDays('2027-03-01', 1)).toEqual({ date: '2027-03-02', beyondCalendar: true });
    expect(only2026().knows('2027-01-01')).toBe(false);
  });

  it('R-APP-12: in a year not loaded, 元旦 (1 Jan), 劳动节 (1 May) and 国庆 (1–3 Oct) are days off, the other weekdays work', () => {
    // 2029: 01-01 Mon, 04-30 Mon, 05-01 Tue, 05-02 Wed, 10-01 Mon … 10-03 Wed, 10-04 Thu
    const cal = only2026();
    expect(['2029-01-01', '2029-05-01', '2029-10-01', '2029-10-02', '2029-10-03'].map((d) => cal.isWorkingDay(d))).toEqual([false, false, false, false, false]);
    // the rest of a golden week is decided by each year's schedule: not guessed
    expect(['2029-04-30', '2029-05-02', '2029-10-04', '2029-01-02'].map((d) => cal.isWorkingDay(d))).toEqual([true, true, true, true]);
  });
});

describe('withOverrides: operator-loaded years', () => {
  it('R-APP-12: a loaded 2027 with 2027-01-01 as holiday skips that day and is not beyondCalendar', () => {
    const cal = new WorkingDayCalendar(withOverrides(bundledSchedule(), [2027], [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }]));
    // from Mon 2026-12-28: 1 Tue 12-29, 2 Wed 12-30, 3 Thu 12-31, [Fri 2027-01-01 元旦 off,
    // Sat 01-02, Sun 01-03], 4 Mon 01-04, 5 Tue 01-05
    expect(cal.addWorkingDays('2026-12-28', 5)).toEqual({ date: '2027-01-05', beyondCalendar: false });
    expect(cal.knows('2027-06-30')).toBe(true);
    expect(cal.isWorkingDay('2027-01-01')).toBe(false);
  });

  it('R-APP-12: a loaded year replaces the bundled data for that year entirely', () => {
    // the operator loads 2026 with only 10-01 as a holiday: 10-02 … 10-07 become ordinary weekdays/weekends,
    // Mid-Autumn and both make-up days disappear
    const cal = new WorkingDayCalendar(withOverrides(bundledSchedule(), [2026], [{ date: '2026-10-01', kind: 'holiday' }]));
    expect(cal.isWorkingDay('2026-10-01')).toBe(false);
    expect(cal.isWorkingDay('2026-10-02')).toBe(true); // Friday
    expect(cal.isWorkingDay('2026-09-25')).toBe(true); // Friday, no longer 中秋
    expect(cal.isWorkingDay('2026-10-10')).toBe(false); // Saturday, no longer 调休
    expect(cal.isWorkingDay('2026-09-20')).toBe(false); // Sunday, no longer 调休
    // other years keep the bundled data: 2025-10-01 is 国庆 in chinese-days
    expect(cal.isWorkingDay('2025-10-01')).toBe(false);
    // from Wed 09-30: [Thu 10-01 off], 1 Fri 10-02, [Sat 10-03, Sun 10-04], 2 Mon 10-05
    expect(cal.addWorkingDays('2026-09-30', 2).date).toBe('2026-10-05');
  });

  it('R-APP-12: loading a year does not change the bundled schedule others use', () => {
    withOverrides(bundledSchedule(), [2026], [{ date: '2026-10-01', kind: 'holiday' }]);
    // bundled, from Wed 09-30: [10-01 … 10-07 off], 1 Thu 10-08, 2 Fri 10-09
    expect(bundled().addWorkingDays('2026-09-30', 2).date).toBe('2026-10-09');
    expect(bundledSchedule().holidays.has('2026-10-02')).toBe(true);
  });

  it('R-APP-12: a loaded year with no special days is known and counts Monday–Friday', () => {
    const cal = new WorkingDayCalendar(withOverrides(bundledSchedule(), [2027], []));
    // the loaded data wins over the fallback: 2027-01-01 (a Friday) works, so Mon 12-28 + 5 = Mon 2027-01-04
    expect(cal.isWorkingDay('2027-01-01')).toBe(true);
    expect(cal.addWorkingDays('2026-12-28', 5)).toEqual({ date: '2027-01-04', beyondCalendar: false });
  });

  it('R-APP-12: a loaded make-up working Saturday counts', () => {
    const cal = new WorkingDayCalendar(withOverrides(bundledSchedule(), [2027], [{ date: '2027-01-02', kind: 'workday' }]));
    // from Thu 2026-12-31: 1 Fri 01-01, 2 Sat 01-02 (loaded workday)
    expect(cal.addWorkingDays('2026-12-31', 2)).toEqual({ date: '2027-01-02', beyondCalendar: false });
  });
});

describe('computeDeadline', () => {
  it('R-APP-12: the decision is due at the end of 2026-11-09 in China time, with warnings 5 and 1 working days before', () => {
    const d = computeDeadline(bundled(), '2026-09-21', 30, [5, 1]);
    // due 2026-11-09 (counted above); end of that day in UTC+8 = 2026-11-10T00:00+08:00 = 2026-11-09T16:00Z
    expect(d.dueOn).toBe('2026-11-09');
    expect(d.dueAt).toBe(Date.parse('2026-11-09T16:00:00Z'));
    expect(d.beyondCalendar).toBe(false);
    // 5 before Mon 11-09: 1 Fri 11-06, 2 Thu 11-05, 3 Wed 11-04, 4 Tue 11-03, 5 Mon 11-02
    //   start of 11-02 in UTC+8 = 2026-11-01T16:00Z
    // 1 before Mon 11-09: Fri 11-06, start = 2026-11-05T16:00Z
    expect(d.warnings).toEqual([
      { on: '2026-11-02', at: Date.parse('2026-11-01T16:00:00Z') },
      { on: '2026-11-06', at: Date.parse('2026-11-05T16:00:00Z') },
    ]);
  });

  it('R-APP-12: warnings are ordered earliest first, deduplicated, and n <= 0 or n >= workingDays are ignored', () => {
    const d = computeDeadline(bundled(), '2026-09-21', 30, [1, 30, 45, 0, -2, 5, 1]);
    // kept: 5 and 1 (30 and 45 are >= 30, 0 and -2 are not positive, the second 1 is a duplicate)
    expect(d.warnings.map((w) => w.on)).toEqual(['2026-11-02', '2026-11-06']);
  });

  it('R-APP-13: a 3-working-day rejection notice ignores a 5-day warning and warns 1 working day before', () => {
    const d = computeDeadline(bundled(), '2026-09-30', 3, [5, 1]);
    // due Sat 2026-10-10 (调休); end of day = 2026-10-11T00:00+08:00 = 2026-10-10T16:00Z
    expect(d.dueOn).toBe('2026-10-10');
    expect(d.dueAt).toBe(Date.parse('2026-10-10T16:00:00Z'));
    // 5 >= 3: ignored; 1 before Sat 10-10 is Fri 10-09, start = 2026-10-08T16:00Z
    expect(d.warnings).toEqual([{ on: '2026-10-09', at: Date.parse('2026-10-08T16:00:00Z') }]);
  });

  it('R-APP-12: a warning that falls before a holiday block lands on the last working day before it', () => {
    // from Mon 09-28, 4 working days: 1 Tue 09-29, 2 Wed 09-30, [10-01 … 10-07], 3 Thu 10-08, 4 Fri 10-09
    // warning 2 before Fri 10-09: 1 Thu 10-08, 2 Wed 09-30 (start = 2026-09-29T16:00Z)
    const d = computeDeadline(bundled(), '2026-09-28', 4, [2]);
    expect(d.dueOn).toBe('2026-10-09');
    expect(d.warnings).toEqual([{ on: '2026-09-30', at: Date.parse('2026-09-29T16:00:00Z') }]);
  });

  it('R-APP-12: a deadline running into a year not loaded is flagged beyondCalendar and skips 元旦', () => {
    // from Tue 2026-12-01: Dec 2-4 → 3, Dec 7-11 → 8, Dec 14-18 → 13, Dec 21-25 → 18, Dec 28-31 → 22,
    // [Fri 2027-01-01 元旦], Jan 4-8 → 27, Mon Jan 11 → 28, Tue Jan 12 → 29, Wed Jan 13 → 30
    const d = computeDeadline(only2026(), '2026-12-01', 30, []);
    expect(d.dueOn).toBe('2027-01-13');
    expect(d.beyondCalendar).toBe(true);
    // end of 2027-01-13 in UTC+8 = 2027-01-13T16:00Z
    expect(d.dueAt).toBe(Date.parse('2027-01-13T16:00:00Z'));
  });

  it('R-APP-12: a case accepted on 2026-11-25 is due 2027-01-07, not 2027-01-06: 1 January is no working day', () => {
    // from Wed 11-25: Thu 26, Fri 27 → 2; Nov 30 – Dec 4 → 7; Dec 7-11 → 12; 14-18 → 17; 21-25 → 22;
    // 28-31 → 26; [Fri 2027-01-01 元旦, Sat, Sun]; Mon 01-04 → 27, Tue 05 → 28, Wed 06 → 29, Thu 07 → 30
    const d = computeDeadline(only2026(), '2026-11-25', 30, []);
    expect(d.dueOn).toBe('2027-01-07');
    expect(d.beyondCalendar).toBe(true);
  });
});
