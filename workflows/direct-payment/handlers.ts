// The human steps of a direct payment, as Updates run by the kit's command runtime: the checks (guards.ts),
// then the change to state. Whether a payee's account belongs to a recipient or its name to a staff member
// is read from the database by an activity (in history), so a register changed later never re-decides it.
import { setHandler } from '@temporalio/workflow';
import { db } from '../kit/activity-proxies';
import { note } from '../kit/case-log';
import type { CommandRuntime } from '../kit/command-runtime';
import type { Command, CommandResult } from '../kit/command';
import { ruleViolation } from '../kit/errors';
import { chinaDate } from '../rules/dates';
import { medicalResidual } from '../rules/direct-payment';
import { bodyOf } from '../steps/actors';
import { agreed, recordMeeting } from '../steps/collective-decision';
import { maskedPayee, view, type DirectPaymentState } from './state';
import { newLine } from './lines';
import * as guard from './guards';
import * as m from './messages';
import * as payload from './payloads';

export function commandResult(s: DirectPaymentState, changed: string[], revision = s.revision): CommandResult {
  return { caseId: s.paymentId, step: s.step, status: s.status, revision, changed };
}

/** R-DIR-01, R-PAY-04: never to a recipient's own account nor to a staff member (activities/direct-payment/payee-screen.ts). */
async function screen(s: DirectPaymentState, payee: m.DirectPayee): Promise<void> {
  const r = await db.screenDirectPayee({ payee, personIdNumber: s.personIdNumber });
  if (r.refused) throw ruleViolation('R-DIR-01', r.refused.message, [{ path: r.refused.path, message: r.refused.message }]);
}

export function registerHandlers(s: DirectPaymentState, rt: CommandRuntime, written: () => number): void {
  const now = () => Date.now();
  const who = (c: Command) => ({ id: c.actor.id, role: c.actor.role });
  const answer = (...changed: string[]) => () => commandResult(s, changed, written());

  setHandler(m.directPaymentStateQuery, () => view(s));

  rt.command(m.requestPaymentUpdate, {
    schema: payload.request.command,
    authorize: (i) => guard.request.authorize(s, i),
    check: () => guard.request.check(s),
    apply: async (i) => {
      await screen(s, i.payee);
      const medical = s.kind === 'medical' ? { totalCostFen: i.totalCostFen!, insurancePaidFen: i.insurancePaidFen!, medicalAssistancePaidFen: i.medicalAssistancePaidFen! } : undefined;
      s.request = { payee: i.payee, amountFen: i.amountFen, medical: medical && { ...medical, residualFen: medicalResidual(medical) }, reason: i.reason, by: i.actor.id, byRole: i.actor.role, at: now() };
      note(s, who(i), 'direct_payment.requested', { kind: s.kind, amountFen: i.amountFen, payee: maskedPayee(i.payee), ...(medical ? { medical: s.request.medical } : {}) }, i.reason);
    },
    answer: answer('request'),
  });

  // R-APP-11: one vote each; the decision once minApprovers of one body agree
  rt.command(m.directPaymentApprovalUpdate, {
    schema: payload.approval.command,
    authorize: (i) => guard.approval.authorize(s, i),
    check: (i) => guard.approval.check(s, i),
    apply: (i) => {
      recordMeeting(s, i);
      s.votes.push({ approverId: i.actor.id, approverName: i.actor.name, decision: i.decision, reason: i.reason, meeting: i.meeting, body: bodyOf(i), at: now() });
      note(s, who(i), 'direct_payment.vote', { decision: i.decision, amountFen: s.request?.amountFen, meeting: i.meeting }, i.reason);
      const agreeing = agreed(s.votes, (v) => v.decision === i.decision, s.policy!.params.minApprovers);
      if (!agreeing) return;
      s.decision = { decision: i.decision, decidedOn: chinaDate(now()), approvers: agreeing.map((v) => v.approverId), reasons: agreeing.map((v) => v.reason) };
      note(s, 'system', 'direct_payment.decided', { decision: i.decision, approvers: s.decision.approvers });
    },
    answer: answer('decisions'),
  });

  // R-PAY-09: the corrected payee is paid on a new line under a new reference; the failed line stays as it was
  rt.command(m.correctPayeeUpdate, {
    schema: payload.correction.command,
    authorize: (i) => guard.correction.authorize(s, i),
    check: () => guard.correction.check(s),
    apply: async (i) => {
      await screen(s, i.payee);
      const line = newLine(s, i.payee, i.actor.id);
      note(s, who(i), 'payment.payee_corrected', { line: line.line, reference: line.reference, payee: maskedPayee(i.payee) }, i.reason);
    },
    answer: answer('bank'),
  });

  // R-PAY-09: the same line and reference again (payOnce asks the bank before it submits: never a second transfer)
  rt.command(m.resumePaymentUpdate, {
    schema: payload.resumption.command,
    authorize: (i) => guard.resumption.authorize(s, i),
    check: () => guard.resumption.check(s),
    apply: (i) => {
      s.resumptions.push({ by: i.actor.id, reason: i.reason, at: now() });
      const line = s.lines.at(-1)!;
      note(s, who(i), 'payment.resumed', { line: line.line, reference: line.reference }, i.reason);
    },
    answer: answer('bank'),
  });
}
