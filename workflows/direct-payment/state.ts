// The state of one direct payment (特困人员丧葬费、医疗费直接支付, R-DIR-01/02), what the `state` query returns
// and the projection shows. Satisfies CaseParties, so the shared human steps (workflows/steps/) check its
// recusal and collective decision as they check an application's. It has no investigation.
import type { ResolvedPolicy } from '../rules/policy';
import type { StaffRelation } from '../rules/recusal';
import type { DirectPaymentPerson, MedicalCosts } from '../rules/direct-payment';
import type { MeetingRecord } from '../steps/parties';
import type { TransferState } from '../kit/payment-order';
import type { CaseLog } from '../kit/case-log';
import { changeStep } from '../kit/case-step';
import type { DirectPaymentStartInput } from './start-input';
import type { DirectPayee } from './messages';

export const STEPS = ['opening', 'awaiting_payee', 'county_decision', 'paying', 'payee_correction', 'payment_escalated', 'paid', 'rejected', 'closed'] as const;
export type Step = (typeof STEPS)[number];
/** open; paid; rejected (by the deciding body); closed (refused at the start: not a TEKUN recipient, no death recorded) */
export type Status = 'open' | 'paid' | 'rejected' | 'closed';

export interface DirectPaymentVote {
  approverId: string;
  approverName: string;
  decision: 'approve' | 'reject';
  reason: string;
  meeting?: string;
  body?: 'township' | 'county';
  at: number;
}

/** One transfer at the bank: its own reference for ever; a corrected payee is a new line (R-PAY-09). */
export interface PaymentLine {
  line: number;
  reference: string;
  payee: DirectPayee;
  amountFen: number;
  state: TransferState;
  /** calls of payOnce that ended without a final state (retried with backoff) */
  retries: number;
  correctedBy?: string;
}

export interface DirectPaymentState extends CaseLog {
  paymentId: string;
  kind: DirectPaymentStartInput['kind'];
  personIdNumber: string;
  householdId?: string;
  origin: DirectPaymentStartInput['origin'];
  openedOn: string;
  villageCode: string;
  townshipCode: string;
  countyCode: string;
  status: Status;
  step: Step;
  person?: DirectPaymentPerson;
  request?: { payee: DirectPayee; amountFen: number; medical?: MedicalCosts & { residualFen: number }; reason?: string; by: string; byRole: string; at: number };
  votes: DirectPaymentVote[];
  meeting?: MeetingRecord;
  decision?: { decision: 'approve' | 'reject'; decidedOn: string; approvers: string[]; reasons: string[] };
  lines: PaymentLine[];
  /** R-PAY-09: each time a caseworker resumed an escalated payment (the same line again) */
  resumptions: { by: string; reason: string; at: number }[];
  closedReason?: string;
  relations: StaffRelation[];
  specialFiling: never[];
  investigations: never[];
  policy?: ResolvedPolicy;
}

export function newState(input: DirectPaymentStartInput, workflowId: string, today: string): DirectPaymentState {
  return {
    paymentId: input.paymentId,
    workflowId,
    kind: input.kind,
    personIdNumber: input.personIdNumber,
    householdId: input.householdId,
    origin: input.origin,
    openedOn: today,
    villageCode: input.villageCode,
    townshipCode: input.villageCode.slice(0, 9),
    countyCode: input.villageCode.slice(0, 6),
    status: 'open',
    step: 'opening',
    revision: 0,
    flags: [],
    votes: [],
    lines: [],
    resumptions: [],
    relations: [],
    specialFiling: [],
    investigations: [],
    pendingAudit: [],
    auditSeq: 0,
  };
}

/** R-DIR-01: the county approves, or a township it authorised by policy. */
export const delegated = (s: DirectPaymentState): boolean => s.policy?.params.directPaymentDelegatedToTownship === true;

export function assigneeFor(s: DirectPaymentState): string | undefined {
  switch (s.step) {
    case 'awaiting_payee':
      return `township_caseworker@${s.townshipCode}`;
    case 'county_decision':
      return delegated(s) ? `township_leader@${s.townshipCode}` : `county_approver@${s.countyCode}`;
    case 'paying':
      return 'bank';
    // the bank rejected the account: escalated to the county's caseworkers
    case 'payee_correction':
    // a final error or no final answer after the retries (R-PAY-09): the county's caseworkers look
    case 'payment_escalated':
      return `county_caseworker@${s.countyCode}`;
    default:
      return undefined;
  }
}

export function moveTo(s: DirectPaymentState, step: Step): void {
  changeStep(s, step, ['paid', 'rejected', 'closed'] as const);
}

/** An account number as views and audit entries show it: the last four digits. */
export const maskAccount = (accountNo: string): string => `****${accountNo.slice(-4)}`;
export const maskedPayee = (p: DirectPayee) => ({ type: p.type, name: p.name, bank: p.bank, accountNo: maskAccount(p.accountNo) });

export type DirectPaymentView = ReturnType<typeof view>;

export function view(s: DirectPaymentState) {
  const iso = (ms?: number) => (ms === undefined ? null : new Date(ms).toISOString());
  const last = s.lines.at(-1);
  return {
    paymentId: s.paymentId,
    workflowId: s.workflowId,
    kind: s.kind,
    personIdNumber: s.personIdNumber,
    personName: s.person?.name ?? null,
    householdId: s.householdId ?? null,
    villageCode: s.villageCode,
    origin: s.origin.by === 'death-stop' ? { by: s.origin.by, deathStopWorkflowId: s.origin.deathStopWorkflowId, dateOfDeath: s.origin.dateOfDeath } : { by: s.origin.by, actor: s.origin.actor },
    status: s.status,
    step: s.step,
    assignee: assigneeFor(s) ?? null,
    revision: s.revision,
    openedOn: s.openedOn,
    flags: s.flags,
    amountFen: s.request?.amountFen ?? null,
    payee: s.request ? maskedPayee(last?.payee ?? s.request.payee) : null,
    medical: s.request?.medical ?? null,
    requestedBy: s.request ? { id: s.request.by, at: iso(s.request.at) } : null,
    recusedStaff: [...new Set(s.relations.map((r) => r.staffId))],
    decisions: {
      votes: s.votes.map((v) => ({ ...v, at: iso(v.at) })),
      ...(s.meeting ? { meeting: s.meeting } : {}),
      outcome: s.decision ?? null,
    },
    /** the bank's side (R-PAY-09): every line, the failed ones kept */
    bank: {
      reference: last?.reference ?? null,
      bankRef: last && 'bankRef' in last.state ? (last.state.bankRef ?? null) : null,
      status: last?.state.status ?? null,
      lines: s.lines.map((l) => ({ line: l.line, reference: l.reference, payee: maskedPayee(l.payee), amountFen: l.amountFen, ...l.state, retries: l.retries })),
      resumptions: s.resumptions.map((r) => ({ ...r, at: iso(r.at) })),
    },
    closedReason: s.closedReason ?? null,
    // R-DIR: the rules set no statutory deadline for a direct payment (README "Direct payments")
    deadlines: [],
    policy: s.policy ? { sources: s.policy.sources, on: s.policy.on } : null,
  };
}
