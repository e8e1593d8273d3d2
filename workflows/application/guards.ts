// The checks on each command of an application, in two halves (kit/command-runtime.ts):
// - authorize: what no step change alters (role, the actor's own recusal, the payload's own rules),
//   always run in the validator, before anything is written to history;
// - check: what depends on the step and the case's state, run in the validator when the case is at
//   rest, and again after waiting when it was moving.
// They read workflow state only: no I/O, deterministic.
import { memberIds, type ApplicationState, type Step } from './state';
import type {
  ApprovalInput,
  CountyVisitInput,
  InvestigationInput,
  MaterialsInput,
  ObjectionInput,
  ReasonInput,
  RejectionNoticeInput,
  TownshipReviewInput,
} from './messages';
import { account, checkMonthlyAmount, coverage, type AccountingInput, type AmountCheck, type Refusal } from '../rules/accounting';
import { chinaDate } from '../rules/dates';
import { decidingBody, distinctStaff, hasRole, noneRecused, notInvestigator, notRecused, recorderAmong } from '../steps/actors';
import { meetingRecord, voteAllowed } from '../steps/collective-decision';
import { investigatorsAllowed, participantsAllowed, visitorsAllowed } from '../steps/staff';
import { publicityChannelErrors, rejectionNoticeErrors } from '../rules/notices';
import { ruleViolation, wrongStep, type FieldError } from '../kit/errors';
import { investigationAccounting } from '../steps/investigation-accounting';

const today = () => chinaDate(Date.now());
const DECIDED: Step[] = ['county_decision', 'enrolled', 'rejected', 'withdrawn'];

function inStep(s: ApplicationState, command: string, ...steps: Step[]): void {
  if (!steps.includes(s.step)) throw wrongStep(s.step, command);
}

function notInFuture(date: string, field: string, after?: string): void {
  if (date > today()) throw ruleViolation('R-APP-04', `${field} ${date} is in the future`, [{ path: field, message: 'must not be in the future' }]);
  if (after && date < after) throw ruleViolation('R-APP-04', `${field} ${date} is before ${after}`, [{ path: field, message: `must not be before ${after}` }]);
}

// R-APP-01, R-APP-12, R-APP-16: a village assistant may hand papers in; acceptance (受理), which starts
// the statutory clock, is the township caseworker's (handlers.ts)
export const materials = {
  authorize(s: ApplicationState, i: MaterialsInput): void {
    hasRole(i, 'township_caseworker', 'village_assistant');
  },
  check(s: ApplicationState, i: MaterialsInput): void {
    inStep(s, 'supplementing materials', 'awaiting_materials');
    // an empty list is the township caseworker accepting what was handed in: there must be something to accept
    if (i.materials.length === 0 && !(i.actor.role === 'township_caseworker' && s.materials.handedIn?.length)) {
      throw ruleViolation('R-APP-01', 'no materials given', [{ path: 'materials', message: i.actor.role === 'township_caseworker' ? 'must not be empty: nothing was handed in to accept' : 'must not be empty' }]);
    }
  },
};

// R-APP-04, R-APP-05, R-APP-09
export const investigation = {
  authorize(s: ApplicationState, i: InvestigationInput): void {
    hasRole(i, 'township_caseworker');
    notRecused(s, i);
    recorderAmong(i);
    investigatorsAllowed(s, i); // issue 21 §2: R-APP-04 on the register's signed facts
    const ids = memberIds(s);
    const strangers: FieldError[] = i.incomes
      .map((x, n) => ({ x, n }))
      .filter(({ x }) => !ids.includes(x.memberIdNumber))
      .map(({ n }) => ({ path: `incomes[${n}].memberIdNumber`, message: 'is not a member of this household' }));
    if (strangers.length) throw ruleViolation('R-APP-05', 'incomes must belong to household members', strangers);
    notInFuture(i.visitedOn, 'visitedOn', s.receivedOn);
    // An early answer (validator only, never on replay): what the income accounting would refuse. The
    // handler refuses the same from the assessHousehold activity's result, which is in history.
    if (s.verification.report && s.policy && standardsSet(s, i)) refuseAccounting(accountingRefusals(s, i));
  },
  check(s: ApplicationState, i: InvestigationInput): void {
    inStep(s, 'an investigation', 'investigating');
    if (s.investigations.some((x) => x.round === s.investigationRound)) throw wrongStep(s.step, 'a second investigation in the same round');
    const distinct = distinctStaff(i.investigators);
    const min = s.policy!.params.minInvestigators;
    if (distinct.size < min) {
      throw ruleViolation('R-APP-04', `the home investigation needs at least ${min} distinct investigators`, [
        { path: 'investigators', message: `${distinct.size} distinct, at least ${min} required` },
      ]);
    }
    notRecused(s, i); // the register may have changed since the validator ran
    noneRecused(s, i.investigators, 'investigators');
    const p = s.policy!.params;
    const residence = s.household.residence;
    if (p.dibaoStandardFen[residence] === null || (s.programme === 'TEKUN' && p.tekunStandardFen[residence] === null)) {
      throw ruleViolation('R-POL', `no ${residence} standard is set for ${s.countyCode}: the income accounting cannot be done until the county's policy sets it`);
    }
    // TEKUN: the care standard of each assessed self-care grade must be set too
    const unset = s.programme === 'TEKUN' ? (i.careGrades ?? []).map((g, n) => ({ g, n })).filter(({ g }) => p.tekunCareStandardFen[residence]?.[g.grade] == null) : [];
    if (unset.length) {
      throw ruleViolation(
        'R-POL',
        `no ${residence} 特困 care standard is set for ${s.countyCode} for ${[...new Set(unset.map(({ g }) => g.grade))].join(', ')}: the amount cannot be fixed until the county's policy sets it`,
        unset.map(({ n }) => ({ path: `careGrades[${n}].grade`, message: 'no care standard is set for this grade' })),
      );
    }
  },
};

function standardsSet(s: ApplicationState, i: InvestigationInput): boolean {
  const p = s.policy!.params;
  const r = s.household.residence;
  if (p.dibaoStandardFen[r] === null) return false;
  if (s.programme !== 'TEKUN') return true;
  return p.tekunStandardFen[r] !== null && (i.careGrades ?? []).every((g) => p.tekunCareStandardFen[r]?.[g.grade] != null);
}

/** What the income accounting is computed from: the household, the investigation, the agency's report, the policy. */
export function accountingInput(s: ApplicationState, i: InvestigationInput, on: string): AccountingInput {
  return investigationAccounting({ programme: s.programme, residence: s.household.residence, members: s.household.members, report: s.verification.report!, policy: s.policy!.params }, i, on);
}

/** The income accounting's refusals for this investigation, by the rules as the worker has them now (validator only). */
function accountingRefusals(s: ApplicationState, i: InvestigationInput): Refusal[] {
  return account(accountingInput(s, i, today())).refused;
}

/** R-APP-05: what the income accounting refuses to count is a 422 naming each request field. */
export function refuseAccounting(refused: Refusal[] | undefined): void {
  if (!refused?.length) return;
  throw ruleViolation(
    refused[0].rule,
    `the income accounting refuses ${refused.length === 1 ? 'a part' : `${refused.length} parts`} of the investigation: ${refused.map((r) => `${r.path} ${r.message}`).join('; ')}`,
    refused.map((r) => ({ path: r.path, message: r.message })),
  );
}

// R-APP-08: the county visits a specially filed household itself, once.
export const countyVisit = {
  authorize(s: ApplicationState, i: CountyVisitInput): void {
    hasRole(i, 'county_caseworker');
    notRecused(s, i);
    // R-APP-08: the county's own visit is by at least two distinct county staff
    const distinct = distinctStaff(i.visitors);
    if (distinct.size < 2) {
      throw ruleViolation('R-APP-08', 'the county home visit needs at least 2 distinct county civil-affairs staff', [{ path: 'visitors', message: `${distinct.size} distinct, at least 2 required` }]);
    }
    visitorsAllowed(s, i); // issue 21 §2: R-APP-08 on the register's signed facts
    noneRecused(s, i.visitors, 'visitors');
    notInFuture(i.visitedOn, 'visitedOn', s.receivedOn);
  },
  check(s: ApplicationState, i: CountyVisitInput): void {
    inStep(s, 'a county home visit', 'county_visit');
    if (s.countyVisit) throw wrongStep(s.step, 'a second county home visit');
    notRecused(s, i);
    noneRecused(s, i.visitors, 'visitors');
  },
};

// R-APP-05/06/07: the township's opinion, bounded by the income accounting.
export const townshipReview = {
  authorize(s: ApplicationState, i: TownshipReviewInput): void {
    hasRole(i, 'township_caseworker', 'township_leader');
    notRecused(s, i);
    // R-APP-10: where the publicity is posted (validator only: reviews recorded before had no channels)
    const channels = publicityChannelErrors(i.publicityChannels);
    if (channels.length) throw ruleViolation('R-APP-10', 'publicity channels are a non-empty list of noticeboard, screen, website', channels);
  },
  check(s: ApplicationState, i: TownshipReviewInput): void {
    inStep(s, 'the township review', 'township_review');
    notRecused(s, i);
    if (s.townshipReview) throw wrongStep(s.step, 'a second township review in the same round');
    if (s.specialFiling.length > 0 && !s.countyVisit) throw ruleViolation('R-APP-08', 'a specially filed case needs the county home visit first');
  },
  /**
   * An early answer with the rule as the worker has it now, in the validator only: validators do not run
   * on replay, handlers do, and the handler records the same outcome through the assessCoverage activity.
   */
  screen(s: ApplicationState, i: TownshipReviewInput): void {
    if (i.opinion === 'ineligible') return;
    const c = coverage(s.programme, s.accounting!, memberIds(s), i.coveredMembers);
    if (!c.ok) throw ruleViolation(c.rule, c.message, [{ path: i.coveredMembers ? 'coveredMembers' : 'opinion', message: c.message }]);
    // R-APP-05: the figure of the income accounting
    refuseAmount(checkMonthlyAmount(c, i.proposedMonthlyFen), 'proposedMonthlyFen');
  },
};

/** R-APP-05: the amount is the figure of the income accounting, never an arbitrary other one. */
export function refuseAmount(a: AmountCheck, path: string): void {
  if (!a.ok) throw ruleViolation(a.rule, a.message, [{ path, message: `must be ${a.expectedFen}` }]);
}

// R-APP-10: an objection during publicity.
export const objection = {
  authorize(s: ApplicationState, i: ObjectionInput): void {
    // recorded by township staff, never by supervisors or auditors, never by a recused person (R-APP-09)
    hasRole(i, 'township_caseworker', 'township_leader');
    notRecused(s, i);
    if (!i.raisedBy?.trim()) throw ruleViolation('R-APP-10', 'an objection names who raised it', [{ path: 'raisedBy', message: 'must not be empty' }]);
    if (!i.summary.trim()) throw ruleViolation('R-APP-10', 'an objection needs a summary', [{ path: 'summary', message: 'must not be empty' }]);
  },
  check(s: ApplicationState, i: ObjectionInput): void {
    inStep(s, 'an objection', 'publicity');
    notRecused(s, i);
    if (s.publicity!.objections.length > 0) throw wrongStep(s.step, 'a further objection (the case already returns to investigation)');
    if (Date.now() >= s.publicity!.until) throw wrongStep(s.step, `an objection after the publicity ended at ${new Date(s.publicity!.until).toISOString()}`);
  },
};

// R-APP-11: collective approval by the deciding body (the county's, or the township's where delegated); R-APP-03 逢进必核.
export const approval = {
  authorize(s: ApplicationState, i: ApprovalInput): void {
    decidingBody(s, i);
    notRecused(s, i);
    meetingRecord(i);
    participantsAllowed(s, i); // issue 21 §2: R-APP-11, R-APP-04, R-APP-09 on the register's signed facts
    // R-APP-05: a deposit the collective decision exempts carries its reason and, if it names one, a member
    const ids = memberIds(s);
    const bad: FieldError[] = (i.depositExemptions ?? []).flatMap((e, n) => [
      ...(e.reason.trim() ? [] : [{ path: `depositExemptions[${n}].reason`, message: 'an exempted deposit needs the reason of the collective decision' }]),
      ...(e.amountFen > 0 ? [] : [{ path: `depositExemptions[${n}].amountFen`, message: 'must be a positive amount' }]),
      ...(e.memberIdNumber === undefined || ids.includes(e.memberIdNumber) ? [] : [{ path: `depositExemptions[${n}].memberIdNumber`, message: 'is not a member of this household' }]),
    ]);
    if (bad.length) throw ruleViolation('R-APP-05', 'a deposit exemption needs its reason and a member of the household', bad);
    // TEKUN: an approval records how the persons are supported; a centralised one names the institution
    if (s.programme === 'TEKUN' && i.decision === 'approve' && !i.support) {
      throw ruleViolation('TEKUN', 'a 特困 approval records the support mode: dispersed (at home) or centralised with its institution', [{ path: 'support', message: 'required for a 特困 approval' }]);
    }
    if (s.programme !== 'TEKUN' && i.support) throw ruleViolation('TEKUN', 'a support mode belongs to a 特困 approval', [{ path: 'support', message: 'only for 特困 cases' }]);
  },
  check(s: ApplicationState, i: ApprovalInput): void {
    inStep(s, 'an approval', 'county_decision');
    notRecused(s, i);
    notInvestigator(s, i);
    if (s.verification.status !== 'completed') throw ruleViolation('R-APP-03', 'no approval before the economic-status verification is complete');
    if (s.decision) throw wrongStep(s.step, `a vote after the case was decided (${s.decision.outcome})`);
    // R-APP-11: each approver once; 一事一议: a specially filed case is decided one by one at a meeting, which the vote names
    voteAllowed(s, i);
    if (i.decision === 'reject') return;
    const c = decisionCoverage(s);
    if (!c) {
      // R-APP-10: an approval needs the township's eligible opinion and the publicity that followed it
      throw ruleViolation('R-APP-10', 'the township found the household ineligible and nothing was publicised: the county can only reject', [{ path: 'decision', message: 'cannot approve' }]);
    }
    const amount = approvedAmount(s, i, c);
    // R-APP-05: the figure, compared with the one recorded from the assessCoverage activity, not by rule
    // code: this check also runs in the handler when the vote had to wait, and handlers replay
    if (amount !== c.maxMonthlyFen) {
      const which = amount < c.maxMonthlyFen ? 'below' : 'above';
      refuseAmount({ ok: false, rule: 'R-APP-05', expectedFen: c.maxMonthlyFen, message: `${amount} fen is ${which} the ${c.maxMonthlyFen} fen the income accounting gives: the amount is that figure` }, 'monthlyFen');
    }
    const earlier = s.votes.find((v) => v.decision === 'approve');
    if (earlier && earlier.monthlyFen !== amount) {
      throw ruleViolation('R-APP-11', `approvers must agree on the amount: ${earlier.approverId} approved ${earlier.monthlyFen} fen`, [
        { path: 'monthlyFen', message: `must equal ${earlier.monthlyFen}` },
      ]);
    }
    if (earlier && supportKey(earlier.support) !== supportKey(i.support)) {
      throw ruleViolation('R-APP-11', `approvers must agree on the support mode: ${earlier.approverId} voted ${earlier.support?.mode ?? 'none'}`, [
        { path: 'support', message: 'must equal the earlier approval' },
      ]);
    }
  },
};

const supportKey = (x: ApprovalInput['support']) => (x === undefined ? '' : x.mode === 'dispersed' ? 'dispersed' : `centralised:${x.institution.code}`);

/** Whom an approval covers: what the township's eligible opinion proposed (and the village saw publicised). */
export function decisionCoverage(s: ApplicationState): { coveredMembers: string[]; singlePerson: boolean; maxMonthlyFen: number } | undefined {
  const review = s.townshipReview!;
  return review.opinion === 'eligible' ? review : undefined;
}

export function approvedAmount(s: ApplicationState, i: ApprovalInput, c: { maxMonthlyFen: number }): number {
  return i.monthlyFen ?? s.townshipReview!.proposedMonthlyFen ?? c.maxMonthlyFen;
}

// R-APP-12: one extension, with a reason, before the deadline passes.
export const extension = {
  authorize(s: ApplicationState, i: ReasonInput): void {
    hasRole(i, 'county_approver');
    notRecused(s, i);
    if (!i.reason.trim()) throw ruleViolation('R-APP-12', 'an extension needs a reason', [{ path: 'reason', message: 'must not be empty' }]);
  },
  check(s: ApplicationState, i: ReasonInput): void {
    notRecused(s, i);
    const d = s.deadlines.find((x) => x.name === 'decision');
    if (!d || d.closedAt !== undefined || s.status !== 'open') throw wrongStep(s.step, 'an extension');
    if (d.extended) throw ruleViolation('R-APP-12', 'the decision deadline can be extended only once');
    if (d.overdueSince !== undefined || Date.now() >= d.dueAt) throw ruleViolation('R-APP-12', `the deadline passed on ${d.dueOn}: an extension must be decided before it passes`);
  },
};

export const withdrawal = {
  authorize(s: ApplicationState, i: ReasonInput): void {
    hasRole(i, 'township_caseworker');
  },
  check(s: ApplicationState): void {
    if (s.status !== 'open' || DECIDED.includes(s.step) || s.withdrawal) throw wrongStep(s.step, 'a withdrawal');
  },
};

// R-APP-13
export const rejectionNotice = {
  authorize(s: ApplicationState, i: RejectionNoticeInput): void {
    hasRole(i, 'township_caseworker', 'county_caseworker', 'county_approver');
    // R-APP-13: the reasons and the route of appeal, here only: notices recorded before had neither, and
    // check() runs again in the handler on replay
    const errors = rejectionNoticeErrors(i);
    if (errors.length) throw ruleViolation('R-APP-13', 'a rejection notice states the reasons given to the applicant and the route of appeal', errors);
  },
  check(s: ApplicationState, i: RejectionNoticeInput): void {
    inStep(s, 'a rejection notice', 'rejected');
    if (s.rejectionNotice) throw wrongStep(s.step, 'a second rejection notice');
    const decided = s.decision!.decidedOn;
    if (i.servedOn < decided || i.servedOn > today()) {
      throw ruleViolation('R-APP-13', `the notice must be served between ${decided} and today`, [{ path: 'servedOn', message: 'out of range' }]);
    }
  },
};

// R-APP-03: after the agency refused or did not answer for too long, a person asks for a new attempt.
export const verificationRetry = {
  authorize(s: ApplicationState, i: ReasonInput): void {
    hasRole(i, 'township_caseworker', 'county_caseworker');
    if (!i.reason.trim()) throw ruleViolation('R-APP-03', 'a new verification attempt needs a reason', [{ path: 'reason', message: 'must not be empty' }]);
  },
  check(s: ApplicationState): void {
    inStep(s, 'a new verification attempt', 'verifying');
    if (s.verification.status !== 'stalled') throw wrongStep(s.step, 'a new verification attempt while the agency is still working on the check');
  },
};
