// R-PAY-09: a direct payment's transfers. Each line has its own reference, `direct-payment-<paymentId>/<line>`
// (the workflow id and the line, never a run id), so a retried activity, a restarted worker or a reset names
// the same transfer; a corrected payee gets the next line, the failed one stays failed.
import type { PaymentOrder } from '../kit/payment-order';
import type { DirectPayee } from './messages';
import type { DirectPaymentState, PaymentLine } from './state';

export function newLine(s: DirectPaymentState, payee: DirectPayee, correctedBy?: string): PaymentLine {
  const line = s.lines.length + 1;
  const l: PaymentLine = { line, reference: `${s.workflowId}/${line}`, payee, amountFen: s.request!.amountFen, state: { status: 'unknown' }, retries: 0, ...(correctedBy ? { correctedBy } : {}) };
  s.lines.push(l);
  return l;
}

export function paymentOrder(s: DirectPaymentState, l: PaymentLine): PaymentOrder {
  return {
    reference: l.reference,
    purpose: s.kind,
    workflowId: s.workflowId,
    businessId: s.paymentId,
    subject: s.householdId,
    jurisdiction: s.villageCode,
    payee: l.payee,
    amountFen: l.amountFen,
    memo: `${s.kind === 'funeral' ? '特困人员丧葬补助' : '特困人员医疗费'} ${s.paymentId}`,
  };
}
