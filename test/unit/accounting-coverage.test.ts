// R-APP-07 single-person households (单人户). Pure logic: no database, no Temporal. Every expected amount
// is worked out by hand. TEKUN persons: tekun.test.ts.
import { account, coverage } from '../../workflows/rules/accounting';
import { earning, findings, input, member, policy, report } from '../helpers/accounting-fixtures';

describe('coverage: DIBAO single-person households (R-APP-07)', () => {
  // Rural near-threshold household B: standard 60000 × 3 = 180000; 1.5 × 180000 = 270000 (national default).
  //   B-A wages 240000 (disability grade 3: not severe), B-B pension 15000 (grade 1), B-C severely ill, no income
  //   net 255000: 180000 ≤ 255000 < 270000 → near-threshold
  //   candidates: B-B 60000 − 15000 = 45000; B-C 60000 − 0 = 60000
  const members = [
    member('B-A', '1975-01-01', { relation: 'self', disabilityGrade: 3, ableToWork: true }),
    member('B-B', '1976-01-01', { relation: 'spouse', disabilityGrade: 1 }),
    member('B-C', '2005-01-01', { relation: 'child', severeIllness: true }),
  ];
  const all = ['B-A', 'B-B', 'B-C'];
  const accountB = (wagesA: number, pensionB = 15000, p = policy) =>
    account(input({ members, policy: p, report: report([earning('B-A', wagesA), findings('B-B', { incomes: [{ source: 'pension', monthlyFen: pensionB }] })]) }));

  it('R-APP-07: lists the severely disabled and severely ill members of a near-threshold household', () => {
    const a = accountB(240000);
    expect(a.netMonthlyFen).toBe(255000);
    expect(a.eligibleWhole).toBe(false);
    expect(a.singlePersonCandidates).toEqual([
      { idNumber: 'B-B', maxMonthlyFen: 45000 },
      { idNumber: 'B-C', maxMonthlyFen: 60000 },
    ]);
  });

  it('R-APP-07: covers one grade-1 disabled member alone, for standard − own counted income', () => {
    expect(coverage('DIBAO', accountB(240000), all, ['B-B'])).toEqual({
      ok: true,
      coveredMembers: ['B-B'],
      singlePerson: true,
      maxMonthlyFen: 45000,
      perMember: [{ idNumber: 'B-B', monthlyFen: 45000 }],
    });
  });

  it('R-APP-07: covers the severely disabled and the severely ill member, each as a single-person household', () => {
    // 45000 + 60000 = 105000, one roster entry each; B-A stays free to apply in his own right
    expect(coverage('DIBAO', accountB(240000), all, ['B-B', 'B-C'])).toEqual({
      ok: true,
      coveredMembers: ['B-B', 'B-C'],
      singlePerson: true,
      maxMonthlyFen: 105000,
      perMember: [
        { idNumber: 'B-B', monthlyFen: 45000 },
        { idNumber: 'B-C', monthlyFen: 60000 },
      ],
    });
  });

  it('R-APP-07: refuses a member who is neither severely disabled (grade 3) nor severely ill, naming him', () => {
    const c = coverage('DIBAO', accountB(240000), all, ['B-B', 'B-A']);
    expect(c.ok === false && c.rule).toBe('R-APP-07');
    expect(c.ok === false && c.message).toContain('not B-A');
  });

  it.each([
    // 255000 + 15000 = 270000 = 1.5 × 180000: not below
    [255000, 270000, false],
    // 254999 + 15000 = 269999 < 270000
    [254999, 269999, true],
  ])('R-APP-07: with the national 1.5 × standard, wages of %i (net %i) make the household near-threshold: %s', (wages, net, near) => {
    const a = accountB(wages);
    expect(a.netMonthlyFen).toBe(net);
    expect(coverage('DIBAO', a, all, ['B-B']).ok).toBe(near);
  });

  it.each([
    // 345000 + 15000 = 360000 = 2 × 180000: not below
    [345000, 360000, false],
    // 344999 + 15000 = 359999 < 360000
    [344999, 359999, true],
  ])('R-APP-07: where the locality relaxes the multiple to 2, wages of %i (net %i) make the household near-threshold: %s', (wages, net, near) => {
    const a = accountB(wages, 15000, { ...policy, edgeIncomeMultiple: 2 });
    expect(a.netMonthlyFen).toBe(net);
    expect(a.edgeThresholdFen).toBe(120000);
    expect(coverage('DIBAO', a, all, ['B-B']).ok).toBe(near);
  });

  it('R-APP-07: refuses a severe member whose own income already reaches the standard', () => {
    // B-A 200000 + B-B 60000 = 260000 < 270000 (near-threshold); B-B: 60000 − 60000 = 0
    const a = accountB(200000, 60000);
    expect(a.singlePersonCandidates).toEqual([{ idNumber: 'B-C', maxMonthlyFen: 60000 }]);
    const c = coverage('DIBAO', a, all, ['B-B']);
    expect(c.ok === false && c.rule).toBe('R-APP-07');
  });

  it('R-APP-05: the whole near-threshold household is not eligible', () => {
    const c = coverage('DIBAO', accountB(240000), all);
    expect(c.ok === false && c.rule).toBe('R-APP-05');
  });
});
