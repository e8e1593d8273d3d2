// R-APP-05 income accounting, R-APP-06 whole-household enrolment, R-APP-07 single-person households,
// TEKUN persons. Pure logic: no database, no Temporal. Every expected amount is worked out by hand.
import { account, coverage, tieredDeduction, type AccountingInput } from '../../workflows/rules/accounting';
import { findings, input, member, policy, report } from '../helpers/accounting-fixtures';
import national from '../../prisma/seed/national-policy.json';
import type { PolicyParams } from '../../workflows/rules/policy';
import type { Member } from '../../workflows/rules/types';

describe('tieredDeduction', () => {
  // illness tiers: first 50000 at 100%, 50000–150000 at 70%, above 150000 at 50%
  // disability:    first 30000 at 100%, 30000–100000 at 70%, above 100000 at 50%
  // schooling:     first 30000 at 100%, above at 50%
  it.each([
    ['illness', 0, 0], // nothing spent
    ['illness', 30000, 30000], // 30000 × 100%
    ['illness', 50000, 50000], // 50000 × 100%, exactly the first ceiling
    ['illness', 50001, 50000], // 50000 + floor(1 × 70%) = 50000 + 0
    ['illness', 100000, 85000], // 50000 + 50000 × 70% = 50000 + 35000
    ['illness', 150000, 120000], // 50000 + 100000 × 70% = 50000 + 70000
    ['illness', 200000, 145000], // 120000 + 50000 × 50% = 120000 + 25000
    ['disability', 80000, 65000], // 30000 + 50000 × 70% = 30000 + 35000
    ['disability', 130000, 94000], // 30000 + 70000 × 70% + 30000 × 50% = 30000 + 49000 + 15000
    ['schooling', 30001, 30000], // 30000 + floor(1 × 50%) = 30000 + 0
    ['schooling', 50000, 40000], // 30000 + 20000 × 50% = 30000 + 10000
  ] as const)('R-APP-05: %s expenditure of %i fen deducts %i fen', (kind, spent, expected) => {
    expect(tieredDeduction(spent, policy.deductions[kind])).toBe(expected);
  });

  it('R-APP-05: a proportion is floored to whole fen', () => {
    // 100 × 3333 / 10000 = 33.33 → 33
    expect(tieredDeduction(100, [{ upToFen: null, ratioBp: 3333 }])).toBe(33);
  });
});

describe('account: DIBAO income accounting', () => {
  // Rural household A of three: father F, mother M (disability grade 2), child C (student).
  //   F declares wages 40000 + odd jobs 20000 = 60000, verification finds 50000 → counted 60000 (max)
  //   M declares nothing, verification finds a pension of 20000 → counted 20000 (max), a discrepancy
  //   C nothing → 0
  //   an obligor (a son living elsewhere) earns 500000 and holds 10,000,000 in deposits: not household income
  //   gross = 60000 + 20000 + 0 = 80000
  //   illness 30000 + 30000 = 60000 in the month → 50000 + 10000 × 70% = 57000
  //   schooling 10000 → 10000 × 100% = 10000; disability nothing → 0
  //   net = 80000 − 57000 − 10000 = 13000; per capita = floor(13000 / 3) = floor(4333.3) = 4333
  //   deposits 100000 + 50000 + 0 = 150000, per capita 50000 ≤ limit 60000 × 24 = 1,440,000
  //   eligible whole; max = (60000 − 4333) × 3 = 55667 × 3 = 167001
  const householdA: Member[] = [
    member('A-F', '1970-05-10', { relation: 'self', ableToWork: true }),
    member('A-M', '1972-03-03', { relation: 'spouse', disabilityGrade: 2 }),
    member('A-C', '2012-03-01', { relation: 'child', student: true }),
  ];
  const inputA = (i: Partial<AccountingInput> = {}) =>
    input({
      members: householdA,
      incomes: [
        { memberIdNumber: 'A-F', monthlyFen: 40000, source: 'wages' },
        { memberIdNumber: 'A-F', monthlyFen: 20000, source: 'odd jobs' },
      ],
      expenditures: [
        { kind: 'illness', monthlyFen: 30000 },
        { kind: 'illness', monthlyFen: 30000 },
        { kind: 'schooling', monthlyFen: 10000 },
      ],
      report: report([
        findings('A-F', { incomes: [{ source: 'wages', monthlyFen: 50000 }], depositsFen: 100000 }),
        findings('A-M', { incomes: [{ source: 'pension', monthlyFen: 20000 }], depositsFen: 50000 }),
        findings('A-C'),
        findings('A-O', { role: 'obligor', incomes: [{ source: 'wages', monthlyFen: 500000 }], depositsFen: 10_000_000 }),
      ]),
      ...i,
    });

  it('R-APP-05: counts the larger of declared and verified income per member', () => {
    const a = account(inputA());
    expect(a.members).toEqual([
      { idNumber: 'A-F', declaredFen: 60000, verifiedFen: 50000, countedFen: 60000 },
      { idNumber: 'A-M', declaredFen: 0, verifiedFen: 20000, countedFen: 20000 },
      { idNumber: 'A-C', declaredFen: 0, verifiedFen: 0, countedFen: 0 },
    ]);
    expect(a.grossMonthlyFen).toBe(80000);
    // only M's verified income exceeds her declaration
    expect(a.discrepancies).toEqual(['A-M']);
  });

  it('R-APP-05: deducts rigid expenditures in tiers on each kind\'s monthly total and computes per-capita income', () => {
    const a = account(inputA());
    expect(a.deductionsFen).toEqual({ illness: 57000, disability: 0, schooling: 10000 });
    expect(a.netMonthlyFen).toBe(13000);
    expect(a.perCapitaFen).toBe(4333);
    expect(a.standardFen).toBe(60000);
    expect(a.edgeThresholdFen).toBe(120000); // 2 × 60000
  });

  it('R-APP-05: an eligible DIBAO household gets (standard − per capita) × members', () => {
    const a = account(inputA());
    expect(a.depositsPerCapitaFen).toBe(50000);
    expect(a.depositLimitPerCapitaFen).toBe(1_440_000);
    expect(a.passesPropertyTest).toBe(true);
    expect(a.eligibleWhole).toBe(true);
    expect(a.maxMonthlyFen).toBe(167001);
    expect(a.singlePersonCandidates).toEqual([]);
    expect(a.reasons).toEqual([]);
  });

  it('R-APP-05: an urban household is judged by the urban standard', () => {
    const a = account(inputA({ residence: 'urban' }));
    // standard 80000; per capita 4333 as before; max = (80000 − 4333) × 3 = 75667 × 3 = 227001
    expect(a.standardFen).toBe(80000);
    expect(a.maxMonthlyFen).toBe(227001);
    // deposit limit 80000 × 24 = 1,920,000
    expect(a.depositLimitPerCapitaFen).toBe(1_920_000);
  });

  it('R-APP-05: net income never goes below zero when deductions exceed income', () => {
    const a = account(
      input({
        members: [member('N-1', '1960-01-01')],
        incomes: [{ memberIdNumber: 'N-1', monthlyFen: 10000, source: 'wages' }],
        expenditures: [{ kind: 'illness', monthlyFen: 60000 }],
      }),
    );
    // 10000 − 57000 < 0 → 0; per capita 0; max = (60000 − 0) × 1 = 60000
    expect(a.netMonthlyFen).toBe(0);
    expect(a.perCapitaFen).toBe(0);
    expect(a.maxMonthlyFen).toBe(60000);
  });

  it('R-APP-05: refuses to account without a local 低保标准 (the national profile sets none)', () => {
    expect(() => account(inputA({ policy: national.params as PolicyParams }))).toThrow('no rural 低保标准');
  });

  it('R-APP-05: a household at the standard is not eligible', () => {
    // one member, income exactly 60000: per capita 60000 is not below 60000
    const a = account(input({ members: [member('S-1', '1960-01-01')], incomes: [{ memberIdNumber: 'S-1', monthlyFen: 60000, source: 'pension' }] }));
    expect(a.eligibleWhole).toBe(false);
    expect(a.maxMonthlyFen).toBe(0);
    expect(a.reasons).toContain('per-capita income not below the standard');
  });
});

describe('account: property test on deposits', () => {
  // Two members, no income. Limit per member = 60000 × 24 = 1,440,000 fen.
  const members = [member('P-1', '1950-01-01', { relation: 'self' }), member('P-2', '1952-01-01', { relation: 'spouse', disabilityGrade: 1 })];
  const withDeposits = (d1: number, d2: number, obligor = 0) =>
    account(
      input({
        members,
        report: report([
          findings('P-1', { depositsFen: d1 }),
          findings('P-2', { depositsFen: d2 }),
          findings('P-O', { role: 'obligor', depositsFen: obligor }),
        ]),
      }),
    );

  it('R-APP-05: deposits exactly at the limit per member pass', () => {
    // 2,000,000 + 880,000 = 2,880,000; / 2 = 1,440,000 ≤ 1,440,000
    const a = withDeposits(2_000_000, 880_000);
    expect(a.depositsPerCapitaFen).toBe(1_440_000);
    expect(a.passesPropertyTest).toBe(true);
    expect(a.eligibleWhole).toBe(true);
    // max = (60000 − 0) × 2 = 120000
    expect(a.maxMonthlyFen).toBe(120000);
  });

  it('R-APP-05: deposits above the limit per member fail the property test, and no member is covered alone', () => {
    // 2,000,000 + 880,002 = 2,880,002; / 2 = 1,440,001 > 1,440,000
    const a = withDeposits(2_000_000, 880_002);
    expect(a.depositsPerCapitaFen).toBe(1_440_001);
    expect(a.passesPropertyTest).toBe(false);
    expect(a.eligibleWhole).toBe(false);
    expect(a.maxMonthlyFen).toBe(0);
    expect(a.singlePersonCandidates).toEqual([]); // P-2 has grade 1, but the property test failed
    expect(a.reasons).toContain('deposits per member above the property limit');
  });

  it('R-APP-05: an obligor\'s deposits are not the household\'s', () => {
    const a = withDeposits(0, 0, 50_000_000);
    expect(a.depositsPerCapitaFen).toBe(0);
    expect(a.passesPropertyTest).toBe(true);
  });
});

describe('coverage: DIBAO whole household (R-APP-06)', () => {
  // household A again, compactly: incomes 60000 (F) + 20000 (M); no expenditures:
  // per capita = floor(80000 / 3) = 26666; max = (60000 − 26666) × 3 = 33334 × 3 = 100002
  const members = [
    member('W-F', '1970-05-10', { relation: 'self' }),
    member('W-M', '1972-03-03', { relation: 'spouse', disabilityGrade: 1 }),
    member('W-C', '2012-03-01', { relation: 'child' }),
  ];
  const all = ['W-F', 'W-M', 'W-C'];
  const a = () =>
    account(
      input({
        members,
        incomes: [
          { memberIdNumber: 'W-F', monthlyFen: 60000, source: 'wages' },
          { memberIdNumber: 'W-M', monthlyFen: 20000, source: 'pension' },
        ],
      }),
    );

  it('R-APP-06: covers the whole eligible household by default', () => {
    expect(a().perCapitaFen).toBe(26666);
    expect(coverage('DIBAO', a(), all)).toEqual({ ok: true, coveredMembers: all, singlePerson: false, maxMonthlyFen: 100002 });
  });

  it('R-APP-06: a request naming every member, in any order, is the whole household', () => {
    expect(coverage('DIBAO', a(), all, ['W-C', 'W-F', 'W-M'])).toEqual({ ok: true, coveredMembers: all, singlePerson: false, maxMonthlyFen: 100002 });
  });

  it('R-APP-06: refuses a strict subset of an eligible household', () => {
    const c = coverage('DIBAO', a(), all, ['W-F', 'W-M']);
    expect(c.ok).toBe(false);
    expect(c.ok === false && c.rule).toBe('R-APP-06');
  });

  it('R-APP-06: refuses covering only the severely disabled member of an eligible household', () => {
    const c = coverage('DIBAO', a(), all, ['W-M']);
    expect(c.ok).toBe(false);
    expect(c.ok === false && c.rule).toBe('R-APP-06');
  });
});
