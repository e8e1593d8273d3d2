// Rule outcomes that decide amounts and branches (R-APP-05/06/07), computed here rather than in workflow
// code: the result is recorded in the case's history, so a rule changed for new cases never re-decides a
// case already in flight when it replays.
import { account, checkMonthlyAmount, coverage, type AccountingInput } from '../../workflows/rules/accounting';
import type { Accounting, AmountCheck, Coverage } from '../../workflows/rules/accounting';
import type { Programme } from '../../workflows/rules/types';

export function createAssessmentActivities() {
  return {
    // R-APP-05
    async assessHousehold(input: AccountingInput): Promise<Accounting> {
      return account(input);
    },
    // R-APP-06, R-APP-07
    // R-APP-06, R-APP-07; with a proposed amount, R-APP-05: the amount is the figure the accounting gives
    async assessCoverage(input: {
      programme: Programme;
      accounting: Accounting;
      allMembers: string[];
      requested?: string[];
      proposedFen?: number;
    }): Promise<Coverage & { amount?: AmountCheck }> {
      const c = coverage(input.programme, input.accounting, input.allMembers, input.requested);
      return c.ok ? { ...c, amount: checkMonthlyAmount(c, input.proposedFen) } : c;
    },
  };
}
