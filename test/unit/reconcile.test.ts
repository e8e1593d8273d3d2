// R-PAY-06 对账: the comparison of a value date's statement with the ledger, difference by difference.
import { reconcile, type LedgerSide } from '../../activities/payments/reconcile';
import type { StatementLine } from '../../activities/bank/adapter';

const DATE = '2026-03-03';
const line = (reference: string, o: Partial<StatementLine> = {}): StatementLine => ({ reference, bankRef: `BK-${reference}`, amountFen: 1000, status: 'paid', valueDate: DATE, ...o });
const row = (reference: string, o: Partial<LedgerSide> = {}): LedgerSide => ({ reference, status: 'paid', amountFen: 1000, bankRef: `BK-${reference}`, settledOn: DATE, ...o });

describe('R-PAY-06 reconciliation', () => {
  it('R-PAY-06: a statement that agrees with the ledger line by line has no mismatch; a returned transfer agrees with a failed row', () => {
    const r = reconcile(DATE, [line('a'), line('b', { status: 'returned' })], [row('a'), row('b', { status: 'failed', settledOn: null })]);
    expect(r).toEqual({ date: DATE, matched: 2, mismatches: [] });
  });

  it('R-PAY-06: every kind of difference is listed, by reference: not in the ledger, missing from the statement, status, amount, bank reference', () => {
    const r = reconcile(
      DATE,
      [line('stranger'), line('pending'), line('more', { amountFen: 2000 }), line('other-ref', { bankRef: 'BK-x' }), line('ok'), line('returned-paid', { status: 'returned' })],
      [row('pending', { status: 'accepted', settledOn: null }), row('more'), row('other-ref'), row('ok'), row('returned-paid'), row('absent'), row('other-day', { settledOn: '2026-03-02' })],
    );
    expect(r.matched).toBe(1);
    expect(r.mismatches.map((m) => [m.reference, m.kind])).toEqual([
      ['stranger', 'not_in_ledger'],
      ['pending', 'status_differs'],
      ['more', 'amount_differs'],
      ['other-ref', 'bank_ref_differs'],
      ['returned-paid', 'status_differs'],
      ['absent', 'missing_from_statement'],
    ]);
  });
});
