// The state of one review (定期复核, R-REV-02), what the `state` query returns and the projection shows,
// and the small helpers that change it. Satisfies CaseParties, so the shared human steps (workflows/steps/)
// check its investigation, recusal and collective decision as they check an application's.
import type { Accounting } from '../rules/accounting';
import type { ResolvedPolicy } from '../rules/policy';
import type { StaffRelation } from '../rules/recusal';
import type { SpecialFilingReason } from '../rules/special-filing';
import type { Member, Programme, Residence } from '../rules/types';
import type { EconomicVerification } from '../steps/economic-verification';
import type { InvestigationInput } from '../application/messages';
import type { MeetingRecord } from '../steps/parties';
import type { CaseLog } from '../kit/case-log';
import { changeStep } from '../kit/case-step';
import type { Notice } from '../kit/notices';
import { deadlineView, type Deadline } from '../kit/deadline-clock';

export const STEPS = ['opening', 'verifying', 'investigating', 'township_review', 'county_decision', 'decided', 'closed'] as const;
export type Step = (typeof STEPS)[number];
export type Status = 'open' | 'decided' | 'closed';
export const OUTCOMES = ['continue', 'increase', 'decrease', 'stop'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type ReviewReason = 'scheduled' | 'change_report' | 'alert';

/** How every starter (the recheck cycle, change reports, partner alerts) starts a review. */
export interface ReviewInput {
  householdId: string;
  countyCode: string;
  /** YYYY-MM: the cycle's period (scheduled reviews) */
  period?: string;
  reason: ReviewReason;
  /** what a change report or an alert said (R-REV-03, R-REV-05) */
  trigger?: { kind: string; detail?: string };
}

/** The household as the roster (花名册) holds it when the review opens. */
export interface RosterHousehold {
  householdId: string;
  programme: Programme;
  villageCode: string;
  residence: Residence;
  status: string;
  monthlyFen: number;
  reviewClass: string;
  singlePerson: boolean;
  members: (Member & { covered: boolean })[];
}

export type ReviewInvestigation = Omit<InvestigationInput, 'actor' | 'staff'> & { round: number; recordedBy: string; recordedAt: number };

/** What the accounting of this review gives (an activity's answer, in history): the outcome is not chosen, it follows. */
export interface Assessment {
  outcome: Outcome;
  monthlyFen: number;
  coveredMembers: string[];
  reason?: string;
}

export interface ReviewVote {
  approverId: string;
  approverName: string;
  outcome: Outcome;
  monthlyFen: number;
  reason: string;
  meeting?: string;
  body?: 'township' | 'county';
  at: number;
}

export interface ReviewState extends CaseLog {
  /** issue 23 §4: notices from other workflows (a member's death stop): kit/notices.ts */
  notices?: Notice[];
  reviewId: string;
  householdId: string;
  reason: ReviewReason;
  period?: string;
  trigger?: ReviewInput['trigger'];
  openedOn: string;
  programme: Programme;
  villageCode: string;
  townshipCode: string;
  countyCode: string;
  status: Status;
  step: Step;
  household?: RosterHousehold;
  verification: EconomicVerification<{ by: string; at: number; reason: string }>;
  /** R-REV-04: a major change found by the verification or reported, to be processed within majorChangeMonths */
  majorChange?: { foundOn: string; by: 'verification' | 'report'; detail: string };
  investigationRound: number;
  investigations: ReviewInvestigation[];
  accounting?: Accounting;
  assessment?: Assessment;
  /** the township's proposed outcome (by a township caseworker, on the ≥2 investigators' visit) */
  proposal?: { outcome: Outcome; monthlyFen: number; reason: string; by: string; at: number };
  votes: ReviewVote[];
  meeting?: MeetingRecord;
  decision?: { outcome: Outcome; monthlyFen: number; decidedOn: string; fromMonth: string; approvers: string[]; reasons: string[] };
  roster?: { fromMonth: string; nextReviewOn: string | null };
  closedReason?: string;
  relations: StaffRelation[];
  specialFiling: SpecialFilingReason[];
  policy?: ResolvedPolicy;
  deadlines: Deadline[];
}

export function newState(input: ReviewInput, workflowId: string, today: string): ReviewState {
  return {
    reviewId: workflowId.replace(/^review-/, ''),
    workflowId,
    householdId: input.householdId,
    reason: input.reason,
    period: input.period,
    trigger: input.trigger,
    openedOn: today,
    programme: 'DIBAO',
    villageCode: input.countyCode,
    townshipCode: input.countyCode,
    countyCode: input.countyCode,
    status: 'open',
    step: 'opening',
    revision: 0,
    flags: [],
    verification: { status: 'not_started', rounds: 0 },
    investigationRound: 1,
    investigations: [],
    votes: [],
    relations: [],
    specialFiling: [],
    deadlines: [],
    pendingAudit: [],
    auditSeq: 0,
  };
}

export function memberIds(s: ReviewState): string[] {
  return (s.household?.members ?? []).map((m) => m.idNumber);
}

/** R-APP-11: where the county delegated confirmation, the township's leadership decides the review too. */
export const delegated = (s: ReviewState): boolean => s.policy?.params.approvalDelegatedToTownship === true;

export function assigneeFor(s: ReviewState): string | undefined {
  switch (s.step) {
    case 'verifying':
      return s.verification.status === 'stalled' ? `township_caseworker@${s.townshipCode}` : 'verification_agency';
    case 'investigating':
    case 'township_review':
      return `township_caseworker@${s.townshipCode}`;
    case 'county_decision':
      return delegated(s) ? `township_leader@${s.townshipCode}` : `county_approver@${s.countyCode}`;
    default:
      return undefined;
  }
}

/** Escalation goes one level above whoever holds the review: the township's steps to the county, the county's to the city. */
export const heldByCounty = (s: ReviewState): boolean => s.step === 'county_decision' && !delegated(s);

export function moveTo(s: ReviewState, step: Step): void {
  changeStep(s, step, ['decided', 'closed'] as const);
}

export type ReviewView = ReturnType<typeof view>;

export function view(s: ReviewState) {
  const iso = (ms?: number) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    reviewId: s.reviewId,
    workflowId: s.workflowId,
    notices: (s.notices ?? []).map((n) => ({ ...n, at: new Date(n.at).toISOString() })),
    householdId: s.householdId,
    reason: s.reason,
    period: s.period ?? null,
    trigger: s.trigger ?? null,
    programme: s.programme,
    villageCode: s.villageCode,
    status: s.status,
    step: s.step,
    assignee: assigneeFor(s) ?? null,
    revision: s.revision,
    openedOn: s.openedOn,
    flags: s.flags,
    currentMonthlyFen: s.household?.monthlyFen ?? null,
    members: (s.household?.members ?? []).map((m) => ({ idNumber: m.idNumber, name: m.name, covered: m.covered })),
    recusedStaff: [...new Set(s.relations.map((r) => r.staffId))],
    specialFiling: s.specialFiling,
    verification: { status: s.verification.status, checkId: s.verification.checkId ?? null, completedAt: iso(s.verification.completedAt), report: s.verification.report ?? null },
    majorChange: s.majorChange ?? null,
    investigations: s.investigations,
    accounting: s.accounting ?? null,
    assessment: s.assessment ?? null,
    decisions: {
      proposal: s.proposal ? { ...s.proposal, at: iso(s.proposal.at) } : null,
      votes: s.votes.map((v) => ({ ...v, at: iso(v.at) })),
      ...(s.meeting ? { meeting: s.meeting } : {}),
      outcome: s.decision ?? null,
      roster: s.roster ?? null,
    },
    closedReason: s.closedReason ?? null,
    deadlines: s.deadlines.map(deadlineView),
    policy: s.policy ? { sources: s.policy.sources, on: s.policy.on } : null,
  };
}
