// The checks on each command of a death stop (the kit's two halves: authorize in the validator only, check
// against the step). Workflow state only.
import { hasRole, notRecused } from '../steps/actors';
import { ruleViolation, wrongStep } from '../kit/errors';
import type { ConfirmAmountInput, RecordDeathInput, RetryInput } from './messages';
import type { DeathStopState } from './state';

// R-DTH-01: the county's caseworkers or a system partner (API.md "Deaths") post the registries' records; a
// village's death comes through its change report (R-REV-03). Validator only: replay is unaffected.
export const recordDeath = {
  authorize(_s: DeathStopState, i: RecordDeathInput): void {
    if (i.source === 'report') hasRole(i, 'village_assistant', 'township_caseworker', 'county_caseworker');
    else hasRole(i, 'county_caseworker', 'partner');
  },
  check(): void {
    // any step: a later source is recorded even once the household is settled
  },
};

// R-DTH-02/03: a county caseworker confirms the amount the accounting gives the remaining members (no other)
export const confirmAmount = {
  authorize(s: DeathStopState, i: ConfirmAmountInput): void {
    hasRole(i, 'county_caseworker');
    notRecused(s, i);
  },
  check(s: DeathStopState, i: ConfirmAmountInput): void {
    if (s.step !== 'confirming' || s.confirmation) throw wrongStep(s.step, 'a confirmation of the amount');
    const due = s.recomputed!.monthlyFen;
    if (i.monthlyFen !== due) throw ruleViolation('R-APP-05', `the amount is the ${due} fen the income accounting gives the remaining members`, [{ path: 'monthlyFen', message: `must be ${due}` }]);
  },
};

export const verificationRetry = {
  authorize(s: DeathStopState, i: RetryInput): void {
    hasRole(i, 'county_caseworker');
    notRecused(s, i);
  },
  check(s: DeathStopState): void {
    if (s.step !== 'verifying' || s.verification.status !== 'stalled') throw wrongStep(s.step, 'a new verification attempt while the agency is still working on the check');
  },
};
