// The state of one application (低保/特困 申请), what the `state` query and every update return, and
// the small helpers that change it. Every change bumps `revision` and queues audit entries; the
// workflow writes both to PostgreSQL through recordCase.
import type { Accounting, DepositExemption, MemberIncome, SourceIncome } from '../rules/accounting';
import type { InvestigationInput } from './messages';
import type { ResolvedPolicy } from '../rules/policy';
import type { StaffRelation } from '../rules/recusal';
import type { SpecialFilingReason } from '../rules/special-filing';
import type { Actor, Household, NearRelativeDeclaration, Programme, PublicityChannel, TekunEnrolment, VerificationReport } from '../rules/types';
import type { CaseLog } from '../kit/case-log';
import { changeStep } from '../kit/case-step';
import type { Notice } from '../kit/notices';
import { deadlineView, type Deadline } from '../kit/deadline-clock';
import type { StartAuth } from '../kit/start-statement';

export const STEPS = [
  'awaiting_materials',
  'verifying',
  'investigating',
  'county_visit',
  'township_review',
  'publicity',
  'county_decision',
  'enrolled',
  'rejected',
  'withdrawn',
] as const;
export type Step = (typeof STEPS)[number];
export type Status = 'open' | 'enrolled' | 'rejected' | 'withdrawn';

export interface BankAccountInput {
  bank: string;
  accountNo: string;
  holderIdNumber: string;
}

export interface ApplicationInput {
  caseId: string;
  programme: Programme;
  villageCode: string;
  /** a paper application received before it was entered: the deadline counts from here (R-APP-12) */
  receivedOn?: string;
  household: Household;
  materials: string[];
  nearRelativeDeclaration: NearRelativeDeclaration;
  account?: BankAccountInput;
  actor: Actor;
  /** the API's signature over the start (issue 22 §1.3), checked first thing; never reaches state */
  auth?: StartAuth;
}

/** What the home investigation found (R-APP-04), as recorded. */
export type InvestigationRecord = Omit<InvestigationInput, 'actor'> & { round: number; recordedBy: string; recordedAt: number };

/** An objection raised during publicity round `round` (R-APP-10), as recorded by township staff. */
export interface ObjectionRecord {
  round: number;
  summary: string;
  raisedBy?: string;
  by: string;
  at: number;
}

export interface Vote {
  approverId: string;
  approverName: string;
  decision: 'approve' | 'reject';
  reason: string;
  monthlyFen?: number;
  meeting?: string;
  /** deposits the collective decision exempts, with their reasons (R-APP-05) */
  depositExemptions?: DepositExemption[];
  /** TEKUN: the support mode the vote decided */
  support?: TekunEnrolment['support'];
  /** R-APP-11: the deciding body the voter belongs to (absent on votes cast before it was recorded) */
  body?: 'township' | 'county';
  at: number;
}

export interface ApplicationState extends CaseLog {
  /** issue 23 §4: notices from other workflows (a member's death stop): kit/notices.ts */
  notices?: Notice[];
  caseId: string;
  programme: Programme;
  villageCode: string;
  townshipCode: string;
  countyCode: string;
  status: Status;
  step: Step;
  createdBy: Actor;
  enteredOn: string;
  receivedOn: string;
  acceptedOn?: string;
  household: Household;
  declaration: NearRelativeDeclaration;
  account?: BankAccountInput;
  /** R-APP-01: the list of missing materials is fixed at intake and told once */
  materials: {
    required: string[];
    provided: string[];
    missing: string[];
    noticeGivenOn?: string;
    /** R-APP-12, R-APP-16: papers a village assistant handed in, not accepted until a township caseworker does */
    handedIn?: string[];
  };
  specialFiling: SpecialFilingReason[];
  relations: StaffRelation[];
  verification: {
    status: 'not_started' | 'pending' | 'completed' | 'stalled';
    checkId?: string;
    requestedAt?: number;
    completedAt?: number;
    report?: VerificationReport;
    /** rounds submitted since the last person asked for a new attempt (the cap hands the case to a person) */
    rounds: number;
    /** a person asked for a new attempt after the case stalled */
    retryRequested?: { by: string; at: number; reason: string };
  };
  investigationRound: number;
  investigations: InvestigationRecord[];
  countyVisit?: { visitors: string[]; visitedOn: string; findings: string; recordedBy: string; recordedAt: number };
  accounting?: Accounting;
  townshipReview?: { opinion: 'eligible' | 'ineligible'; proposedMonthlyFen?: number; coveredMembers: string[]; singlePerson: boolean; maxMonthlyFen: number; perMember?: { idNumber: string; monthlyFen: number }[]; incomes?: { idNumber: string; sources: SourceIncome[] }[]; reason: string; by: string; at: number; publicityChannels?: PublicityChannel[] };
  publicity?: { round: number; from: number; until: number; objections: { summary: string; raisedBy?: string; by: string; at: number }[] };
  /** R-APP-10: every objection of every publicity round; when the rounds are spent they go to the decision */
  objections: ObjectionRecord[];
  votes: Vote[];
  /** R-APP-11 一事一议: the one meeting that decides the case, recorded with the first vote naming it */
  meeting?: { id: string; date: string; attendees: string[]; recordedBy: string };
  decision?: {
    outcome: 'approve' | 'reject';
    decidedOn: string;
    monthlyFen?: number;
    coveredMembers: string[];
    singlePerson: boolean;
    reasons: string[];
    approvers: string[];
    support?: TekunEnrolment['support'];
  };
  enrolment?: {
    householdId: string;
    enrolledOn: string;
    paymentStartMonth: string;
    monthlyFen: number;
    reviewClass: string;
    nextReviewOn: string;
    /** TEKUN: each covered person's care grade, basic + care amount and support mode */
    tekun?: TekunEnrolment[];
  };
  /** R-APP-13: reasons and appeal are absent only from notices recorded before the rule required them */
  rejectionNotice?: {
    servedOn: string;
    method: string;
    noticeNo?: string;
    by: string;
    reasons?: string[];
    appeal?: { reconsideration?: { body: string; withinDays?: number }; litigation?: { court: string; withinMonths?: number } };
  };
  withdrawal?: { reason: string; by: string; at: number };
  deadlines: Deadline[];
  policy?: ResolvedPolicy;
}

export function newState(input: ApplicationInput, workflowId: string, today: string): ApplicationState {
  return {
    caseId: input.caseId,
    workflowId,
    programme: input.programme,
    villageCode: input.villageCode,
    townshipCode: input.villageCode.slice(0, 9),
    countyCode: input.villageCode.slice(0, 6),
    status: 'open',
    step: 'awaiting_materials',
    revision: 0,
    createdBy: input.actor,
    enteredOn: today,
    receivedOn: input.receivedOn ?? today,
    household: input.household,
    declaration: input.nearRelativeDeclaration,
    account: input.account,
    materials: { required: [], provided: [...new Set(input.materials)], missing: [] },
    flags: [],
    specialFiling: [],
    relations: [],
    verification: { status: 'not_started', rounds: 0 },
    investigationRound: 1,
    investigations: [],
    objections: [],
    votes: [],
    deadlines: [],
    pendingAudit: [],
    auditSeq: 0,
  };
}

/**
 * R-APP-12, R-APP-16: the patch under which a village assistant's papers (at intake or later) wait for a
 * township caseworker's acceptance instead of starting the statutory clock.
 */
export const TOWNSHIP_ACCEPTS = 'R-APP-12-township-accepts';

/** Papers handed in by a village assistant: no longer missing, not yet accepted. */
export function handIn(s: ApplicationState, papers: string[]): void {
  s.materials.handedIn = [...new Set([...(s.materials.handedIn ?? []), ...papers])].filter((x) => !s.materials.provided.includes(x));
  s.materials.missing = s.materials.required.filter((x) => !s.materials.provided.includes(x) && !s.materials.handedIn!.includes(x));
}

/** R-APP-12: the case waits in awaiting_materials until nothing is missing and nothing handed in awaits acceptance. */
export const materialsAccepted = (s: ApplicationState): boolean => s.materials.missing.length === 0 && !s.materials.handedIn?.length;

export function memberIds(s: ApplicationState): string[] {
  return s.household.members.map((m) => m.idNumber);
}

/** Who must act next: the role and the jurisdiction it acts from. */
export function assigneeFor(s: ApplicationState): string | undefined {
  switch (s.step) {
    case 'awaiting_materials':
    case 'investigating':
    case 'township_review':
      return `township_caseworker@${s.townshipCode}`;
    case 'verifying':
      return s.verification.status === 'stalled' ? `township_caseworker@${s.townshipCode}` : 'verification_agency';
    case 'county_visit':
      return `county_caseworker@${s.countyCode}`;
    case 'county_decision':
      // R-APP-11: where the county delegated confirmation, the township's leadership decides
      return s.policy?.params.approvalDelegatedToTownship ? `township_leader@${s.townshipCode}` : `county_approver@${s.countyCode}`;
    case 'rejected':
      return s.rejectionNotice ? undefined : `township_caseworker@${s.townshipCode}`;
    default:
      return undefined;
  }
}

/** Whether the county holds the case: its own visit, or the decision where not delegated to the township (R-APP-11). */
export function heldByCounty(s: ApplicationState): boolean {
  return s.step === 'county_visit' || (s.step === 'county_decision' && !s.policy?.params.approvalDelegatedToTownship);
}

export function moveTo(s: ApplicationState, step: Step): void {
  changeStep(s, step, ['enrolled', 'rejected', 'withdrawn'] as const);
}

/**
 * The accounting as the view shows it: a case accounted before the corrected rules (issue 15) keeps the
 * accounting of its time in its history, which lacks what those rules added.
 */
type AddedByCorrectedRules = 'householdStandardFen' | 'property' | 'tekunAmounts' | 'tekunSupporters' | 'declaredAboveVerified' | 'incomeDrops' | 'refused';
/** R-APP-05: the per-source breakdown came with counting source by source; older accountings lack it */
type MemberIncomeView = Omit<MemberIncome, 'sources'> & Partial<Pick<MemberIncome, 'sources'>>;
export type AccountingView = Omit<Accounting, AddedByCorrectedRules | 'members'> & Partial<Pick<Accounting, AddedByCorrectedRules>> & { members: MemberIncomeView[] };

/** What a case recorded before bounded publicity rounds never kept: optional in the view's type. */
type AddedLater = 'objections';
type FullView = ReturnType<typeof view>;
export type ApplicationView = Omit<FullView, AddedLater> & Partial<Pick<FullView, AddedLater>>;

/** What callers see. Internal bookkeeping (pending audit, relations' sources) stays inside. */
export function view(s: ApplicationState) {
  return {
    caseId: s.caseId,
    workflowId: s.workflowId,
    notices: (s.notices ?? []).map((n) => ({ ...n, at: new Date(n.at).toISOString() })),
    programme: s.programme,
    villageCode: s.villageCode,
    status: s.status,
    step: s.step,
    assignee: assigneeFor(s),
    revision: s.revision,
    receivedOn: s.receivedOn,
    enteredOn: s.enteredOn,
    acceptedOn: s.acceptedOn ?? null,
    household: s.household,
    nearRelativeDeclaration: s.declaration,
    missingMaterials: s.materials.missing,
    materials: s.materials,
    flags: s.flags,
    specialFiling: s.specialFiling,
    recusedStaff: [...new Set(s.relations.map((r) => r.staffId))],
    verification: {
      status: s.verification.status,
      checkId: s.verification.checkId ?? null,
      completedAt: s.verification.completedAt ? new Date(s.verification.completedAt).toISOString() : null,
      report: s.verification.report ?? null,
    },
    investigations: s.investigations,
    // R-APP-10: what the village objected, round by round (all of them before the decision once the rounds are spent)
    objections: s.objections.map((o) => ({ ...o, at: new Date(o.at).toISOString() })),
    countyVisit: s.countyVisit ?? null,
    accounting: (s.accounting ?? null) as AccountingView | null,
    townshipReview: s.townshipReview ?? null,
    publicity: s.publicity
      ? { ...s.publicity, from: new Date(s.publicity.from).toISOString(), until: new Date(s.publicity.until).toISOString() }
      : null,
    decisions: {
      votes: s.votes.map((v) => ({ ...v, at: new Date(v.at).toISOString() })),
      // R-APP-11: the meeting that decides a 一事一议 case (present once recorded)
      ...(s.meeting ? { meeting: s.meeting } : {}),
      outcome: s.decision ?? null,
      enrolment: s.enrolment ?? null,
      rejectionNotice: s.rejectionNotice ?? null,
      withdrawal: s.withdrawal ?? null,
    },
    deadlines: s.deadlines.map(deadlineView),
    policy: s.policy ? { sources: s.policy.sources, on: s.policy.on } : null,
  };
}
