// R-DTH-04, R-DIR-01, R-PAY-09: a direct payment through the bank. The funeral payment a death stop started
// is paid once after its payee and the decision (one transfer at the sandbox bank, one ledger row); an account
// the bank rejects goes to a caseworker, whose corrected payee is paid on a new line under a new reference
// while the old line stays failed. Real Temporal (time-skipping), real PostgreSQL, the sandbox bank over HTTP.
import * as dm from '../../workflows/direct-payment/messages';
import { expectRefused } from '../helpers/application';
import { actors } from '../helpers/people';
import { approve, funeralStart, startDirectPayment, tekunRecipient, undertaker, waitForPaymentStep } from '../helpers/direct-payment';
import { workflowTestbed } from '../helpers/temporal';
import { createPaymentLedgerActivities } from '../../activities/payments/ledger';

const tb = workflowTestbed();

describe('direct payments: the transfer (R-PAY-09)', () => {
  it('R-DTH-04, R-DIR-01, R-PAY-09: a funeral started by the death stop waits for its payee, is approved by two, and is paid exactly once to the undertaker', async () => {
    await tb.run(async (tq) => {
      const r = await tekunRecipient(tb.db.prisma);
      const h = await startDirectPayment(tb.env.client, funeralStart(r.person.idNumber, r.householdId), tq);
      await waitForPaymentStep(h, 'awaiting_payee');
      await h.executeUpdate(dm.requestPaymentUpdate, { args: [{ actor: actors.caseworker, payee: undertaker('6217000010000000101'), amountFen: 280_000 }] });
      await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver1) });
      // one approval is not a decision (R-APP-11): nothing reaches the bank yet
      expect(await tb.db.prisma.payment.count({ where: { workflowId: h.workflowId } })).toBe(0);
      await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver3) });
      const reference = `${h.workflowId}/1`;
      expect(await h.result()).toMatchObject({ status: 'paid', reference });
      expect(await tb.bank.transfers(reference)).toEqual({ count: 1, duplicates: 0 });
      const ledger = await tb.db.prisma.payment.findMany({ where: { workflowId: h.workflowId } });
      expect(ledger).toEqual([expect.objectContaining({ reference, status: 'paid', amountFen: 280_000, payeeType: 'undertaker', accountNo: '6217000010000000101', purpose: 'funeral' })]);
      const row = await tb.db.prisma.directPayment.findUniqueOrThrow({ where: { workflowId: h.workflowId } });
      expect(row).toMatchObject({ status: 'paid', step: 'paid', reference, bankRef: ledger[0].bankRef, funeralPerson: r.person.idNumber });
      const v = (await h.query(dm.directPaymentStateQuery)).bank;
      expect(v).toMatchObject({ reference, status: 'paid', bankRef: ledger[0].bankRef });
      expect(v.lines).toHaveLength(1);
    });
  });

  it('R-PAY-09, R-DIR-01: an account the bank rejects is escalated to the county’s caseworker; the corrected payee is paid on a new line, the old one stays failed', async () => {
    await tb.run(async (tq) => {
      const r = await tekunRecipient(tb.db.prisma);
      const bad = '6217000010000000202';
      await tb.bank.faults({ rejectAccounts: [bad] });
      const h = await startDirectPayment(tb.env.client, funeralStart(r.person.idNumber, r.householdId), tq);
      await waitForPaymentStep(h, 'awaiting_payee');
      await h.executeUpdate(dm.requestPaymentUpdate, { args: [{ actor: actors.caseworker, payee: undertaker(bad), amountFen: 250_000 }] });
      await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver1) });
      await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver3) });
      // the bank accepts, then fails the transfer at settlement: payOnce finds it at its next look
      await tb.env.sleep('2 hours');
      const at = await waitForPaymentStep(h, 'payee_correction');
      expect(at.flags).toContain('bank_rejected');
      expect(at.assignee).toBe('county_caseworker@140599');
      expect(at.bank.lines).toEqual([expect.objectContaining({ line: 1, reference: `${h.workflowId}/1`, status: 'failed', code: 'account_rejected' })]);
      // the correction is screened like the request: never a recipient's own account
      await expectRefused(h.executeUpdate(dm.correctPayeeUpdate, { args: [{ actor: actors.countyCaseworker, payee: undertaker(r.accountNo), reason: '银行退回：账户有误' }] }), 'RuleViolation', 'R-DIR-01');
      await h.executeUpdate(dm.correctPayeeUpdate, { args: [{ actor: actors.countyCaseworker, payee: undertaker('6217000010000000303'), reason: '银行退回：承办人更正账号' }] });
      expect(await h.result()).toMatchObject({ status: 'paid', reference: `${h.workflowId}/2` });
      expect(await tb.bank.transfers(`${h.workflowId}/1`)).toEqual({ count: 1, duplicates: 0 });
      expect(await tb.bank.transfers(`${h.workflowId}/2`)).toEqual({ count: 1, duplicates: 0 });
      const ledger = await tb.db.prisma.payment.findMany({ where: { workflowId: h.workflowId }, orderBy: { reference: 'asc' } });
      expect(ledger.map((l) => [l.reference, l.status, l.accountNo])).toEqual([
        [`${h.workflowId}/1`, 'failed', bad],
        [`${h.workflowId}/2`, 'paid', '6217000010000000303'],
      ]);
      const v = await h.query(dm.directPaymentStateQuery);
      expect(v.flags).not.toContain('bank_rejected');
      expect(v.bank.lines.map((l) => [l.line, l.status])).toEqual([
        [1, 'failed'],
        [2, 'paid'],
      ]);
      const actions = (await tb.db.prisma.auditEvent.findMany({ where: { workflowId: h.workflowId }, orderBy: { seq: 'asc' } })).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['payment.failed', 'payment.escalated', 'payment.payee_corrected', 'payment.paid']));
    });
  });

  it('R-PAY-09: the bank\'s lookup answering 400 after a timeout-after-accept is no refusal: no new line, no payee_correction, one transfer', async () => {
    await tb.run(async (tq) => {
      const r = await tekunRecipient(tb.db.prisma);
      await tb.bank.faults({ timeoutAfterAccept: 1, timeoutMode: 'drop', refuseLookups: 1 });
      try {
        const h = await startDirectPayment(tb.env.client, funeralStart(r.person.idNumber, r.householdId), tq);
        await waitForPaymentStep(h, 'awaiting_payee');
        await h.executeUpdate(dm.requestPaymentUpdate, { args: [{ actor: actors.caseworker, payee: undertaker('6217000010000000707'), amountFen: 210_000 }] });
        await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver1) });
        await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver3) });
        expect(await h.result()).toMatchObject({ status: 'paid', reference: `${h.workflowId}/1` });
        const v = await h.query(dm.directPaymentStateQuery);
        expect(v.bank.lines.map((l) => [l.line, l.status])).toEqual([[1, 'paid']]);
        expect(v.flags).not.toContain('bank_rejected');
        expect(await tb.bank.transfers(`${h.workflowId}/1`)).toEqual({ count: 1, duplicates: 0 });
        expect(await tb.bank.transfers(`${h.workflowId}/2`)).toEqual({ count: 0, duplicates: 0 });
      } finally {
        await tb.bank.faults({ timeoutAfterAccept: 0, refuseLookups: 0 });
      }
    });
  });

  it('R-PAY-09: a bank that does not answer for a day is asked again after a backoff, on the same line and reference; once it is back the payment is made once', async () => {
    await tb.run(async (tq) => {
      const r = await tekunRecipient(tb.db.prisma);
      await tb.bank.faults({ down: true });
      try {
        const h = await startDirectPayment(tb.env.client, funeralStart(r.person.idNumber, r.householdId), tq);
        await waitForPaymentStep(h, 'awaiting_payee');
        await h.executeUpdate(dm.requestPaymentUpdate, { args: [{ actor: actors.caseworker, payee: undertaker('6217000010000000606'), amountFen: 200_000 }] });
        await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver1) });
        await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver3) });
        await tb.env.sleep('25 hours');
        let v = await h.query(dm.directPaymentStateQuery);
        for (let i = 0; i < 100 && v.bank.lines[0]?.retries !== 1; i++) v = await h.query(dm.directPaymentStateQuery);
        expect(v.step).toBe('paying');
        expect(v.bank.lines).toEqual([expect.objectContaining({ line: 1, retries: 1 })]);
        await tb.bank.faults({ down: false });
        expect(await h.result()).toMatchObject({ status: 'paid', reference: `${h.workflowId}/1` });
        expect(await tb.bank.transfers(`${h.workflowId}/1`)).toEqual({ count: 1, duplicates: 0 });
        const actions = (await tb.db.prisma.auditEvent.findMany({ where: { workflowId: h.workflowId } })).map((e) => e.action);
        expect(actions.filter((a) => a === 'payment.retry')).toHaveLength(1);
      } finally {
        await tb.bank.faults({ down: false });
      }
    });
  });

  it('R-PAY-09: a final error while paying (the ledger holds another order under the reference: PaymentConflict) is escalated to the county’s caseworker at once (flag, assignee, audited), not retried for ever; no new line, no transfer', async () => {
    await tb.run(async (tq) => {
      const r = await tekunRecipient(tb.db.prisma);
      const h = await startDirectPayment(tb.env.client, funeralStart(r.person.idNumber, r.householdId), tq);
      await waitForPaymentStep(h, 'awaiting_payee');
      await h.executeUpdate(dm.requestPaymentUpdate, { args: [{ actor: actors.caseworker, payee: undertaker('6217000010000000808'), amountFen: 220_000 }] });
      await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver1) });
      const reference = `${h.workflowId}/1`;
      await createPaymentLedgerActivities(tb.db.prisma).preparePayment({ reference, purpose: 'funeral', workflowId: h.workflowId, businessId: 'other', jurisdiction: r.householdId, payee: undertaker('6217000010000000808'), amountFen: 1, memo: 'x' });
      await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver3) });
      const at = await waitForPaymentStep(h, 'payment_escalated');
      expect(at.flags).toContain('payment_stuck');
      expect(at.assignee).toBe('county_caseworker@140599');
      expect(at.bank.lines).toEqual([expect.objectContaining({ line: 1, reference, retries: 0 })]);
      expect(await tb.bank.transfers(reference)).toEqual({ count: 0, duplicates: 0 });
      // the projection's audit is written when the flow rests: ask until it is there
      let audit = await tb.db.prisma.auditEvent.findMany({ where: { workflowId: h.workflowId, action: 'payment.escalated' } });
      for (let i = 0; i < 100 && !audit.length; i++) {
        await new Promise((res) => setTimeout(res, 50));
        audit = await tb.db.prisma.auditEvent.findMany({ where: { workflowId: h.workflowId, action: 'payment.escalated' } });
      }
      expect(audit.map((e) => (e.data as { code: string }).code)).toEqual(['PaymentConflict']);
      await h.terminate('test over');
    });
  });

  it('R-PAY-09: a transfer the bank keeps accepted is asked about at most 7 calls of a day (history bounded), then escalated to the county’s caseworker; a resumption pays the same line again', async () => {
    await tb.run(async (tq) => {
      const r = await tekunRecipient(tb.db.prisma);
      await tb.bank.settleAfter(100 * 86_400_000);
      try {
        const h = await startDirectPayment(tb.env.client, funeralStart(r.person.idNumber, r.householdId), tq);
        await waitForPaymentStep(h, 'awaiting_payee');
        await h.executeUpdate(dm.requestPaymentUpdate, { args: [{ actor: actors.caseworker, payee: undertaker('6217000010000000909'), amountFen: 230_000 }] });
        await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver1) });
        await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver3) });
        await tb.env.sleep('11 days');
        const at = await waitForPaymentStep(h, 'payment_escalated', 60_000);
        expect(at.flags).toContain('payment_stuck');
        expect(at.assignee).toBe('county_caseworker@140599');
        expect(at.bank.lines).toEqual([expect.objectContaining({ line: 1, status: 'accepted', retries: 7 })]);
        // bounded: 7 calls of payOnce, each at most a day of hourly polls
        const history = await h.fetchHistory();
        const polls = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'bankTransferStatus').length;
        expect(polls).toBeLessThanOrEqual(7 * 24);
        // the escalated payment waits, without timers, for a person
        await tb.env.sleep('2 days');
        expect((await h.query(dm.directPaymentStateQuery)).step).toBe('payment_escalated');
        await h.executeUpdate(dm.resumePaymentUpdate, { args: [{ actor: actors.countyCaseworker, reason: '已与银行核实，重新查询' }] });
        // resumed on the same line and reference (the sandbox's clock is the wall clock: the transfer stays accepted here)
        const v = await waitForPaymentStep(h, 'paying');
        expect(v.flags).not.toContain('payment_stuck');
        expect(v.bank.lines).toEqual([expect.objectContaining({ line: 1, reference: `${h.workflowId}/1`, retries: 0 })]);
        expect(v.bank.resumptions).toEqual([expect.objectContaining({ by: actors.countyCaseworker.id })]);
        expect(await tb.bank.transfers(`${h.workflowId}/1`)).toEqual({ count: 1, duplicates: 0 });
        const actions = (await tb.db.prisma.auditEvent.findMany({ where: { workflowId: h.workflowId } })).map((e) => e.action);
        expect(actions.filter((a) => a === 'payment.retry')).toHaveLength(6); // the seventh call escalates instead
        expect(actions).toEqual(expect.arrayContaining(['payment.escalated', 'payment.resumed']));
        await h.terminate('test over');
      } finally {
        await tb.bank.settleAfter(0);
      }
    });
  });
});
