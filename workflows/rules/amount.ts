// R-APP-05: the amount is fixed by the income accounting (standard × members − net income, the single
// person's or the TEKUN persons' figure). An opinion or an approval states that figure; it may not pick a
// lower one (DOMAIN.md names no rule-based adjustment yet: one would be a policy parameter applied here).
export type AmountCheck = { ok: true; monthlyFen: number } | { ok: false; rule: 'R-APP-05'; message: string; expectedFen: number };

export function checkMonthlyAmount(covered: { maxMonthlyFen: number }, proposedFen?: number): AmountCheck {
  const expectedFen = covered.maxMonthlyFen;
  if (proposedFen === undefined || proposedFen === expectedFen) return { ok: true, monthlyFen: expectedFen };
  const which = proposedFen < expectedFen ? 'below' : 'above';
  return {
    ok: false,
    rule: 'R-APP-05',
    expectedFen,
    message: `${proposedFen} fen is ${which} the ${expectedFen} fen the income accounting gives (standard × members − net income): the amount is that figure`,
  };
}
