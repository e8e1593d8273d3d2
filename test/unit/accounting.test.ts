// R-APP-05 income accounting, R-APP-06 whole-household enrolment. Pure logic: no database, no Temporal.
// Every expected amount is worked out by hand. Single-person households: accounting-coverage.test.ts;
// TEKUN: tekun.test.ts; the property test: accounting-property.test.ts.
import { account, checkMonthlyAmount, coverage, tieredDeduction, type AccountingInput } from '../../workflows/rules/accounting';
import { earning, findings, input, member, policy, report } from '../helpers/accounting-fixtures';
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
  // Rural household A of three: father F, mother M (severely ill, disability grade 2), child C (student).
  //   F declares wages 40000 + casual work (零工) 10000; verification finds wages 60000 and no casual work
  //     → wages max(40000, 60000) = 60000, casual work max(10000, 0) = 10000: counted 70000
  //   M declares a pension of 25000, verification finds 20000 → counted 25000 (the larger, source by source)
  //   C nothing → 0
  //   an obligor (a son living elsewhere) earns 500000 and holds 10,000,000 in deposits: not household income
  //   gross = 70000 + 25000 + 0 = 95000
  //   illness of M 30000 + 30000 = 60000 in the month → 50000 + 10000 × 70% = 57000
  //   schooling of C 10000 → 10000 × 100% = 10000; disability nothing → 0
  //   net = 95000 − 57000 − 10000 = 28000 (per capita 9333.33…, shown floored as 9333)
  //   amount = 60000 × 3 − 28000 = 180000 − 28000 = 152000
  const householdA: Member[] = [
    member('A-F', '1970-05-10', { relation: 'self', ableToWork: true }),
    member('A-M', '1972-03-03', { relation: 'spouse', disabilityGrade: 2, severeIllness: true }),
    member('A-C', '2012-03-01', { relation: 'child', student: true }),
  ];
  const inputA = (i: Partial<AccountingInput> = {}) =>
    input({
      members: householdA,
      incomes: [
        { memberIdNumber: 'A-F', monthlyFen: 40000, source: 'wages' },
        { memberIdNumber: 'A-F', monthlyFen: 10000, source: 'casual_work' },
        { memberIdNumber: 'A-M', monthlyFen: 25000, source: 'pension' },
      ],
      expenditures: [
        { kind: 'illness', monthlyFen: 30000, memberIdNumber: 'A-M' },
        { kind: 'illness', monthlyFen: 30000, memberIdNumber: 'A-M' },
        { kind: 'schooling', monthlyFen: 10000, memberIdNumber: 'A-C' },
      ],
      report: report([
        earning('A-F', 60000, { depositsFen: 100000 }),
        findings('A-M', { incomes: [{ source: 'pension', monthlyFen: 20000 }], depositsFen: 50000 }),
        findings('A-C'),
        findings('A-O', { role: 'obligor', incomes: [{ source: 'wages', monthlyFen: 500000 }], depositsFen: 10_000_000 }),
      ]),
      ...i,
    });

  it('R-APP-05: counts, source by source, the larger of the declared and the verified income of each member', () => {
    const a = account(inputA());
    expect(a.members).toEqual([
      {
        idNumber: 'A-F',
        declaredFen: 50000,
        verifiedFen: 60000,
        countedFen: 70000,
        sources: [
          { source: 'wages', declaredFen: 40000, verifiedFen: 60000, countedFen: 60000 },
          { source: 'casual_work', declaredFen: 10000, verifiedFen: 0, countedFen: 10000 },
        ],
      },
      { idNumber: 'A-M', declaredFen: 25000, verifiedFen: 20000, countedFen: 25000, sources: [{ source: 'pension', declaredFen: 25000, verifiedFen: 20000, countedFen: 25000 }] },
      { idNumber: 'A-C', declaredFen: 0, verifiedFen: 0, countedFen: 0, sources: [] },
    ]);
    expect(a.grossMonthlyFen).toBe(95000);
    expect(a.discrepancies).toEqual(['A-F']); // F's wages: verified above declared
    expect(a.declaredAboveVerified).toEqual(['A-F', 'A-M']); // F's casual work, M's pension: the declaration counts
    expect(a.incomeDrops).toEqual([]);
  });

  it("R-APP-05: deducts each named member's rigid expenditures in tiers and computes the net income", () => {
    const a = account(inputA());
    expect(a.refused).toEqual([]);
    expect(a.deductionsFen).toEqual({ illness: 57000, disability: 0, schooling: 10000 });
    expect(a.netMonthlyFen).toBe(28000);
    expect(a.perCapitaFen).toBe(9333);
    expect(a.standardFen).toBe(60000);
    expect(a.householdStandardFen).toBe(180000);
    expect(a.edgeThresholdFen).toBe(90000); // 1.5 × 60000, the national default
  });

  // The amount is standard × members − net income, with no per-capita rounding before the gap.
  it.each([
    ['rural household A: 60000 × 3 − 28000', 152000, {}],
    ['urban household A: 80000 × 3 − 28000', 212000, { residence: 'urban' as const }],
    // net 95000 − 57000 − 9999 = 28001: flooring 9333.67 first gave (60000 − 9333) × 3 = 152001, 2 fen too many
    ['household A with a schooling bill of 9999: 180000 − 28001', 151999, {
      expenditures: [
        { kind: 'illness' as const, monthlyFen: 60000, memberIdNumber: 'A-M' },
        { kind: 'schooling' as const, monthlyFen: 9999, memberIdNumber: 'A-C' },
      ],
    }],
  ])('R-APP-05: %s = %i fen', (_label, expected, override: Partial<AccountingInput>) => {
    const a = account(inputA(override));
    expect(a.eligibleWhole).toBe(true);
    expect(a.maxMonthlyFen).toBe(expected);
    expect(a.reasons).toEqual([]);
    expect(coverage('DIBAO', a, householdA.map((m) => m.idNumber))).toMatchObject({ ok: true, maxMonthlyFen: expected });
  });

  it('R-APP-05: net income never goes below zero when deductions exceed income', () => {
    const a = account(
      input({
        members: [member('N-1', '1960-01-01', { severeIllness: true })],
        report: report([earning('N-1', 10000)]),
        expenditures: [{ kind: 'illness', monthlyFen: 60000, memberIdNumber: 'N-1' }],
      }),
    );
    // 10000 − 57000 < 0 → 0; amount = 60000 × 1 − 0 = 60000
    expect(a.netMonthlyFen).toBe(0);
    expect(a.maxMonthlyFen).toBe(60000);
  });

  it('R-APP-05: refuses to account without a local 低保标准 (the national profile sets none)', () => {
    expect(() => account(inputA({ policy: national.params as PolicyParams }))).toThrow('no rural 低保标准');
  });

  it('R-APP-05: a household whose net income equals standard × members is not eligible', () => {
    // one member, verified pension 60000 = 60000 × 1
    const a = account(input({ members: [member('S-1', '1960-01-01')], report: report([findings('S-1', { incomes: [{ source: 'pension', monthlyFen: 60000 }] })]) }));
    expect(a.eligibleWhole).toBe(false);
    expect(a.maxMonthlyFen).toBe(0);
    expect(a.reasons).toContain('per-capita income not below the standard');
  });
});

describe('account: a documented lower current income (收入骤降)', () => {
  // A laid-off worker L and his schoolchild K. The agency still shows L's old wage 300000.
  //   without the documented drop: net 300000 ≥ 60000 × 2 = 120000 → not eligible
  //   with it (current income 0, reason and evidence): net 0 → amount 120000 − 0 = 120000
  const members = [member('L-1', '1985-02-02', { relation: 'self', ableToWork: true }), member('L-2', '2014-09-01', { relation: 'child', student: true })];
  const laidOff = { memberIdNumber: 'L-1', monthlyFen: 0, reason: 'laid off on 2026-04-30 when the mill closed', evidence: 'termination letter 晋城纺织〔2026〕12号' };
  const accountL = (drops: AccountingInput['incomeDrops'], declared = 0) =>
    account(input({ members, incomes: [{ memberIdNumber: 'L-1', monthlyFen: declared, source: 'wages' }], report: report([earning('L-1', 300000)]), incomeDrops: drops }));

  it('R-APP-05: without a documented drop the verified old wage counts, whatever is declared', () => {
    const a = accountL(undefined);
    expect(a.members[0]).toEqual({ idNumber: 'L-1', declaredFen: 0, verifiedFen: 300000, countedFen: 300000, sources: [{ source: 'wages', declaredFen: 0, verifiedFen: 300000, countedFen: 300000 }] });
    expect(a.eligibleWhole).toBe(false);
  });

  it('R-APP-05: a documented lower current income replaces the verified figure and is flagged for the audit', () => {
    const a = accountL([laidOff]);
    expect(a.members[0]).toEqual({
      idNumber: 'L-1',
      declaredFen: 0,
      verifiedFen: 300000,
      countedFen: 0,
      documentedDropFen: 0,
      sources: [{ source: 'wages', declaredFen: 0, verifiedFen: 300000, countedFen: 0, documentedDropFen: 0 }],
    });
    expect(a.incomeDrops).toEqual(['L-1']);
    expect(a.refused).toEqual([]);
    expect(a.eligibleWhole).toBe(true);
    expect(a.maxMonthlyFen).toBe(120000);
  });

  it.each([
    ['without evidence', { ...laidOff, evidence: ' ' }, 'incomeDrops[0].evidence'],
    ['without a reason', { ...laidOff, reason: '' }, 'incomeDrops[0].reason'],
    ['not below the verified 300000', { ...laidOff, monthlyFen: 300000 }, 'incomeDrops[0].monthlyFen'],
    ['for a person outside the household', { ...laidOff, memberIdNumber: 'L-9' }, 'incomeDrops[0].memberIdNumber'],
  ])('R-APP-05: refuses a lower income %s, naming the field, and counts the verified wage', (_label, drop, path) => {
    const a = accountL([drop]);
    expect(a.refused.map((r) => r.path)).toEqual([path]);
    expect(a.members[0].countedFen).toBe(300000);
    expect(a.incomeDrops).toEqual([]);
    expect(a.eligibleWhole).toBe(false);
  });
});

describe('account: deductions belong to a named member with that condition', () => {
  // A single adult X, verified wages 70000 > 60000: no student, no illness, no disability.
  const single = (expenditures: AccountingInput['expenditures'], m: Partial<Member> = {}, p: PolicyParams = policy) =>
    account(input({ members: [member('X-1', '1990-01-01', { relation: 'self', ...m })], report: report([earning('X-1', 70000)]), expenditures, policy: p }));

  it('R-APP-05: refuses schooling and illness deductions of a single adult who is neither a student nor ill', () => {
    // before: 70000 − 30000 − 20000 = 20000 < 60000, eligible for 40000; now nothing is deducted
    const a = single([
      { kind: 'illness', monthlyFen: 30000, memberIdNumber: 'X-1' },
      { kind: 'schooling', monthlyFen: 20000 },
    ]);
    expect(a.refused).toEqual([
      { rule: 'R-APP-05', path: 'expenditures[0].memberIdNumber', message: 'a deduction for illness belongs to an ill member (severeIllness): X-1 is not' },
      { rule: 'R-APP-05', path: 'expenditures[1].memberIdNumber', message: 'a deduction for schooling must name the member it is for' },
    ]);
    expect(a.deductionsFen).toEqual({ illness: 0, disability: 0, schooling: 0 });
    expect(a.netMonthlyFen).toBe(70000);
    expect(a.eligibleWhole).toBe(false);
  });

  it('R-APP-05: refuses a schooling deduction named for a member who is not a student (§3.7)', () => {
    // named, but X-1 is no student: 70000 stays the net income, above the 60000 standard
    const a = single([{ kind: 'schooling', monthlyFen: 20000, memberIdNumber: 'X-1' }], { student: false });
    expect(a.refused).toEqual([{ rule: 'R-APP-05', path: 'expenditures[0].memberIdNumber', message: 'a deduction for schooling belongs to a student: X-1 is not' }]);
    expect(a.deductionsFen.schooling).toBe(0);
    expect(a.netMonthlyFen).toBe(70000);
    // the same bill for a student is deducted: 70000 − 20000 = 50000 < 60000
    expect(single([{ kind: 'schooling', monthlyFen: 20000, memberIdNumber: 'X-1' }], { student: true }).netMonthlyFen).toBe(50000);
  });

  it('R-APP-05: refuses a deduction naming someone outside the household', () => {
    const a = single([{ kind: 'disability', monthlyFen: 30000, memberIdNumber: 'Z-9' }], { disabilityGrade: 3 });
    expect(a.refused.map((r) => [r.path, r.message])).toEqual([['expenditures[0].memberIdNumber', 'is not a member of this household']]);
    expect(a.netMonthlyFen).toBe(70000);
  });

  it('R-APP-05: a disabled member of any grade (3) carries a disability deduction', () => {
    // 30000 at 100% → 70000 − 30000 = 40000 < 60000: amount 60000 − 40000 = 20000
    const a = single([{ kind: 'disability', monthlyFen: 30000, memberIdNumber: 'X-1' }], { disabilityGrade: 3 });
    expect(a.refused).toEqual([]);
    expect(a.deductionsFen.disability).toBe(30000);
    expect(a.maxMonthlyFen).toBe(20000);
  });

  it("R-APP-05: only the part above the locality's threshold is a large expenditure and enters the tiers", () => {
    // threshold 20000 for illness: 60000 − 20000 = 40000 → 40000 × 100% (first tier up to 50000)
    const p = { ...policy, deductionThresholdFen: { illness: 20000, disability: 0, schooling: 0 } };
    const a = single([{ kind: 'illness', monthlyFen: 60000, memberIdNumber: 'X-1' }], { severeIllness: true }, p);
    expect(a.deductionsFen.illness).toBe(40000);
    expect(a.netMonthlyFen).toBe(30000); // 70000 − 40000
    // below the threshold nothing is deducted: 15000 − 20000 < 0
    expect(single([{ kind: 'illness', monthlyFen: 15000, memberIdNumber: 'X-1' }], { severeIllness: true }, p).deductionsFen.illness).toBe(0);
  });
});

describe('coverage and amount: DIBAO whole household (R-APP-06, R-APP-05)', () => {
  // verified incomes 60000 (F) + 20000 (M); no expenditures: net 80000, per capita 26666.67
  // amount = 60000 × 3 − 80000 = 100000 (the floored per capita gave (60000 − 26666) × 3 = 100002)
  const members = [
    member('W-F', '1970-05-10', { relation: 'self' }),
    member('W-M', '1972-03-03', { relation: 'spouse', disabilityGrade: 1 }),
    member('W-C', '2012-03-01', { relation: 'child' }),
  ];
  const all = ['W-F', 'W-M', 'W-C'];
  const a = () => account(input({ members, report: report([earning('W-F', 60000), findings('W-M', { incomes: [{ source: 'pension', monthlyFen: 20000 }] })]) }));
  const whole = { ok: true, coveredMembers: all, singlePerson: false, maxMonthlyFen: 100000, perMember: [] };

  it('R-APP-06: covers the whole eligible household by default, for standard × members − net income', () => {
    expect(coverage('DIBAO', a(), all)).toEqual(whole);
  });

  it('R-APP-06: a request naming every member, in any order, is the whole household', () => {
    expect(coverage('DIBAO', a(), all, ['W-C', 'W-F', 'W-M'])).toEqual(whole);
  });

  it('R-APP-06: refuses a strict subset of an eligible household', () => {
    const c = coverage('DIBAO', a(), all, ['W-F', 'W-M']);
    expect(c.ok === false && c.rule).toBe('R-APP-06');
  });

  it('R-APP-06: refuses covering only the severely disabled member of an eligible household', () => {
    const c = coverage('DIBAO', a(), all, ['W-M']);
    expect(c.ok === false && c.rule).toBe('R-APP-06');
  });

  it.each([
    ['the figure itself', 100000, { ok: true, monthlyFen: 100000 }],
    ['no amount stated: the figure', undefined, { ok: true, monthlyFen: 100000 }],
  ])('R-APP-05: an approval of %s is accepted', (_label, proposed, expected) => {
    expect(checkMonthlyAmount(coverage('DIBAO', a(), all) as { maxMonthlyFen: number }, proposed)).toEqual(expected);
  });

  it.each([
    ['1,000 fen below the figure', 99000, 'below'],
    ['1 fen', 1, 'below'],
    ['above the figure', 100001, 'above'],
  ])('R-APP-05: refuses an amount %s, saying which figure the accounting gives', (_label, proposed, which) => {
    const r = checkMonthlyAmount(coverage('DIBAO', a(), all) as { maxMonthlyFen: number }, proposed);
    expect(r).toEqual({ ok: false, rule: 'R-APP-05', expectedFen: 100000, message: expect.stringContaining(`${proposed} fen is ${which} the 100000 fen`) });
  });
});
