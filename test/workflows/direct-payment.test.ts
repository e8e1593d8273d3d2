// R-DIR-01, R-DIR-02: the direct-payment workflow's refusals before any money moves: a medical amount above
// the residual (the workflow's own validator, whatever the API checked), a payee account that is a
// recipient's or a payee that is staff, a recused approver (R-APP-09), and a start nobody signed or one
// whose input was changed after signing (API1). Real Temporal (time-skipping), real PostgreSQL.
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { actorSignerFromEnv } from '../../api/actor-signing';
import { UNSIGNED_START } from '../../workflows/kit/start-signature';
import { directPaymentWorkflowId } from '../../workflows/direct-payment/start-input';
import * as dm from '../../workflows/direct-payment/messages';
import { expectRefused } from '../helpers/application';
import { actors } from '../helpers/people';
import { approve, funeralStart, hospital, medicalStart, startDirectPayment, tekunRecipient, undertaker, waitForPaymentStep } from '../helpers/direct-payment';
import { trackWorkflow, workflowTestbed } from '../helpers/temporal';

const tb = workflowTestbed();

const medical = (amountFen: number, payee = hospital()): [dm.PaymentRequestInput] => [
  { actor: actors.caseworker, payee, amountFen, totalCostFen: 1_000_000, insurancePaidFen: 600_000, medicalAssistancePaidFen: 250_000 },
];

describe('direct payments: the request (R-DIR-01, R-DIR-02)', () => {
  it('R-DIR-02: the workflow validator refuses a medical amount above the residual after insurance and medical assistance, and takes the residual itself', async () => {
    await tb.run(async (tq) => {
      const r = await tekunRecipient(tb.db.prisma);
      const h = await startDirectPayment(tb.env.client, medicalStart(r.person.idNumber, r.householdId), tq);
      await waitForPaymentStep(h, 'awaiting_payee');
      // 10,000 − 6,000 − 2,500 = 1,500 yuan left to the person
      const message = await expectRefused(h.executeUpdate(dm.requestPaymentUpdate, { args: medical(150_001) }), 'RuleViolation', 'R-DIR-02');
      expect(message).toMatch(/residual 150000 fen/);
      expect((await h.query(dm.directPaymentStateQuery)).step).toBe('awaiting_payee');
      await expectRefused(h.executeUpdate(dm.requestPaymentUpdate, { args: medical(100_000, { ...hospital(), type: 'undertaker' }) }), 'RuleViolation', 'R-DIR-02');
      await h.executeUpdate(dm.requestPaymentUpdate, { args: medical(150_000) });
      const v = await waitForPaymentStep(h, 'county_decision');
      expect(v.amountFen).toBe(150_000);
      expect(v.medical).toMatchObject({ residualFen: 150_000 });
    });
  });

  it('R-DIR-01: a funeral payment above the policy’s funeral subsidy standard is refused; a hospital is no funeral payee', async () => {
    await tb.run(async (tq) => {
      const r = await tekunRecipient(tb.db.prisma);
      const h = await startDirectPayment(tb.env.client, funeralStart(r.person.idNumber, r.householdId), tq);
      await waitForPaymentStep(h, 'awaiting_payee');
      const over = await expectRefused(h.executeUpdate(dm.requestPaymentUpdate, { args: [{ actor: actors.caseworker, payee: undertaker(), amountFen: 300_001 }] }), 'RuleViolation', 'R-DIR-01');
      expect(over).toMatch(/funeral subsidy standard 300000 fen/);
      await expectRefused(h.executeUpdate(dm.requestPaymentUpdate, { args: [{ actor: actors.caseworker, payee: hospital(), amountFen: 200_000 }] }), 'RuleViolation', 'R-DIR-01');
    });
  });

  it('R-DIR-01: never to a person’s account nor to staff: a payee account registered to a recipient, or a payee named as staff, is refused', async () => {
    await tb.run(async (tq) => {
      const r = await tekunRecipient(tb.db.prisma);
      const other = await tekunRecipient(tb.db.prisma);
      const h = await startDirectPayment(tb.env.client, funeralStart(r.person.idNumber, r.householdId), tq);
      await waitForPaymentStep(h, 'awaiting_payee');
      const own = await expectRefused(h.executeUpdate(dm.requestPaymentUpdate, { args: [{ actor: actors.caseworker, payee: undertaker(r.accountNo), amountFen: 200_000 }] }), 'RuleViolation', 'R-DIR-01');
      expect(own).toMatch(/recipient's own/);
      await expectRefused(h.executeUpdate(dm.requestPaymentUpdate, { args: [{ actor: actors.caseworker, payee: undertaker(other.accountNo), amountFen: 200_000 }] }), 'RuleViolation', 'R-DIR-01');
      const staff = await expectRefused(h.executeUpdate(dm.requestPaymentUpdate, { args: [{ actor: actors.caseworker, payee: { ...undertaker(), name: '张敏' }, amountFen: 200_000 }] }), 'RuleViolation', 'R-DIR-01');
      expect(staff).toMatch(/member of staff/);
      expect(staff).not.toMatch(/zhangmin/); // R-SEC-01: the screen spans every jurisdiction, so no staff id
      const v = await h.query(dm.directPaymentStateQuery);
      expect(v.step).toBe('awaiting_payee');
      expect(v.payee).toBeNull();
    });
  });

  it('R-DIR-01, R-DTH-04: a funeral not started by a death stop, or for someone not a TEKUN recipient, is closed at once, nothing requested', async () => {
    await tb.run(async (tq) => {
      const r = await tekunRecipient(tb.db.prisma);
      const noDeath = await startDirectPayment(tb.env.client, { ...medicalStart(r.person.idNumber, r.householdId), kind: 'funeral' }, tq);
      expect(await noDeath.result()).toMatchObject({ status: 'closed' });
      const dibao = await tekunRecipient(tb.db.prisma, { programme: 'DIBAO' });
      const notTekun = await startDirectPayment(tb.env.client, medicalStart(dibao.person.idNumber, dibao.householdId), tq);
      expect(await notTekun.result()).toMatchObject({ status: 'closed' });
      const row = await tb.db.prisma.directPayment.findUniqueOrThrow({ where: { workflowId: noDeath.workflowId } });
      expect(row).toMatchObject({ status: 'closed', funeralPerson: null });
      expect((row.view as { closedReason: string }).closedReason).toMatch(/no death is recorded/);
    });
  });
});

describe('direct payments: the decision (R-DIR-01, R-APP-11, R-APP-09)', () => {
  it('R-APP-09: an approver who is a near relative of the person may not vote; two others decide (R-APP-11)', async () => {
    await tb.run(async (tq) => {
      const r = await tekunRecipient(tb.db.prisma);
      await tb.db.prisma.staffRelative.create({ data: { staffId: 'liuyang', relativeIdNumber: r.person.idNumber, relativeName: r.person.name, relation: 'uncle', registeredOn: new Date('2025-01-01T00:00:00Z') } });
      const h = await startDirectPayment(tb.env.client, medicalStart(r.person.idNumber, r.householdId), tq);
      await waitForPaymentStep(h, 'awaiting_payee');
      await h.executeUpdate(dm.requestPaymentUpdate, { args: medical(120_000) });
      await waitForPaymentStep(h, 'county_decision');
      await expectRefused(h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver2) }), 'Forbidden', 'R-APP-09');
      // a township caseworker is not the deciding body (R-APP-11)
      await expectRefused(h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.caseworker) }), 'Forbidden', 'R-APP-11');
      await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver1, 'reject') });
      let v = await h.query(dm.directPaymentStateQuery);
      expect(v.decisions.outcome).toBeNull();
      await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver3, 'reject') });
      expect(await h.result()).toMatchObject({ status: 'rejected' });
      v = await h.query(dm.directPaymentStateQuery);
      expect(v.decisions.outcome).toMatchObject({ decision: 'reject', approvers: ['chenjing', 'sunli'] });
      expect(v.recusedStaff).toEqual(['liuyang']);
    });
  });
});

describe('direct payments: the start (API1)', () => {

  async function expectUnsigned(workflowId: string, message: RegExp): Promise<void> {
    const failure = await tb.env.client.workflow.getHandle(workflowId).result().then(() => undefined, (err: unknown) => err);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe(UNSIGNED_START);
    expect(cause.message).toMatch(message);
    const { events } = await tb.env.client.workflow.getHandle(workflowId).fetchHistory();
    expect((events ?? []).filter((e) => e.activityTaskScheduledEventAttributes || e.timerStartedEventAttributes)).toEqual([]);
    expect(await tb.db.prisma.directPayment.count({ where: { workflowId } })).toBe(0);
    expect(await tb.db.prisma.auditEvent.count({ where: { workflowId } })).toBe(0);
  }

  it('API1, R-DIR-01: an unsigned start, or a signed one whose input was changed (another person), fails with UnsignedStart, nothing done', async () => {
    await tb.run(async (tq) => {
      const r = await tekunRecipient(tb.db.prisma);
      const other = await tekunRecipient(tb.db.prisma);
      const unsigned = funeralStart(r.person.idNumber, r.householdId);
      const id1 = directPaymentWorkflowId(unsigned.paymentId);
      await tb.unsignedClient().workflow.start('directPayment', { workflowId: id1, taskQueue: tq, args: [unsigned] });
      trackWorkflow(tq, id1);
      await expectUnsigned(id1, /not signed/);

      const genuine = funeralStart(r.person.idNumber, r.householdId);
      const id2 = directPaymentWorkflowId(genuine.paymentId);
      const signed = actorSignerFromEnv().signStart({ workflowType: 'directPayment', workflowId: id2 }, genuine);
      await tb.unsignedClient().workflow.start('directPayment', { workflowId: id2, taskQueue: tq, args: [{ ...signed, personIdNumber: other.person.idNumber }] });
      trackWorkflow(tq, id2);
      await expectUnsigned(id2, /does not match/);
    });
  });
});
