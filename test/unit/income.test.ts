// R-APP-05 counted income, source by source (issue 21 §1): the larger of what the household declared or the
// investigation recorded and what the verification found; lower than the verified figure only with a
// documented drop (收入骤降). One vocabulary of sources on every side; the agency's labels are mapped onto it.
import { account } from '../../workflows/rules/accounting';
import { countIncomes } from '../../workflows/rules/income';
import { toIncomeSource } from '../../activities/verification/protocol';
import { earning, findings, input, member, report } from '../helpers/accounting-fixtures';

// A rural household of three (standard 60000 a month each): 180000 − net income is the amount.
const members = [member('H-1', '1980-01-01', { relation: 'self', ableToWork: true }), member('H-2', '1982-01-01', { relation: 'spouse' }), member('H-3', '2015-01-01', { relation: 'child' })];
const laidOff = { reason: 'laid off on 2026-04-30 when the mill closed', evidence: 'termination letter 晋城纺织〔2026〕12号' };

describe('R-APP-05: counted income, source by source', () => {
  it('R-APP-05: casual work (零工) of 20000 declared, verification 0: 20000 counts and the amount is 20000 lower', () => {
    const none = account(input({ members, report: report([findings('H-1')]) }));
    const casual = account(input({ members, report: report([findings('H-1')]), incomes: [{ memberIdNumber: 'H-1', monthlyFen: 20000, source: 'casual_work' }] }));
    expect(none.maxMonthlyFen).toBe(180000); // 3 × 60000 − 0
    expect(casual.members[0]).toEqual({ idNumber: 'H-1', declaredFen: 20000, verifiedFen: 0, countedFen: 20000, sources: [{ source: 'casual_work', declaredFen: 20000, verifiedFen: 0, countedFen: 20000 }] });
    expect(casual.maxMonthlyFen).toBe(160000); // 3 × 60000 − 20000
    expect(casual.declaredAboveVerified).toEqual(['H-1']);
  });

  it('R-APP-05: a declared pension (10000) below the verified one (30000): the verified pension counts', () => {
    const a = account(input({ members, report: report([findings('H-2', { incomes: [{ source: 'pension', monthlyFen: 30000 }] })]), incomes: [{ memberIdNumber: 'H-2', monthlyFen: 10000, source: 'pension' }] }));
    expect(a.members[1]).toEqual({ idNumber: 'H-2', declaredFen: 10000, verifiedFen: 30000, countedFen: 30000, sources: [{ source: 'pension', declaredFen: 10000, verifiedFen: 30000, countedFen: 30000 }] });
    expect(a.maxMonthlyFen).toBe(150000); // 180000 − 30000
    expect(a.discrepancies).toEqual(['H-2']);
    expect(a.declaredAboveVerified).toEqual([]);
  });

  it('R-APP-05: two sources, one seen by each side (wages verified 40000, casual work declared 15000): both count, 55000', () => {
    const a = account(input({ members, report: report([earning('H-1', 40000)]), incomes: [{ memberIdNumber: 'H-1', monthlyFen: 15000, source: 'casual_work' }] }));
    expect(a.members[0]).toEqual({
      idNumber: 'H-1',
      declaredFen: 15000,
      verifiedFen: 40000,
      countedFen: 55000,
      sources: [
        { source: 'wages', declaredFen: 0, verifiedFen: 40000, countedFen: 40000 },
        { source: 'casual_work', declaredFen: 15000, verifiedFen: 0, countedFen: 15000 },
      ],
    });
    expect(a.grossMonthlyFen).toBe(55000);
    expect(a.maxMonthlyFen).toBe(125000); // 180000 − 55000
    // each side missed one source: verified above declared (wages) and declared above verified (casual work)
    expect(a.discrepancies).toEqual(['H-1']);
    expect(a.declaredAboveVerified).toEqual(['H-1']);
  });

  it('R-APP-05: two declarations of one source add up before they are compared with the verified figure', () => {
    const r = countIncomes(members, [{ memberIdNumber: 'H-1', monthlyFen: 25000, source: 'wages' }, { memberIdNumber: 'H-1', monthlyFen: 25000, source: 'wages' }], report([earning('H-1', 40000)]));
    expect(r.members[0].sources).toEqual([{ source: 'wages', declaredFen: 50000, verifiedFen: 40000, countedFen: 50000 }]);
  });

  it('R-APP-05: a documented drop still lowers the count: verified wages 300000 now 0, the declared casual work 20000 still counts', () => {
    const a = account(
      input({
        members,
        report: report([earning('H-1', 300000)]),
        incomes: [{ memberIdNumber: 'H-1', monthlyFen: 20000, source: 'casual_work' }],
        incomeDrops: [{ memberIdNumber: 'H-1', monthlyFen: 0, ...laidOff }],
      }),
    );
    expect(a.refused).toEqual([]);
    expect(a.members[0]).toEqual({
      idNumber: 'H-1',
      declaredFen: 20000,
      verifiedFen: 300000,
      countedFen: 20000,
      documentedDropFen: 0,
      sources: [
        { source: 'wages', declaredFen: 0, verifiedFen: 300000, countedFen: 0, documentedDropFen: 0 },
        { source: 'casual_work', declaredFen: 20000, verifiedFen: 0, countedFen: 20000 },
      ],
    });
    expect(a.incomeDrops).toEqual(['H-1']);
    expect(a.maxMonthlyFen).toBe(160000); // 180000 − 20000
  });

  it('R-APP-05: a documented drop counts no lower than what is declared for that source', () => {
    // wages verified 300000, documented now 0, yet 50000 of wages declared: the larger, 50000, counts
    const r = countIncomes(members, [{ memberIdNumber: 'H-1', monthlyFen: 50000, source: 'wages' }], report([earning('H-1', 300000)]), [{ memberIdNumber: 'H-1', monthlyFen: 0, ...laidOff }]);
    expect(r.refused).toEqual([]);
    expect(r.members[0].sources).toEqual([{ source: 'wages', declaredFen: 50000, verifiedFen: 300000, countedFen: 50000, documentedDropFen: 0 }]);
  });

  it('R-APP-05: with two verified sources a drop names its source (else refused naming incomeDrops[0].source), and lowers that one only', () => {
    const twoSources = report([findings('H-1', { incomes: [{ source: 'wages', monthlyFen: 300000 }, { source: 'rent', monthlyFen: 10000 }] })]);
    const unnamed = countIncomes(members, [], twoSources, [{ memberIdNumber: 'H-1', monthlyFen: 0, ...laidOff }]);
    expect(unnamed.refused.map((r) => r.path)).toEqual(['incomeDrops[0].source']);
    expect(unnamed.members[0].countedFen).toBe(310000);
    const named = countIncomes(members, [], twoSources, [{ memberIdNumber: 'H-1', source: 'wages', monthlyFen: 0, ...laidOff }]);
    expect(named.refused).toEqual([]);
    expect(named.members[0]).toMatchObject({ countedFen: 10000, documentedDropFen: 0 });
    // a drop of a source the verification did not find is not below it
    const rentless = countIncomes(members, [], report([earning('H-1', 300000)]), [{ memberIdNumber: 'H-1', source: 'rent', monthlyFen: 0, ...laidOff }]);
    expect(rentless.refused.map((r) => [r.path, r.message])).toEqual([['incomeDrops[0].monthlyFen', 'is not below the verified 0 fen: the verified figure counts']]);
  });
});

describe("R-APP-05: the agency's income sources, mapped at the adapter boundary", () => {
  it.each([
    ['wages', 'wages'],
    ['casual_work', 'casual_work'],
    [' Salary ', 'wages'],
    ['零工', 'casual_work'],
    ['养老金', 'pension'],
    ['赡养费', 'transfers'],
    ['lottery', 'other'],
    ['', 'other'],
    [42, 'other'],
    [undefined, 'other'],
  ])('R-APP-05: the agency reporting %p is counted as %s', (label, source) => {
    expect(toIncomeSource(label)).toBe(source);
  });
});
