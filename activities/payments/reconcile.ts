// R-PAY-06 对账: a value date's bank statement against the payment ledger. The statement is read on the
// bank's queue (bankStatement, bank-activities.ts), the comparison runs here on the main queue; a workflow
// (the monthly roll, a daily reconciliation) calls the two. Nothing is corrected automatically: every
// difference is listed for a person, and the ledger stays as the bank's answers left it.
import type { StatementLine } from '../bank/adapter';
import type { Prisma } from '../db';

export type MismatchKind =
  /** the bank paid or returned a reference our ledger does not hold */
  | 'not_in_ledger'
  /** the ledger says paid on that date, the statement does not list it */
  | 'missing_from_statement'
  /** the statement lists it, the ledger holds another status (still accepted, or failed) */
  | 'status_differs'
  | 'amount_differs'
  | 'bank_ref_differs';

export interface LedgerSide {
  reference: string;
  status: string;
  amountFen: number;
  bankRef: string | null;
  settledOn: string | null;
}

export interface Mismatch {
  reference: string;
  kind: MismatchKind;
  ledger?: LedgerSide;
  bank?: StatementLine;
}

export interface Reconciliation {
  date: string;
  /** statement lines that agree with the ledger in every respect */
  matched: number;
  mismatches: Mismatch[];
}

/** Pure: the statement of `date` against the ledger rows it names and the rows the ledger says were paid that day. */
export function reconcile(date: string, statement: StatementLine[], ledger: LedgerSide[]): Reconciliation {
  const byRef = new Map(ledger.map((r) => [r.reference, r]));
  const listed = new Set<string>();
  const mismatches: Mismatch[] = [];
  let matched = 0;
  for (const line of statement) {
    listed.add(line.reference);
    const row = byRef.get(line.reference);
    const wanted = line.status === 'paid' ? 'paid' : 'failed'; // a returned transfer is failed in the ledger
    const found: MismatchKind[] = [];
    if (!row) found.push('not_in_ledger');
    else {
      if (row.status !== wanted || (wanted === 'paid' && row.settledOn !== line.valueDate)) found.push('status_differs');
      if (row.amountFen !== line.amountFen) found.push('amount_differs');
      if (row.bankRef !== line.bankRef) found.push('bank_ref_differs');
    }
    if (found.length === 0) matched++;
    for (const kind of found) mismatches.push({ reference: line.reference, kind, ...(row ? { ledger: row } : {}), bank: line });
  }
  for (const row of ledger) {
    if (row.status === 'paid' && row.settledOn === date && !listed.has(row.reference)) mismatches.push({ reference: row.reference, kind: 'missing_from_statement', ledger: row });
  }
  return { date, matched, mismatches };
}

export function createReconciliationActivities(prisma: Prisma) {
  return {
    /** R-PAY-06: compares a value date's statement (read by bankStatement) with the ledger. */
    async reconcilePayments(input: { date: string; lines: StatementLine[] }): Promise<Reconciliation> {
      const day = new Date(`${input.date}T00:00:00Z`);
      const rows = await prisma.payment.findMany({
        where: { OR: [{ reference: { in: input.lines.map((l) => l.reference) } }, { status: 'paid', settledOn: day }] },
        select: { reference: true, status: true, amountFen: true, bankRef: true, settledOn: true },
      });
      const ledger = rows.map((r) => ({ ...r, settledOn: r.settledOn ? r.settledOn.toISOString().slice(0, 10) : null }));
      return reconcile(input.date, input.lines, ledger);
    },
  };
}
