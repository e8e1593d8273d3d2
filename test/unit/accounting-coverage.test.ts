// R-APP-07 single-person households and TEKUN persons (the accounting itself: accounting.test.ts). Pure logic: no database, no Temporal. Every expected amount is worked out by hand.
import { account, coverage } from '../../workflows/rules/accounting';
import { findings, input, member, report } from '../helpers/accounting-fixtures';

describe('coverage: DIBAO single-person households (R-APP-07)', () => {
  // Rural near-threshold household B: standard 60000, 2 × standard = 120000.
  //   B-A wages 240000 (disability grade 3: not severe), B-B pension 15000 (grade 1), B-C severely ill, no income
  //   gross 255000; per capita 255000 / 3 = 85000; 60000 ≤ 85000 < 120000 → near-threshold
  //   candidates: B-B max = 60000 − 15000 = 45000; B-C max = 60000 − 0 = 60000
  const members = [
    member('B-A', '1975-01-01', { relation: 'self', disabilityGrade: 3, ableToWork: true }),
    member('B-B', '1976-01-01', { relation: 'spouse', disabilityGrade: 1 }),
    member('B-C', '2005-01-01', { relation: 'child', severeIllness: true }),
  ];
  const all = ['B-A', 'B-B', 'B-C'];
  const accountB = (wagesA: number, pensionB = 15000) =>
    account(
      input({
        members,
        incomes: [
          { memberIdNumber: 'B-A', monthlyFen: wagesA, source: 'wages' },
          { memberIdNumber: 'B-B', monthlyFen: pensionB, source: 'pension' },
        ],
      }),
    );

  it('R-APP-07: lists the severely disabled and severely ill members of a near-threshold household', () => {
    const a = accountB(240000);
    expect(a.perCapitaFen).toBe(85000);
    expect(a.eligibleWhole).toBe(false);
    expect(a.singlePersonCandidates).toEqual([
      { idNumber: 'B-B', maxMonthlyFen: 45000 },
      { idNumber: 'B-C', maxMonthlyFen: 60000 },
    ]);
  });

  it('R-APP-07: covers exactly one grade-1 disabled member alone, for standard − own counted income', () => {
    expect(coverage('DIBAO', accountB(240000), all, ['B-B'])).toEqual({ ok: true, coveredMembers: ['B-B'], singlePerson: true, maxMonthlyFen: 45000 });
  });

  it('R-APP-07: covers exactly one severely ill member alone', () => {
    expect(coverage('DIBAO', accountB(240000), all, ['B-C'])).toEqual({ ok: true, coveredMembers: ['B-C'], singlePerson: true, maxMonthlyFen: 60000 });
  });

  it('R-APP-07: refuses two members covered alone', () => {
    const c = coverage('DIBAO', accountB(240000), all, ['B-B', 'B-C']);
    expect(c.ok === false && c.rule).toBe('R-APP-07');
  });

  it('R-APP-07: refuses a member who is neither severely disabled (grade 3) nor severely ill', () => {
    const c = coverage('DIBAO', accountB(240000), all, ['B-A']);
    expect(c.ok === false && c.rule).toBe('R-APP-07');
  });

  it('R-APP-07: refuses when per-capita income reaches 2 × the standard', () => {
    // 345000 + 15000 + 0 = 360000; / 3 = 120000, not below 120000
    const a = accountB(345000);
    expect(a.perCapitaFen).toBe(120000);
    expect(a.singlePersonCandidates).toEqual([]);
    const c = coverage('DIBAO', a, all, ['B-B']);
    expect(c.ok === false && c.rule).toBe('R-APP-07');
  });

  it('R-APP-07: just below 2 × the standard the member may still be covered alone', () => {
    // 344997 + 15000 = 359997; / 3 = 119999 < 120000
    const a = accountB(344997);
    expect(a.perCapitaFen).toBe(119999);
    expect(coverage('DIBAO', a, all, ['B-B'])).toEqual({ ok: true, coveredMembers: ['B-B'], singlePerson: true, maxMonthlyFen: 45000 });
  });

  it('R-APP-07: refuses a severe member whose own income already reaches the standard', () => {
    // B-B pension 60000: 240000 + 60000 = 300000; / 3 = 100000 (near-threshold); B-B max = 60000 − 60000 = 0
    const a = accountB(240000, 60000);
    expect(a.singlePersonCandidates).toEqual([{ idNumber: 'B-C', maxMonthlyFen: 60000 }]);
    expect(coverage('DIBAO', a, all, ['B-B']).ok).toBe(false);
  });

  it('R-APP-05: the whole near-threshold household is not eligible', () => {
    const c = coverage('DIBAO', accountB(240000), all);
    expect(c.ok === false && c.rule).toBe('R-APP-05');
  });
});

describe('account and coverage: TEKUN persons', () => {
  // on 2026-06-01, rural: 特困 standard 78000, own income must be below the 低保 standard 60000
  const members = [
    member('T-E60', '1966-06-01'), // 60 today (2026 − 1966, birthday reached) → elderly ✓
    member('T-E59', '1966-06-02'), // 59 (birthday tomorrow) ✗
    member('T-M15', '2010-06-02'), // 15 (16 tomorrow) → minor ✓
    member('T-M16', '2010-06-01'), // 16 today ✗
    member('T-D2', '1980-01-01', { disabilityGrade: 2, ableToWork: false }), // 46, grade 2 severe ✓
    member('T-D3', '1980-01-01', { disabilityGrade: 3, ableToWork: false }), // grade 3 not severe ✗
    member('T-ABLE', '1950-01-01', { ableToWork: true }), // 76 but able to work ✗
    member('T-ATSTD', '1950-01-01'), // own pension 60000, not below 60000 ✗
    member('T-BELOW', '1950-01-01'), // own pension 59999 < 60000 ✓
  ];
  const all = members.map((m) => m.idNumber);
  const a = () =>
    account(
      input({
        programme: 'TEKUN',
        members,
        incomes: [
          { memberIdNumber: 'T-ATSTD', monthlyFen: 60000, source: 'pension' },
          { memberIdNumber: 'T-BELOW', monthlyFen: 59999, source: 'pension' },
        ],
      }),
    );

  it('R-APP-05: TEKUN persons are ≥ 60, < 16 or severely disabled, not able to work, own income below the 低保 standard', () => {
    expect(a().tekunPersons).toEqual(['T-E60', 'T-M15', 'T-D2', 'T-BELOW']);
    // 4 × 78000 = 312000
    expect(a().maxMonthlyFen).toBe(312000);
  });

  it('R-APP-05: TEKUN covers every qualifying person by default', () => {
    expect(coverage('TEKUN', a(), all)).toEqual({ ok: true, coveredMembers: ['T-E60', 'T-M15', 'T-D2', 'T-BELOW'], singlePerson: false, maxMonthlyFen: 312000 });
  });

  it('R-APP-05: TEKUN may cover one qualifying person, at one 特困 standard', () => {
    // 312000 / 4 × 1 = 78000
    expect(coverage('TEKUN', a(), all, ['T-E60'])).toEqual({ ok: true, coveredMembers: ['T-E60'], singlePerson: false, maxMonthlyFen: 78000 });
  });

  it('R-APP-05: TEKUN refuses a person who does not qualify', () => {
    const c = coverage('TEKUN', a(), all, ['T-E60', 'T-E59']);
    expect(c.ok === false && c.rule).toBe('R-APP-05');
  });

  it('R-APP-05: TEKUN refuses a household where nobody qualifies', () => {
    const none = account(input({ programme: 'TEKUN', members: [member('T-X', '1980-01-01', { ableToWork: true })] }));
    expect(none.tekunPersons).toEqual([]);
    expect(none.maxMonthlyFen).toBe(0);
    expect(none.reasons).toContain('no member meets the 特困 conditions');
    expect(coverage('TEKUN', none, ['T-X']).ok).toBe(false);
  });

  it('R-APP-05: TEKUN persons must pass the property test too', () => {
    // one person, deposits 1,440,001 > 60000 × 24 = 1,440,000
    const rich = account(
      input({ programme: 'TEKUN', members: [member('T-R', '1940-01-01')], report: report([findings('T-R', { depositsFen: 1_440_001 })]) }),
    );
    expect(rich.passesPropertyTest).toBe(false);
    expect(rich.tekunPersons).toEqual([]);
  });
});
