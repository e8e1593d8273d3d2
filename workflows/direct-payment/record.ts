// What a direct payment writes to PostgreSQL at each stable point (activities/direct-payment/record.ts): its
// projection (the `direct_payment` table) and the queued audit entries, whose case id is the payment's id
// (GET /v1/audit?caseId=<paymentId>). No deadline rows: the rules set no deadline for a direct payment.
import { assigneeFor, view, type DirectPaymentState } from './state';
import type { AuditEntry } from '../kit/records';

export interface DirectPaymentRecord {
  paymentId: string;
  workflowId: string;
  kind: string;
  personIdNumber: string;
  /** R-DIR-01: one funeral per person (a unique column), set while the funeral payment stands */
  funeralPerson?: string;
  householdId?: string;
  villageCode: string;
  countyCode: string;
  status: string;
  step: string;
  assignee?: string;
  amountFen?: number;
  reference?: string;
  bankRef?: string;
  revision: number;
  view: unknown;
  audit: AuditEntry[];
}

export function directPaymentRecord(s: DirectPaymentState): DirectPaymentRecord {
  const last = s.lines.at(-1);
  return {
    paymentId: s.paymentId,
    workflowId: s.workflowId,
    kind: s.kind,
    personIdNumber: s.personIdNumber,
    funeralPerson: s.kind === 'funeral' && s.status !== 'closed' ? s.personIdNumber : undefined,
    householdId: s.householdId,
    villageCode: s.villageCode,
    countyCode: s.countyCode,
    status: s.status,
    step: s.step,
    assignee: assigneeFor(s),
    amountFen: s.request?.amountFen,
    reference: last?.reference,
    bankRef: last && 'bankRef' in last.state ? last.state.bankRef : undefined,
    revision: s.revision,
    view: view(s),
    audit: s.pendingAudit.splice(0),
  };
}
