// Rule outcomes that decide amounts and branches (R-APP-05/06/07), computed here rather than in workflow
// code: the result is recorded in the case's history, so a rule changed for new cases never re-decides a
// case already in flight when it replays.
import { account, coverage, type AccountingInput } from '../workflows/rules/accounting';
import type { Accounting, Coverage } from '../workflows/rules/accounting';
import type { Programme } from '../workflows/rules/types';

export function createAssessmentActivities() {
  return {
    // R-APP-05; with the coverage of the whole household (R-APP-06), what most township opinions propose
    async assessHousehold(input: AccountingInput): Promise<{ accounting: Accounting; whole: Coverage }> {
      const accounting = account(input);
      return { accounting, whole: coverage(input.programme, accounting, input.members.map((m) => m.idNumber)) };
    },
    // R-APP-06, R-APP-07
    async assessCoverage(input: { programme: Programme; accounting: Accounting; allMembers: string[]; requested?: string[] }): Promise<Coverage> {
      return coverage(input.programme, input.accounting, input.allMembers, input.requested);
    },
  };
}
