// Update validators: each refuses a command before anything is written to history (wrong step, wrong
// role, a recused person, a broken rule). They read workflow state only: no I/O, deterministic.
import { memberIds, type ApplicationState, type Step } from './application-state';
import type {
  ApprovalInput,
  Command,
  CountyVisitInput,
  InvestigationInput,
  MaterialsInput,
  ObjectionInput,
  ReasonInput,
  RejectionNoticeInput,
  TownshipReviewInput,
} from '../messages';
import { coverage } from './rules/accounting';
import { chinaDate } from './rules/dates';
import { recused } from './rules/recusal';
import { forbidden, ruleViolation, wrongStep, type FieldError } from '../kit/errors';

const today = () => chinaDate(Date.now());
const DECIDED: Step[] = ['county_decision', 'enrolled', 'rejected', 'withdrawn'];

function inStep(s: ApplicationState, command: string, ...steps: Step[]): void {
  if (!steps.includes(s.step)) throw wrongStep(s.step, command);
}

/** The case is moving to its next step (application-runtime.ts `busy`): a command now would land in a step being left. */
export function notMoving(s: ApplicationState, busy: boolean, command: string): void {
  if (busy) throw wrongStep(s.step, `${command} while the case is leaving step ${s.step} (repeat it in a moment)`);
}

function hasRole(c: Command, ...roles: string[]): void {
  if (!roles.includes(c.actor.role)) throw forbidden(`role ${c.actor.role} may not do this (allowed: ${roles.join(', ')})`);
}

/** R-APP-09: the person giving the command must not be related to the household. */
function notRecused(s: ApplicationState, c: Command): void {
  const [r] = recused([c.actor.id], s.relations);
  if (r) throw forbidden(`R-APP-09: ${c.actor.id} is a near relative (${r.relation}) of household member ${r.memberIdNumber} and must step aside`, 'R-APP-09');
}

/** R-APP-09 for the people named in a command (investigators, visitors). */
function noneRecused(s: ApplicationState, ids: string[], field: string): void {
  const errors: FieldError[] = ids.flatMap((id, i) =>
    recused([id], s.relations).map((r) => ({ path: `${field}[${i}]`, message: `${id} is a near relative (${r.relation}) of ${r.memberIdNumber}` })),
  );
  if (errors.length) throw ruleViolation('R-APP-09', 'staff related to the household may not take part', errors);
}

function notInFuture(date: string, field: string, after?: string): void {
  if (date > today()) throw ruleViolation('R-APP-04', `${field} ${date} is in the future`, [{ path: field, message: 'must not be in the future' }]);
  if (after && date < after) throw ruleViolation('R-APP-04', `${field} ${date} is before ${after}`, [{ path: field, message: `must not be before ${after}` }]);
}

export function guardMaterials(s: ApplicationState, i: MaterialsInput): void {
  inStep(s, 'supplementing materials', 'awaiting_materials');
  hasRole(i, 'township_caseworker', 'village_assistant');
  if (i.materials.length === 0) throw ruleViolation('R-APP-01', 'no materials given', [{ path: 'materials', message: 'must not be empty' }]);
}

export function guardInvestigation(s: ApplicationState, i: InvestigationInput): void {
  inStep(s, 'an investigation', 'investigating');
  hasRole(i, 'township_caseworker');
  if (s.investigations.some((x) => x.round === s.investigationRound)) throw wrongStep(s.step, 'a second investigation in the same round');
  notRecused(s, i);
  const distinct = new Set(i.investigators);
  const min = s.policy!.params.minInvestigators;
  if (distinct.size < min) {
    throw ruleViolation('R-APP-04', `the home investigation needs at least ${min} distinct investigators`, [
      { path: 'investigators', message: `${distinct.size} distinct, at least ${min} required` },
    ]);
  }
  noneRecused(s, i.investigators, 'investigators');
  const ids = memberIds(s);
  const strangers: FieldError[] = i.incomes
    .map((x, n) => ({ x, n }))
    .filter(({ x }) => !ids.includes(x.memberIdNumber))
    .map(({ n }) => ({ path: `incomes[${n}].memberIdNumber`, message: 'is not a member of this household' }));
  if (strangers.length) throw ruleViolation('R-APP-05', 'incomes must belong to household members', strangers);
  notInFuture(i.visitedOn, 'visitedOn', s.receivedOn);
  const p = s.policy!.params;
  const residence = s.household.residence;
  if (p.dibaoStandardFen[residence] === null || (s.programme === 'TEKUN' && p.tekunStandardFen[residence] === null)) {
    throw ruleViolation('R-POL', `no ${residence} standard is set for ${s.countyCode}: the income accounting cannot be done until the county's policy sets it`);
  }
}

export function guardCountyVisit(s: ApplicationState, i: CountyVisitInput): void {
  inStep(s, 'a county home visit', 'county_visit');
  hasRole(i, 'county_caseworker');
  notRecused(s, i);
  noneRecused(s, i.visitors, 'visitors');
  notInFuture(i.visitedOn, 'visitedOn', s.receivedOn);
}

export function guardTownshipReview(s: ApplicationState, i: TownshipReviewInput): void {
  inStep(s, 'the township review', 'township_review');
  hasRole(i, 'township_caseworker', 'township_leader');
  notRecused(s, i);
  if (s.townshipReview) throw wrongStep(s.step, 'a second township review in the same round');
  if (s.specialFiling.length > 0 && !s.countyVisit) throw ruleViolation('R-APP-08', 'a specially filed case needs the county home visit first');
  if (i.opinion === 'ineligible') return;
  const c = coverage(s.programme, s.accounting!, memberIds(s), i.coveredMembers);
  if (!c.ok) throw ruleViolation(c.rule, c.message, [{ path: i.coveredMembers ? 'coveredMembers' : 'opinion', message: c.message }]);
  if (i.proposedMonthlyFen !== undefined && (i.proposedMonthlyFen <= 0 || i.proposedMonthlyFen > c.maxMonthlyFen)) {
    throw ruleViolation('R-APP-05', `the amount must be between 1 and ${c.maxMonthlyFen} fen by the income accounting`, [
      { path: 'proposedMonthlyFen', message: `at most ${c.maxMonthlyFen}` },
    ]);
  }
}

export function guardObjection(s: ApplicationState, i: ObjectionInput): void {
  inStep(s, 'an objection', 'publicity');
  if (s.publicity!.objections.length > 0) throw wrongStep(s.step, 'a further objection (the case already returns to investigation)');
  if (Date.now() >= s.publicity!.until) throw wrongStep(s.step, `an objection after the publicity ended at ${new Date(s.publicity!.until).toISOString()}`);
  if (!i.summary.trim()) throw ruleViolation('R-APP-10', 'an objection needs a summary', [{ path: 'summary', message: 'must not be empty' }]);
}

export function guardApproval(s: ApplicationState, i: ApprovalInput): void {
  inStep(s, 'an approval', 'county_decision');
  const p = s.policy!.params;
  if (p.approvalDelegatedToTownship) hasRole(i, 'county_approver', 'township_leader');
  else hasRole(i, 'county_approver');
  notRecused(s, i);
  // R-APP-03 逢进必核: the step order already guarantees it; say it again where it matters most.
  if (s.verification.status !== 'completed') throw ruleViolation('R-APP-03', 'no approval before the economic-status verification is complete');
  if (s.decision) throw wrongStep(s.step, `a vote after the case was decided (${s.decision.outcome})`);
  if (s.votes.some((v) => v.approverId === i.actor.id)) {
    throw wrongStep(s.step, `a second vote by ${i.actor.id} (each approver votes once)`);
  }
  // R-APP-11 一事一议: a specially filed case is decided at a meeting, which the vote names
  if (s.specialFiling.length > 0 && !i.meeting) {
    throw ruleViolation('R-APP-11', 'a specially filed case is decided one by one at a meeting: name it', [{ path: 'meeting', message: 'required for a specially filed case' }]);
  }
  if (i.decision === 'reject') return;
  const c = decisionCoverage(s);
  if (!c) {
    // R-APP-10: an approval needs the township's eligible opinion and the publicity that followed it
    throw ruleViolation('R-APP-10', 'the township found the household ineligible and nothing was publicised: the county can only reject', [{ path: 'decision', message: 'cannot approve' }]);
  }
  const amount = approvedAmount(s, i, c);
  if (amount <= 0 || amount > c.maxMonthlyFen) {
    throw ruleViolation('R-APP-05', `the amount must be between 1 and ${c.maxMonthlyFen} fen`, [{ path: 'monthlyFen', message: `at most ${c.maxMonthlyFen}` }]);
  }
  const earlier = s.votes.find((v) => v.decision === 'approve');
  if (earlier && earlier.monthlyFen !== amount) {
    throw ruleViolation('R-APP-11', `approvers must agree on the amount: ${earlier.approverId} approved ${earlier.monthlyFen} fen`, [
      { path: 'monthlyFen', message: `must equal ${earlier.monthlyFen}` },
    ]);
  }
}

/** Whom an approval covers: what the township's eligible opinion proposed (and the village saw publicised). */
export function decisionCoverage(s: ApplicationState): { coveredMembers: string[]; singlePerson: boolean; maxMonthlyFen: number } | undefined {
  const review = s.townshipReview!;
  return review.opinion === 'eligible' ? review : undefined;
}

export function approvedAmount(s: ApplicationState, i: ApprovalInput, c: { maxMonthlyFen: number }): number {
  return i.monthlyFen ?? s.townshipReview!.proposedMonthlyFen ?? c.maxMonthlyFen;
}

export function guardExtension(s: ApplicationState, i: ReasonInput): void {
  hasRole(i, 'county_approver');
  notRecused(s, i);
  const d = s.deadlines.find((x) => x.name === 'decision');
  if (!d || d.closedAt !== undefined || s.status !== 'open') throw wrongStep(s.step, 'an extension');
  if (d.extended) throw ruleViolation('R-APP-12', 'the decision deadline can be extended only once');
  if (d.overdueSince !== undefined || Date.now() >= d.dueAt) throw ruleViolation('R-APP-12', `the deadline passed on ${d.dueOn}: an extension must be decided before it passes`);
  if (!i.reason.trim()) throw ruleViolation('R-APP-12', 'an extension needs a reason', [{ path: 'reason', message: 'must not be empty' }]);
}

export function guardWithdrawal(s: ApplicationState, i: ReasonInput): void {
  hasRole(i, 'township_caseworker');
  if (s.status !== 'open' || DECIDED.includes(s.step) || s.withdrawal) throw wrongStep(s.step, 'a withdrawal');
}

export function guardRejectionNotice(s: ApplicationState, i: RejectionNoticeInput): void {
  inStep(s, 'a rejection notice', 'rejected');
  hasRole(i, 'township_caseworker', 'county_caseworker', 'county_approver');
  if (s.rejectionNotice) throw wrongStep(s.step, 'a second rejection notice');
  const decided = s.decision!.decidedOn;
  if (i.servedOn < decided || i.servedOn > today()) {
    throw ruleViolation('R-APP-13', `the notice must be served between ${decided} and today`, [{ path: 'servedOn', message: 'out of range' }]);
  }
}
