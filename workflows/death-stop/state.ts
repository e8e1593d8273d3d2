// The state of one death stop (死亡停发, R-DTH-01…04), what the `state` query returns and the projection
// shows, and the small helpers that change it.
import type { ResolvedPolicy } from '../rules/policy';
import type { StaffRelation } from '../rules/recusal';
import type { Programme } from '../rules/types';
import type { EconomicVerification } from '../steps/economic-verification';
import type { RosterHousehold } from '../review/state';
import type { CaseLog } from '../kit/case-log';
import { changeStep } from '../kit/case-step';
import { deadlineView, type Deadline } from '../kit/deadline-clock';

export const STEPS = ['opening', 'holding', 'verifying', 'confirming', 'adjusted', 'closed'] as const;
export type Step = (typeof STEPS)[number];
export type Status = 'open' | 'adjusted' | 'closed';
export const DEATH_SOURCES = ['civil_registry', 'funeral', 'police', 'report'] as const;
export type DeathSource = (typeof DEATH_SOURCES)[number];

/** What the intake starts a death stop with (signed: kit/start-signature.ts). */
export interface DeathStopInput {
  deathStopId: string;
  /** the deceased (encrypted in payloads, never in the workflow id) */
  idNumber: string;
  householdId: string;
  /** the household's village (jurisdiction: who may act on the stop) */
  villageCode: string;
  countyCode: string;
  dateOfDeath: string;
}

/** R-DTH-03: what the hold did to the roster, from the month after death. */
export interface Hold {
  fromMonth: string;
  heldOn: string;
  /** nobody covered is left: the household is stopped and the case closes */
  closesHousehold: boolean;
  monthlyFenBefore: number;
  paymentStartMonth: string;
  /** R-DTH-04: the deceased was a covered TEKUN person */
  tekun: boolean;
}

export interface Recovery {
  months: string[];
  perMonthFen: number;
  totalFen: number;
  /** provisional until the amount is confirmed (a larger household) */
  final: boolean;
}

export interface DeathStopState extends CaseLog {
  deathStopId: string;
  idNumber: string;
  householdId: string;
  dateOfDeath: string;
  openedOn: string;
  programme: Programme;
  villageCode: string;
  countyCode: string;
  status: Status;
  step: Step;
  /** every source that reported the death (R-DTH-01), in order */
  sources: { source: DeathSource; at: number; by: string; dateOfDeath: string }[];
  household?: RosterHousehold;
  hold?: Hold;
  verification: EconomicVerification<boolean>;
  /** the application's accounting on the remaining members with the agency's figures */
  recomputed?: { monthlyFen: number; detail: string };
  confirmation?: { by: string; at: number; monthlyFen: number; reason: string };
  roster?: { fromMonth: string; monthlyFen: number; outcome: string };
  recovery?: Recovery;
  funeral?: { workflowId: string; started: boolean };
  /** open applications and reviews that were told of the death */
  noticed: { workflowId: string; kind: string; told: boolean }[];
  /** R-APP-09: staff related to the household (the confirmer must not be one) */
  relations: StaffRelation[];
  policy?: ResolvedPolicy;
  deadlines: Deadline[];
}

export function newState(input: DeathStopInput, workflowId: string, today: string): DeathStopState {
  return {
    deathStopId: input.deathStopId,
    workflowId,
    idNumber: input.idNumber,
    householdId: input.householdId,
    dateOfDeath: input.dateOfDeath,
    openedOn: today,
    programme: 'DIBAO',
    villageCode: input.villageCode,
    countyCode: input.countyCode,
    status: 'open',
    step: 'opening',
    sources: [],
    verification: { status: 'not_started', rounds: 0 },
    noticed: [],
    relations: [],
    deadlines: [],
    revision: 0,
    flags: [],
    pendingAudit: [],
    auditSeq: 0,
  };
}

/** The county's caseworkers act on a death stop (the confirmation, a new verification attempt). */
export function assigneeFor(s: DeathStopState): string | undefined {
  if (s.step === 'verifying') return s.verification.status === 'stalled' ? `county_caseworker@${s.countyCode}` : 'verification_agency';
  if (s.step === 'confirming' || s.step === 'holding' || s.step === 'opening') return `county_caseworker@${s.countyCode}`;
  return undefined;
}

export function moveTo(s: DeathStopState, step: Step): void {
  changeStep(s, step, ['adjusted', 'closed'] as const);
}

export type DeathStopView = ReturnType<typeof view>;

export function view(s: DeathStopState) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    deathStopId: s.deathStopId,
    workflowId: s.workflowId,
    householdId: s.householdId,
    idNumber: s.idNumber,
    dateOfDeath: s.dateOfDeath,
    programme: s.programme,
    villageCode: s.villageCode,
    status: s.status,
    step: s.step,
    assignee: assigneeFor(s) ?? null,
    revision: s.revision,
    openedOn: s.openedOn,
    flags: s.flags,
    sources: s.sources.map((x) => ({ ...x, at: iso(x.at) })),
    /** R-DTH-03: the deceased's payments held from the month after death */
    paymentsHeld: s.hold ? { fromMonth: s.hold.fromMonth, heldOn: s.hold.heldOn, householdStopped: s.hold.closesHousehold, monthlyFenBefore: s.hold.monthlyFenBefore } : null,
    verification: { status: s.verification.status, checkId: s.verification.checkId ?? null },
    recomputed: s.recomputed ?? null,
    confirmation: s.confirmation ? { ...s.confirmation, at: iso(s.confirmation.at) } : null,
    roster: s.roster ?? null,
    /** R-DTH-03: payments made for months after death (追回) */
    recoveryDue: s.recovery ?? null,
    funeralPayment: s.funeral ?? null,
    noticed: s.noticed,
    /** R-DTH-02: date of death + deathReviewMonths */
    deadline: s.deadlines.find((d) => d.name === DEATH_REVIEW)?.dueOn ?? null,
    deadlines: s.deadlines.map(deadlineView),
    policy: s.policy ? { sources: s.policy.sources, on: s.policy.on } : null,
  };
}

export const DEATH_REVIEW = 'death_review';
