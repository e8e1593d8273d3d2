// R-APP-05 property test: verified deposits and investigated assets against the limit per member, with
// the exemptions of the investigation and of the collective decision. Pure logic: no database, no Temporal.
import { account, type AccountingInput } from '../../workflows/rules/accounting';
import { findings, input, member, report } from '../helpers/accounting-fixtures';

// Two members, no income. Limit per member = 60000 × 24 = 1,440,000 fen; for the household 2,880,000.
const members = [member('P-1', '1950-01-01', { relation: 'self' }), member('P-2', '1952-01-01', { relation: 'spouse', disabilityGrade: 1 })];
const withDeposits = (d1: number, d2: number, more: Partial<AccountingInput> = {}, obligor = 0) =>
  account(
    input({
      members,
      report: report([findings('P-1', { depositsFen: d1 }), findings('P-2', { depositsFen: d2 }), findings('P-O', { role: 'obligor', depositsFen: obligor })]),
      ...more,
    }),
  );

describe('account: deposits', () => {
  it('R-APP-05: deposits exactly at the limit per member pass', () => {
    // 2,000,000 + 880,000 = 2,880,000 ≤ 1,440,000 × 2
    const a = withDeposits(2_000_000, 880_000);
    expect(a.depositsPerCapitaFen).toBe(1_440_000);
    expect(a.depositLimitPerCapitaFen).toBe(1_440_000);
    expect(a.passesPropertyTest).toBe(true);
    expect(a.eligibleWhole).toBe(true);
    // amount = 60000 × 2 − 0 = 120000
    expect(a.maxMonthlyFen).toBe(120000);
  });

  it('R-APP-05: one fen above the limit fails, without a floored per-capita figure letting it pass', () => {
    // 2,880,001: per capita 1,440,000.5 (floored: 1,440,000, which passed before) > 1,440,000
    const a = withDeposits(2_000_000, 880_001);
    expect(a.property.propertyFen).toBe(2_880_001);
    expect(a.passesPropertyTest).toBe(false);
    expect(a.eligibleWhole).toBe(false);
  });

  it('R-APP-05: deposits above the limit fail the property test, and no member is covered alone', () => {
    const a = withDeposits(2_000_000, 880_002);
    expect(a.passesPropertyTest).toBe(false);
    expect(a.maxMonthlyFen).toBe(0);
    expect(a.singlePersonCandidates).toEqual([]); // P-2 has grade 1, but the property test failed
    expect(a.reasons).toContain('property per member above the property limit');
  });

  it("R-APP-05: an obligor's deposits are not the household's", () => {
    const a = withDeposits(0, 0, {}, 50_000_000);
    expect(a.property.depositsFen).toBe(0);
    expect(a.passesPropertyTest).toBe(true);
  });
});

describe('account: investigated assets and their exemptions', () => {
  const car = { kind: 'vehicle', description: '2015 minivan', valueFen: 3_000_000 };

  it('R-APP-05: an investigated asset enters the property test', () => {
    // 0 deposits + 3,000,000 > 2,880,000
    const a = withDeposits(0, 0, { assets: [car] });
    expect(a.property).toEqual({ depositsFen: 0, exemptedDepositsFen: 0, assetsCountedFen: 3_000_000, assetsExemptFen: 0, propertyFen: 3_000_000 });
    expect(a.passesPropertyTest).toBe(false);
  });

  it('R-APP-05: necessary production or living property exempted with its reason does not count', () => {
    const a = withDeposits(0, 0, { assets: [{ ...car, exempt: true, exemptReason: 'the only transport to dialysis three times a week' }] });
    expect(a.property.assetsExemptFen).toBe(3_000_000);
    expect(a.property.propertyFen).toBe(0);
    expect(a.refused).toEqual([]);
    expect(a.passesPropertyTest).toBe(true);
  });

  it('R-APP-05: an exemption without its reason is refused, naming the field, and the asset counts', () => {
    const a = withDeposits(0, 0, { assets: [{ ...car, exempt: true }] });
    expect(a.refused.map((r) => r.path)).toEqual(['assets[0].exemptReason']);
    expect(a.property.assetsCountedFen).toBe(3_000_000);
    expect(a.passesPropertyTest).toBe(false);
  });

  it('R-APP-05: the collective decision may exempt a deposit with its reason', () => {
    // 2,880,002 − 2 exempted = 2,880,000 ≤ 2,880,000
    const reason = '综合研判 at the meeting of 2026-10-20: a compensation for a work injury, earmarked for surgery';
    const a = withDeposits(2_000_000, 880_002, { depositExemptions: [{ amountFen: 2, reason, memberIdNumber: 'P-2' }] });
    expect(a.property.exemptedDepositsFen).toBe(2);
    expect(a.passesPropertyTest).toBe(true);
    expect(a.maxMonthlyFen).toBe(120000);
  });

  it('R-APP-05: a decision exemption without a reason is refused and the deposit counts', () => {
    const a = withDeposits(2_000_000, 880_002, { depositExemptions: [{ amountFen: 2, reason: ' ' }] });
    expect(a.refused.map((r) => r.path)).toEqual(['depositExemptions[0].reason']);
    expect(a.property.exemptedDepositsFen).toBe(0);
    expect(a.passesPropertyTest).toBe(false);
  });

  it('R-APP-05: an exemption never exceeds the deposits there are', () => {
    const a = withDeposits(100, 0, { depositExemptions: [{ amountFen: 5_000_000, reason: 'medical compensation' }], assets: [car] });
    // deposits 100, exempted 100 (not 5,000,000), the car 3,000,000 still counts
    expect(a.property.exemptedDepositsFen).toBe(100);
    expect(a.property.propertyFen).toBe(3_000_000);
    expect(a.passesPropertyTest).toBe(false);
  });
});
