// The checks on each command of a direct payment, in the kit's two halves (authorize: what no step change
// alters, validator only; check: against the step, in the validator at rest and again after waiting). The
// amounts and payees are re-checked here, whatever the API checked (R-DIR-01/02); recusal (R-APP-09) and the
// collective decision (R-APP-11) are the shared steps', with the direct payments' own delegation flag.
import type { DirectPaymentState, Step } from './state';
import { delegated } from './state';
import type { DirectPaymentApprovalInput, PayeeCorrectionInput, PaymentRequestInput, PaymentResumptionInput } from './messages';
import { hasRole, decidingBody, notRecused } from '../steps/actors';
import { participantsAllowed } from '../steps/staff';
import { meetingRecord, voteAllowed } from '../steps/collective-decision';
import { payeeIssues, requestIssues } from '../rules/direct-payment';
import { ruleViolation, wrongStep } from '../kit/errors';

export const REQUESTERS = ['township_caseworker', 'county_caseworker'];

function inStep(s: DirectPaymentState, command: string, ...steps: Step[]): void {
  if (!steps.includes(s.step)) throw wrongStep(s.step, command);
}

// R-DIR-01/02: the payee and amount: the kind's payee types, a medical amount within the residual, a funeral within the standard
export const request = {
  authorize(s: DirectPaymentState, i: PaymentRequestInput): void {
    hasRole(i, ...REQUESTERS);
    notRecused(s, i);
    const issues = requestIssues(s.kind, i, s.policy?.params);
    if (issues.length) throw ruleViolation(s.kind === 'funeral' ? 'R-DIR-01' : 'R-DIR-02', issues.map((x) => x.message).join('; '), issues);
  },
  check(s: DirectPaymentState): void {
    inStep(s, 'a payment request', 'awaiting_payee');
    if (s.request) throw wrongStep(s.step, 'a second payment request');
  },
};

// R-DIR-01, R-APP-11: the county's approvers (or the township's leaders it authorised) decide collectively
export const approval = {
  authorize(s: DirectPaymentState, i: DirectPaymentApprovalInput): void {
    decidingBody(s, i, delegated(s));
    notRecused(s, i);
    meetingRecord(i);
    participantsAllowed(s, i, delegated(s));
  },
  check(s: DirectPaymentState, i: DirectPaymentApprovalInput): void {
    inStep(s, 'a vote', 'county_decision');
    decidingBody(s, i, delegated(s)); // the step may have changed while the command waited
    notRecused(s, i);
    if (s.decision) throw wrongStep(s.step, `a vote after the payment was decided (${s.decision.decision})`);
    voteAllowed(s, i);
  },
};

// R-DIR-01/02, R-PAY-09: the bank rejected the account: a caseworker gives the corrected payee (a new line)
export const correction = {
  authorize(s: DirectPaymentState, i: PayeeCorrectionInput): void {
    hasRole(i, ...REQUESTERS);
    notRecused(s, i);
    const issues = payeeIssues(s.kind, i.payee);
    if (issues.length) throw ruleViolation(s.kind === 'funeral' ? 'R-DIR-01' : 'R-DIR-02', issues.map((x) => x.message).join('; '), issues);
  },
  check(s: DirectPaymentState): void {
    inStep(s, 'a payee correction', 'payee_correction');
  },
};

// R-PAY-09: a payment escalated to a person (a final error, no final answer after the retries) resumed by a caseworker
export const resumption = {
  authorize(s: DirectPaymentState, i: PaymentResumptionInput): void {
    hasRole(i, ...REQUESTERS);
    notRecused(s, i);
  },
  check(s: DirectPaymentState): void {
    inStep(s, 'a resumption of the payment', 'payment_escalated');
  },
};
