// R-APP-05: what the income accounting of a home investigation is computed from, for every kind that
// investigates (an application, a review): the case's household, the agency's report and the policy, with
// what the investigators recorded. The kind supplies the first part from its own state.
import type { AccountingInput } from '../rules/accounting';
import type { InvestigationInput } from '../application/messages';

export type HouseholdBasis = Pick<AccountingInput, 'programme' | 'residence' | 'members' | 'report' | 'policy'>;

export function investigationAccounting(basis: HouseholdBasis, i: InvestigationInput, on: string): AccountingInput {
  return {
    ...basis,
    on,
    incomes: i.incomes,
    expenditures: i.expenditures,
    incomeDrops: i.incomeDrops,
    assets: i.assets,
    supporterFindings: i.supporterFindings,
    careGrades: i.careGrades,
  };
}
