// The checks on each command of a review, in the kit's two halves (authorize: what no step change
// alters, validator only; check: against the step, in the validator at rest and again after waiting).
// The human steps are the application's, through workflows/steps/: recusal (R-APP-09) at every one,
// investigators (R-APP-04), the deciding body and its meeting (R-APP-11). Workflow state only.
import { memberIds, type ReviewState, type Step } from './state';
import type { InvestigationInput, OutcomeInput, ReasonInput } from './messages';
import type { AccountingInput } from '../rules/accounting';
import { investigationAccounting } from '../steps/investigation-accounting';
import { chinaDate } from '../rules/dates';
import { decidingBody, distinctStaff, hasRole, noneRecused, notInvestigator, notRecused, recorderAmong } from '../steps/actors';
import { investigatorsAllowed, participantsAllowed } from '../steps/staff';
import { meetingRecord, voteAllowed } from '../steps/collective-decision';
import { ruleViolation, wrongStep, type FieldError } from '../kit/errors';

const today = () => chinaDate(Date.now());

function inStep(s: ReviewState, command: string, ...steps: Step[]): void {
  if (!steps.includes(s.step)) throw wrongStep(s.step, command);
}

// R-APP-04 (as for applications), R-APP-05, R-APP-09: the township's home visit of the review
export const investigation = {
  authorize(s: ReviewState, i: InvestigationInput): void {
    hasRole(i, 'township_caseworker');
    notRecused(s, i);
    recorderAmong(i);
    investigatorsAllowed(s, i);
    const ids = memberIds(s);
    const strangers: FieldError[] = i.incomes.flatMap((x, n) => (ids.includes(x.memberIdNumber) ? [] : [{ path: `incomes[${n}].memberIdNumber`, message: 'is not a member of this household' }]));
    if (strangers.length) throw ruleViolation('R-APP-05', 'incomes must belong to household members', strangers);
    if (i.visitedOn > today() || i.visitedOn < s.openedOn) throw ruleViolation('R-APP-04', `visitedOn ${i.visitedOn} is outside the review (${s.openedOn} to today)`, [{ path: 'visitedOn', message: `between ${s.openedOn} and today` }]);
  },
  check(s: ReviewState, i: InvestigationInput): void {
    inStep(s, 'an investigation', 'investigating');
    if (s.investigations.some((x) => x.round === s.investigationRound)) throw wrongStep(s.step, 'a second investigation in the same round');
    const distinct = distinctStaff(i.investigators);
    const min = s.policy!.params.minInvestigators;
    if (distinct.size < min) throw ruleViolation('R-APP-04', `the home investigation needs at least ${min} distinct investigators`, [{ path: 'investigators', message: `${distinct.size} distinct, at least ${min} required` }]);
    notRecused(s, i);
    noneRecused(s, i.investigators, 'investigators');
  },
};

/** R-APP-05: the review's accounting is the application's, on the roster's household and this review's verification. */
export function accountingInput(s: ReviewState, i: InvestigationInput, on: string): AccountingInput {
  const members = s.household!.members.map(({ covered: _covered, ...m }) => m);
  return investigationAccounting({ programme: s.programme, residence: s.household!.residence, members, report: s.verification.report!, policy: s.policy!.params }, i, on);
}

/** R-REV-02, R-APP-05: the outcome and the amount are the accounting's, never an arbitrary other one. */
function sameAsAssessed(s: ReviewState, i: OutcomeInput): void {
  const a = s.assessment!;
  if (i.outcome !== a.outcome) {
    throw ruleViolation('R-REV-02', `the income accounting gives ${a.outcome}${a.outcome === 'stop' ? '' : ` at ${a.monthlyFen} fen`} (now ${s.household!.monthlyFen} fen): the outcome is that one`, [{ path: 'outcome', message: `must be ${a.outcome}` }]);
  }
  if (a.outcome === 'stop') {
    if (i.monthlyFen !== undefined) throw ruleViolation('R-REV-02', 'a stop has no amount', [{ path: 'monthlyFen', message: 'must be omitted for stop' }]);
    return;
  }
  const amount = i.monthlyFen ?? (a.outcome === 'continue' ? a.monthlyFen : undefined);
  if (amount !== a.monthlyFen) throw ruleViolation('R-APP-05', `the amount is the ${a.monthlyFen} fen the income accounting gives`, [{ path: 'monthlyFen', message: `must be ${a.monthlyFen}` }]);
}

// R-REV-02: the township's proposed outcome, then the deciding body's collective decision (R-APP-11)
export const outcome = {
  authorize(s: ReviewState, i: OutcomeInput): void {
    if (s.step === 'county_decision') {
      decidingBody(s, i);
      notRecused(s, i);
      meetingRecord(i);
      participantsAllowed(s, i);
    } else {
      hasRole(i, 'township_caseworker', 'township_leader');
      notRecused(s, i);
    }
  },
  check(s: ReviewState, i: OutcomeInput): void {
    inStep(s, 'an outcome', 'township_review', 'county_decision');
    notRecused(s, i);
    if (s.step === 'township_review') {
      hasRole(i, 'township_caseworker', 'township_leader');
      if (s.proposal) throw wrongStep(s.step, 'a second township proposal');
    } else {
      decidingBody(s, i); // the step may have changed while the command waited
      notInvestigator(s, i);
      if (s.decision) throw wrongStep(s.step, `a vote after the review was decided (${s.decision.outcome})`);
      voteAllowed(s, i);
    }
    sameAsAssessed(s, i);
  },
};

// R-REV-02: after the agency refused or left the check unanswered, a person asks again.
export const verificationRetry = {
  authorize(s: ReviewState, i: ReasonInput): void {
    hasRole(i, 'township_caseworker', 'county_caseworker');
    notRecused(s, i);
  },
  check(s: ReviewState): void {
    inStep(s, 'a new verification attempt', 'verifying');
    if (s.verification.status !== 'stalled') throw wrongStep(s.step, 'a new verification attempt while the agency is still working on the check');
  },
};
