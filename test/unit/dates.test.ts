// Calendar dates in China Standard Time (UTC+8). Pure logic: no database, no Temporal. Helpers whose data
// reaches no rule (month arithmetic) are titled by the function they prove.
import { addDays, addMonths, ageOn, chinaDate, daysBetween, endOfChinaDay, isDate, nextMonth, startOfChinaDay } from '../../workflows/rules/dates';

describe('chinaDate, startOfChinaDay, endOfChinaDay', () => {
  it('R-APP-12: 2026-11-24T16:30:00Z is already 2026-11-25 in China (16:30 + 8 h = 00:30 next day)', () => {
    expect(chinaDate(Date.parse('2026-11-24T16:30:00Z'))).toBe('2026-11-25');
  });

  it('R-APP-12: the China day changes at 16:00 UTC', () => {
    // 15:59:59.999Z + 8 h = 23:59:59.999 on the 24th; 16:00Z + 8 h = 00:00 on the 25th
    expect(chinaDate(Date.parse('2026-11-24T15:59:59.999Z'))).toBe('2026-11-24');
    expect(chinaDate(Date.parse('2026-11-24T16:00:00Z'))).toBe('2026-11-25');
  });

  it('R-APP-12: a day in China starts at 16:00 UTC the day before', () => {
    expect(startOfChinaDay('2026-11-25')).toBe(Date.parse('2026-11-24T16:00:00Z'));
  });

  it('R-APP-12: a deadline due on 2026-11-25 passes at the end of that day in China, 2026-11-25T16:00Z', () => {
    // 2026-11-26T00:00+08:00 = 2026-11-25T16:00Z
    expect(endOfChinaDay('2026-11-25')).toBe(Date.parse('2026-11-25T16:00:00Z'));
    // one millisecond before the end is still the due day
    expect(chinaDate(endOfChinaDay('2026-11-25') - 1)).toBe('2026-11-25');
  });

  it('R-APP-12: the end of the year in China is 2026-12-31T16:00Z', () => {
    expect(endOfChinaDay('2026-12-31')).toBe(Date.parse('2026-12-31T16:00:00Z'));
    expect(chinaDate(Date.parse('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });
});

describe('addMonths, nextMonth', () => {
  it('addMonths: 2026-01-31 + 1 month is clamped to 2026-02-28', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
  });

  it('addMonths: clamps to 02-29 in a leap year and to 30-day months', () => {
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29'); // 2028 is divisible by 4
    expect(addMonths('2026-03-31', 1)).toBe('2026-04-30');
    expect(addMonths('2026-05-31', -1)).toBe('2026-04-30');
  });

  it('addMonths: 3 months from 2026-11-30 is 2027-02-28, across the year end', () => {
    // 11 + 3 = 14 → February of the next year; 30 clamped to 28 (2027 is not a leap year)
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
  });

  it('addMonths: negative months go back across the year start', () => {
    // January − 1 = December 2025; January − 13 = December 2024
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
    expect(addMonths('2026-01-15', -13)).toBe('2024-12-15');
    expect(addMonths('2026-06-15', 0)).toBe('2026-06-15');
  });

  it('R-APP-14: payment starts the month after the decision: a December decision pays from January next year', () => {
    expect(nextMonth('2026-12-15')).toBe('2027-01');
    expect(nextMonth('2026-12-31')).toBe('2027-01');
    expect(nextMonth('2026-01-31')).toBe('2026-02');
  });
});

describe('ageOn', () => {
  it('R-REV-01: age in whole years is one less the day before the birthday', () => {
    // born 1966-06-01: 2026 − 1966 = 60, minus 1 before June 1st
    expect(ageOn('1966-06-01', '2026-05-31')).toBe(59);
    expect(ageOn('1966-06-01', '2026-06-01')).toBe(60);
    expect(ageOn('1966-06-01', '2026-06-02')).toBe(60);
    // a birthday later in the year: born 1966-12-31, on 2026-06-01 → 60 − 1 = 59
    expect(ageOn('1966-12-31', '2026-06-01')).toBe(59);
  });

  it('R-REV-01: someone born on 02-29 turns a year older on 03-01 in a common year', () => {
    // 2026 − 2008 = 18; on 02-28 the birthday (02-29) has not been reached → 17
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });
});

describe('addDays, daysBetween, isDate', () => {
  it('R-APP-10: addDays crosses years and months: 7 days of publicity from 2026-12-28 end on 2027-01-04, and the day before 2026-03-01 is 2026-02-28', () => {
    // Dec 28 + 3 = Dec 31, + 1 = Jan 1, + 3 = Jan 4
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('R-APP-12: 2026-09-21 to 2026-11-09 is 49 calendar days', () => {
    // Sep 21 → Sep 30: 9, October: 31, Oct 31 → Nov 9: 9; 9 + 31 + 9 = 49
    expect(daysBetween('2026-09-21', '2026-11-09')).toBe(49);
    expect(daysBetween('2026-11-09', '2026-09-21')).toBe(-49);
  });

  it('R-APP-12: isDate accepts real YYYY-MM-DD dates only', () => {
    expect(isDate('2026-02-28')).toBe(true);
    expect(isDate('2028-02-29')).toBe(true);
    expect(isDate('2026-02-29')).toBe(false);
    expect(isDate('2026-13-01')).toBe(false);
    expect(isDate('2026-2-28')).toBe(false);
    expect(isDate('2026-02-28T00:00:00Z')).toBe(false);
  });
});
