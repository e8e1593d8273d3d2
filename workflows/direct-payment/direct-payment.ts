// 特困人员丧葬费、医疗费直接支付 (R-DIR-01, R-DIR-02, R-DTH-04): a payment for a TEKUN person, by bank transfer
// straight to the undertaker, the support institution or the hospital. In the order of the rules: the start
// is checked (signed; a TEKUN recipient; a funeral for a death the death stop recorded); a caseworker gives
// the payee and the amount (a funeral at most the subsidy standard, medical costs at most the residual after
// insurance and medical assistance), never to a recipient's or a staff member's account; the county (or a
// township it authorised) decides collectively (R-APP-11) with recusal (R-APP-09); then the transfer, once
// (R-PAY-09, kit/pay-once.ts), retried with backoff, and a rejected account goes to a caseworker who
// corrects the payee on a new line; a final error, or no final answer after MAX_RETRIES calls, goes to a
// caseworker who resumes the same line. The rules set no deadline for any of it.
import { ActivityFailure, ApplicationFailure, allHandlersFinished, condition, patched, workflowInfo } from '@temporalio/workflow';
import { db } from '../kit/activity-proxies';
import { verifyStart } from '../kit/start-signature';
import { CommandRuntime } from '../kit/command-runtime';
import { CaseWriter } from '../kit/case-writer';
import { note, setFlag, touch } from '../kit/case-log';
import { payOnce } from '../kit/pay-once';
import { admitActor } from '../steps/actors';
import { chinaDate } from '../rules/dates';
import { personRefusal } from '../rules/direct-payment';
import type { DirectPaymentStartInput } from './start-input';
import { moveTo, newState, type DirectPaymentState, type PaymentLine } from './state';
import { registerHandlers } from './handlers';
import { directPaymentRecord } from './record';
import { newLine, paymentOrder } from './lines';

export interface DirectPaymentOutcome {
  paymentId: string;
  status: DirectPaymentState['status'];
  reference?: string;
  bankRef?: string;
}

const today = () => chinaDate(Date.now());
// Technical limits of talking to the bank (as the agency's for verification), not policy: how often a
// pending transfer is asked about, how long one call of payOnce waits (24 polls at most: each costs history
// events), and the backoff between calls.
const POLL_EVERY = '1 hour';
const GIVE_UP_AFTER = '1 day';
const RETRY_FIRST_MS = 3_600_000;
const RETRY_MAX_MS = 24 * 3_600_000;
// R-PAY-09: after this many calls of payOnce without a final answer (about ten days: seven calls of a day each
// plus 1+2+4+8+16+24 hours of backoff) a person looks, instead of retrying for ever. It also bounds the history:
// at most MAX_RETRIES × (24 polls) per line between two of a person's resumptions.
const MAX_RETRIES = 7;
/** Escalating a stuck payment changes the command sequence of runs that retried past MAX_RETRIES or met a final error. */
const ESCALATE_PATCH = 'R-PAY-09-escalate-stuck-payment';

export async function directPayment(input: DirectPaymentStartInput): Promise<DirectPaymentOutcome> {
  // issue 22 §1.3: only a start the API or the death stop signed
  verifyStart('directPayment', input);
  const s = newState(input, workflowInfo().workflowId, today());
  const writer = new CaseWriter(s, () => ({ kind: 'direct_payment', step: s.step, county: s.countyCode, overdue: false }), () => db.recordDirectPayment(directPaymentRecord(s)));
  const rt = new CommandRuntime({
    persist: () => persist(),
    dirty: () => writer.dirty(),
    interrupted: () => false,
    urgent: () => false,
    admit: (i) => admitActor(s, i),
  });
  registerHandlers(s, rt, () => writer.revision);

  async function persist(): Promise<void> {
    await writer.persist();
  }

  /** The person on the roster, the policy in force and the staff register (recusal) as they are now. */
  async function refresh(): Promise<string | undefined> {
    const ctx = await db.directPaymentContext({ paymentId: s.paymentId, kind: s.kind, personIdNumber: s.personIdNumber, on: today() });
    const before = JSON.stringify([s.policy?.sources, s.relations]);
    if (ctx.person) {
      s.person = ctx.person;
      s.householdId = ctx.person.householdId;
      s.villageCode = ctx.person.villageCode;
      s.townshipCode = s.villageCode.slice(0, 9);
      s.countyCode = s.villageCode.slice(0, 6);
    }
    s.policy = ctx.policy ?? s.policy;
    s.relations = ctx.relations;
    if (JSON.stringify([s.policy?.sources, s.relations]) !== before) touch(s);
    return ctx.otherFuneral;
  }

  async function close(reason: string): Promise<DirectPaymentOutcome> {
    s.closedReason = reason;
    note(s, 'system', 'direct_payment.refused', { reason });
    moveTo(s, 'closed');
    await persist();
    return { paymentId: s.paymentId, status: s.status };
  }

  // R-PAY-09: one transfer per line, retried with backoff while the bank gives no final answer; a rejected
  // account is escalated to a caseworker, whose correction is the next line
  async function pay(): Promise<void> {
    newLine(s, s.request!.payee);
    for (;;) {
      const line = s.lines.at(-1)!;
      note(s, 'system', 'payment.submitted', { line: line.line, reference: line.reference, amountFen: line.amountFen });
      let state;
      try {
        state = await rt.external(() => payOnce(paymentOrder(s, line), { pollEvery: POLL_EVERY, giveUpAfter: GIVE_UP_AFTER }));
      } catch (err) {
        if (!(err instanceof ActivityFailure) && !(err instanceof ApplicationFailure && !err.nonRetryable)) throw err;
        // a final error (the ledger's PaymentConflict, the bank holding another transfer under the reference):
        // retrying cannot help and a new line could pay twice, so a person looks
        const cause = err instanceof ActivityFailure ? err.cause : err;
        if (cause instanceof ApplicationFailure && cause.nonRetryable && patched(ESCALATE_PATCH)) {
          await escalate(line, cause.type ?? 'error', cause.message);
          continue;
        }
        state = undefined;
      }
      if (state?.status === 'paid') {
        line.state = state;
        note(s, 'system', 'payment.paid', { line: line.line, reference: line.reference, bankRef: state.bankRef, settledOn: state.settledOn });
        return;
      }
      if (state?.status === 'failed') {
        line.state = state;
        setFlag(s, 'bank_rejected');
        note(s, 'system', 'payment.failed', { line: line.line, reference: line.reference, code: state.code, reason: state.reason });
        moveTo(s, 'payee_correction');
        note(s, 'system', 'payment.escalated', { line: line.line, to: `county_caseworker@${s.countyCode}` });
        const lines = s.lines.length;
        await rt.wait(() => s.lines.length > lines);
        setFlag(s, 'bank_rejected', false);
        moveTo(s, 'paying');
        continue;
      }
      // no final answer yet (the bank unreachable, the transfer still pending): the same line again, later
      if (state) line.state = state;
      line.retries++;
      if (line.retries >= MAX_RETRIES && patched(ESCALATE_PATCH)) {
        await escalate(line, 'no_final_answer', `no final answer from the bank after ${line.retries} calls (last: ${state?.status ?? 'error'})`);
        continue;
      }
      const backoff = Math.min(RETRY_FIRST_MS * 2 ** (line.retries - 1), RETRY_MAX_MS);
      note(s, 'system', 'payment.retry', { line: line.line, reference: line.reference, retries: line.retries, status: state?.status ?? 'error', afterMs: backoff });
      await rt.wait(() => false, backoff);
    }
  }

  // R-PAY-09: a payment the flow cannot finish alone goes to the county's caseworkers (flag, assignee, audit) and
  // waits for one to resume it on the same line and reference (payOnce asks the bank before it submits)
  async function escalate(line: PaymentLine, code: string, reason: string): Promise<void> {
    setFlag(s, 'payment_stuck');
    note(s, 'system', 'payment.escalated', { line: line.line, reference: line.reference, code, reason, to: `county_caseworker@${s.countyCode}` });
    moveTo(s, 'payment_escalated');
    const resumptions = s.resumptions.length;
    await rt.wait(() => s.resumptions.length > resumptions);
    setFlag(s, 'payment_stuck', false);
    line.retries = 0;
    moveTo(s, 'paying');
  }

  const otherFuneral = await refresh();
  const dateOfDeath = s.origin.by === 'death-stop' ? s.origin.dateOfDeath : undefined;
  note(s, 'system', 'direct_payment.opened', { kind: s.kind, origin: s.origin.by, ...(dateOfDeath ? { dateOfDeath } : {}) });
  const refusal = otherFuneral ? `the person's funeral is paid by direct payment ${otherFuneral} (one funeral per person, R-DIR-01)` : personRefusal(s.kind, s.person ?? null, dateOfDeath);
  if (refusal) return close(refusal);

  moveTo(s, 'awaiting_payee');
  await rt.wait(() => s.request !== undefined);
  moveTo(s, 'county_decision');
  await persist();
  await refresh(); // the register may have changed since: recusal is checked against it (R-APP-09)
  await rt.wait(() => s.decision !== undefined);
  if (s.decision!.decision === 'reject') {
    moveTo(s, 'rejected');
  } else {
    moveTo(s, 'paying');
    await pay();
    moveTo(s, 'paid');
  }
  await persist();
  rt.finish();
  await condition(allHandlersFinished);
  const last = s.lines.at(-1);
  return { paymentId: s.paymentId, status: s.status, reference: last?.reference, bankRef: last && 'bankRef' in last.state ? last.state.bankRef : undefined };
}
