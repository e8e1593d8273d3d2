// The death stop (死亡停发, R-DTH-01…04) on real Temporal (time-skipping, from 2026-03-02) and real PostgreSQL:
// one stop per person however many sources report the death, the hold from the month after death, a late
// report overdue at once, the recovery (追回) of months paid after death, a larger household recomputed and
// confirmed, a TEKUN death's funeral payment started once, an unsigned start refused.
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createDeathStopStartActivities } from '../../activities/death-stop/system-starts';
import { UNSIGNED_START } from '../../workflows/kit/start-signature';
import { confirmAmountUpdate, deathStopStateQuery } from '../../workflows/death-stop/messages';
import { directPaymentWorkflowId, funeralPaymentId } from '../../workflows/direct-payment/start-input';
import { workflowTestbed, trackWorkflow } from '../helpers/temporal';
import { waitForPaymentStep } from '../helpers/direct-payment';
import { actors } from '../helpers/people';
import { expectRefused, startApplication, waitForStep } from '../helpers/application';
import { poorFamily } from '../helpers/people';
import { stateQuery } from '../../workflows/application/messages';
import { rosterHousehold, startReview, waitForReviewStep } from '../helpers/review';
import { reviewStateQuery } from '../../workflows/review/messages';
import { reportDeaths, singlePerson, waitForDeathStep, type DeathStopHandle } from '../helpers/death-stop';

const tb = workflowTestbed();
const handle = (id: string): DeathStopHandle => tb.env.client.workflow.getHandle(id);

/**
 * Polls until the run has completed, then reads its state. Not `result()`: awaiting a result lets the
 * time-skipping server skip, and with nothing left to wait for it skips years (the other tests' dates move).
 */
async function completed(h: DeathStopHandle) {
  for (let i = 0; i < 400; i++) {
    if ((await h.describe()).status.name === 'COMPLETED') return h.query(deathStopStateQuery);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${h.workflowId} did not complete`);
}

describe('death stop workflow', () => {
  it('R-DTH-02, R-DTH-03: a death reported 4 months late is overdue from its first moment and escalated; the single-person household is stopped from the month after death and the 4 months paid since are flagged for recovery', async () => {
    const { householdId, person } = await singlePerson(tb.db.prisma, { monthlyFen: 60000 });
    await tb.run(async (tq) => {
      const { matched } = await reportDeaths(tb.db.prisma, tb.env.client, tq, 'civil_registry', [{ idNumber: person.idNumber, dateOfDeath: '2025-11-01' }]);
      expect(matched).toHaveLength(1);
      const h = handle(matched[0].workflowId);
      expect(h.workflowId).not.toContain(person.idNumber); // no ID number in a workflow id
      expect(await completed(h)).toMatchObject({ status: 'closed' });
      const v = await h.query(deathStopStateQuery);
      // R-DTH-02: 2025-11-01 + deathReviewMonths (3) = 2026-02-01, already past on 2026-03-02
      expect(v.deadline).toBe('2026-02-01');
      expect(v.paymentsHeld).toMatchObject({ fromMonth: '2025-12', householdStopped: true, monthlyFenBefore: 60000 });
      // paid every month while active; the hold (March) takes effect in April: Dec, Jan, Feb, Mar were paid
      expect(v.recoveryDue).toEqual({ months: ['2025-12', '2026-01', '2026-02', '2026-03'], perMonthFen: 60000, totalFen: 240000, final: true });
      expect(v.flags).toContain('recovery_due');
      const row = await tb.db.prisma.deadline.findUniqueOrThrow({ where: { workflowId_name: { workflowId: h.workflowId, name: 'death_review' } } });
      expect(row).toMatchObject({ kind: 'death_stop', escalatedTo: 'supervisor@1405' });
      expect(row.overdueSince).not.toBeNull();
      const actions = (await tb.db.prisma.auditEvent.findMany({ where: { workflowId: h.workflowId }, orderBy: { seq: 'asc' } })).map((e) => e.action);
      // overdue before anything was held: from its first moment
      expect(actions.indexOf('deadline.overdue')).toBeGreaterThanOrEqual(0);
      expect(actions.indexOf('deadline.overdue')).toBeLessThan(actions.indexOf('death_stop.payments_held'));
      expect(actions).toContain('deadline.escalated');
      expect(await tb.db.prisma.household.findUniqueOrThrow({ where: { householdId } })).toMatchObject({ status: 'stopped' });
      expect(await tb.db.prisma.rosterChange.findUniqueOrThrow({ where: { reviewId: h.workflowId } })).toMatchObject({ outcome: 'stop', monthlyFenBefore: 60000, monthlyFenAfter: 0, fromMonth: '2025-12' });
      expect(await tb.db.prisma.deathStop.findUniqueOrThrow({ where: { workflowId: h.workflowId } })).toMatchObject({ status: 'closed', step: 'closed', recoveryFen: 240000 });
    });
  });

  it('R-DTH-02, R-DTH-03, R-APP-05: a larger household is verified again, recomputed by the accounting for the remaining members and, once a county caseworker confirms that amount, changed from the month after death', async () => {
    const { householdId, members } = await rosterHousehold(tb.db.prisma, { monthlyFen: 180000 });
    await tb.run(async (tq) => {
      const { matched } = await reportDeaths(tb.db.prisma, tb.env.client, tq, 'funeral', [{ idNumber: members[1].idNumber, dateOfDeath: '2026-02-10' }]);
      const h = handle(matched[0].workflowId);
      const at = await waitForDeathStep(h, 'confirming');
      expect(at.verification.status).toBe('completed');
      expect(at.recomputed).toMatchObject({ monthlyFen: 120000 }); // 2 × 60000, no income
      expect(at.paymentsHeld).toMatchObject({ fromMonth: '2026-03', householdStopped: false });
      expect(at.deadline).toBe('2026-05-10');
      const deceased = await tb.db.prisma.householdMember.findUniqueOrThrow({ where: { householdId_idNumber: { householdId, idNumber: members[1].idNumber } } });
      expect(deceased.active).toBe(false); // held at once
      // the amount is the accounting's, never another; a township caseworker does not confirm
      await expectRefused(h.executeUpdate(confirmAmountUpdate, { args: [{ actor: actors.countyCaseworker, monthlyFen: 150000, reason: '核减' }] }), 'RuleViolation', 'R-APP-05');
      await expectRefused(h.executeUpdate(confirmAmountUpdate, { args: [{ actor: actors.caseworker, monthlyFen: 120000, reason: '核减' }] }), 'Forbidden');
      await h.executeUpdate(confirmAmountUpdate, { args: [{ actor: actors.countyCaseworker, monthlyFen: 120000, reason: '配偶死亡，重新核算' }] });
      expect(await completed(h)).toMatchObject({ status: 'adjusted', roster: { monthlyFen: 120000 } });
      const v = await h.query(deathStopStateQuery);
      // March was paid at 180000 where 120000 was due
      expect(v.recoveryDue).toEqual({ months: ['2026-03'], perMonthFen: 60000, totalFen: 60000, final: true });
      expect(await tb.db.prisma.household.findUniqueOrThrow({ where: { householdId } })).toMatchObject({ status: 'active', monthlyFen: 120000 });
      expect(await tb.db.prisma.rosterChange.findUniqueOrThrow({ where: { reviewId: h.workflowId } })).toMatchObject({ outcome: 'decrease', monthlyFenBefore: 180000, monthlyFenAfter: 120000, fromMonth: '2026-03' });
      const row = await tb.db.prisma.deadline.findUniqueOrThrow({ where: { workflowId_name: { workflowId: h.workflowId, name: 'death_review' } } });
      expect(row.overdueSince).toBeNull();
      expect(row.closedAt).not.toBeNull();
    });
  });

  it('R-DTH-01: the same death from two sources, and posted again, starts one workflow; the second source is added to its sources and audited', async () => {
    const { members } = await rosterHousehold(tb.db.prisma);
    await tb.run(async (tq) => {
      const record = { idNumber: members[0].idNumber, dateOfDeath: '2026-02-20' };
      const first = await reportDeaths(tb.db.prisma, tb.env.client, tq, 'civil_registry', [record, record]);
      expect(first.matched.map((m) => m.workflowId)).toEqual([first.matched[0].workflowId, first.matched[0].workflowId]);
      const h = handle(first.matched[0].workflowId);
      const { runId } = await h.describe();
      const second = await reportDeaths(tb.db.prisma, tb.env.client, tq, 'police', [record]);
      const again = await reportDeaths(tb.db.prisma, tb.env.client, tq, 'civil_registry', [record]);
      expect(second.matched[0].workflowId).toBe(h.workflowId);
      expect(again.matched[0].workflowId).toBe(h.workflowId);
      expect((await h.describe()).runId).toBe(runId);
      expect(await tb.db.prisma.deathStop.count({ where: { idNumber: record.idNumber } })).toBe(1);
      // the intake answers once the stop accepted a record; it applies them once at rest
      const v = await waitForDeathStep(h, 'confirming');
      expect(v.sources.map((x) => x.source)).toEqual(['civil_registry', 'police']);
      const recorded = await tb.db.prisma.auditEvent.findMany({ where: { workflowId: h.workflowId, action: 'death_stop.source_recorded' } });
      expect(recorded.map((e) => (e.data as { source: string }).source).sort()).toEqual(['civil_registry', 'police']);
    });
  });

  it('R-DTH-03: an open review of the household is told of the death (a signed notice in its view and audit trail), once', async () => {
    const { householdId, members } = await rosterHousehold(tb.db.prisma);
    await tb.run(async (tq) => {
      const review = await startReview(tb.env.client, householdId, tq);
      await waitForReviewStep(review, 'investigating');
      const { matched } = await reportDeaths(tb.db.prisma, tb.env.client, tq, 'police', [{ idNumber: members[2].idNumber, dateOfDeath: '2026-02-28' }]);
      const h = handle(matched[0].workflowId);
      const at = await waitForDeathStep(h, 'confirming');
      expect(at.noticed).toEqual([{ workflowId: review.workflowId, kind: 'review', told: true }]);
      const rv = await review.query(reviewStateQuery);
      expect(rv.notices).toEqual([expect.objectContaining({ kind: 'death', from: h.workflowId, data: { dateOfDeath: '2026-02-28' } })]);
      expect(rv.step).toBe('investigating'); // told, nothing else changed: its caseworker acts on it
      const audit = await tb.db.prisma.auditEvent.findMany({ where: { workflowId: review.workflowId, action: 'case.notice' } });
      expect(audit).toHaveLength(1);
      // a second source does not tell it again
      await reportDeaths(tb.db.prisma, tb.env.client, tq, 'funeral', [{ idNumber: members[2].idNumber, dateOfDeath: '2026-02-28' }]);
      expect((await review.query(reviewStateQuery)).notices).toHaveLength(1);
    });
  });

  it('R-DTH-03: the person’s open application is told of the death too (a signed notice in its view and audit trail), and stays where it was', async () => {
    const { householdId, members } = await rosterHousehold(tb.db.prisma);
    const person = { ...members[1], relation: 'self' as const };
    // an uncovered member of the household may apply in their own right (R-APP-07): the roster still matches the death
    await tb.db.prisma.householdMember.update({ where: { householdId_idNumber: { householdId, idNumber: person.idNumber } }, data: { covered: false } });
    await tb.run(async (tq) => {
      const app = (await startApplication(tb.env.client, poorFamily({ household: { residence: 'rural', members: [person] }, account: { bank: '中国农业银行沁水支行', accountNo: '6228480000000000002', holderIdNumber: person.idNumber } }), tq)).handle;
      await waitForStep(app, 'investigating');
      const { matched } = await reportDeaths(tb.db.prisma, tb.env.client, tq, 'civil_registry', [{ idNumber: person.idNumber, dateOfDeath: '2026-02-26' }]);
      const h = handle(matched[0].workflowId);
      const at = await waitForDeathStep(h, 'confirming');
      expect(at.noticed).toEqual([{ workflowId: app.workflowId, kind: 'application', told: true }]);
      const v = await app.query(stateQuery);
      expect(v.notices).toEqual([expect.objectContaining({ kind: 'death', from: h.workflowId, data: { dateOfDeath: '2026-02-26' } })]);
      expect(v.step).toBe('investigating');
      expect(await tb.db.prisma.auditEvent.count({ where: { workflowId: app.workflowId, action: 'case.notice' } })).toBe(1);
    });
  });

  it('R-DTH-04: a TEKUN recipient’s death makes the signed start of the funeral direct payment once, which opens and waits for its payee; a second run of the activity starts nothing new', async () => {
    const { person } = await singlePerson(tb.db.prisma, { programme: 'TEKUN', birthDate: '1941-04-05', monthlyFen: 90000 });
    await tb.run(async (tq) => {
      const { matched } = await reportDeaths(tb.db.prisma, tb.env.client, tq, 'funeral', [{ idNumber: person.idNumber, dateOfDeath: '2026-02-25' }]);
      const h = handle(matched[0].workflowId);
      const deathStopId = (await h.query(deathStopStateQuery)).deathStopId;
      const paymentWorkflowId = directPaymentWorkflowId(funeralPaymentId(deathStopId));
      expect(await completed(h)).toMatchObject({ status: 'closed' });
      const v = await h.query(deathStopStateQuery);
      expect(v.funeralPayment).toEqual({ workflowId: paymentWorkflowId, started: true });
      const payment = await tb.env.client.workflow.getHandle(paymentWorkflowId).describe();
      expect(payment.type).toBe('directPayment');
      // the payment runs in the same bundle now (issue 23 merged): it accepted the signed start and the
      // recorded death, and waits for the caseworker's payee (no timer: nothing to terminate after the test)
      const opened = await waitForPaymentStep(tb.env.client.workflow.getHandle(paymentWorkflowId), 'awaiting_payee');
      expect(opened).toMatchObject({ kind: 'funeral', personIdNumber: person.idNumber });
      const starts = await tb.db.prisma.auditEvent.count({ where: { workflowId: h.workflowId, action: 'death_stop.funeral_payment' } });
      expect(starts).toBe(1);
      // the activity again (a retry): the same payment, no second start
      const activities = createDeathStopStartActivities(tb.db.prisma, () => tb.env.client);
      const retried = await new MockActivityEnvironment({ taskQueue: tq }).run(activities.startFuneralPayment, { deathStopId, deathStopWorkflowId: h.workflowId, idNumber: person.idNumber, householdId: 'x', villageCode: v.villageCode, dateOfDeath: '2026-02-25' });
      expect(retried).toEqual({ workflowId: paymentWorkflowId, started: false });
      expect((await tb.env.client.workflow.getHandle(paymentWorkflowId).describe()).runId).toBe(payment.runId);
    });
  });

  it('API1, R-DTH-01: an unsigned or forged start of a death stop fails with UnsignedStart, nothing done (the member still active, no audit, no deadline)', async () => {
    const { householdId, person } = await singlePerson(tb.db.prisma);
    const direct = tb.unsignedClient();
    await tb.run(async (tq) => {
      const input = { deathStopId: `DS-forged-${Date.now()}`, idNumber: person.idNumber, householdId, villageCode: '140599100201', countyCode: '140599', dateOfDeath: '2026-02-01' };
      const forgedAuth = { keyId: 'unknown', issuedAt: Date.now(), signature: '00' };
      for (const [n, args] of [[1, [input]], [2, [{ ...input, auth: forgedAuth }]]] as const) {
        const workflowId = `death-stop-${input.deathStopId}-${n}`;
        const h = await direct.workflow.start('deathStop', { workflowId, taskQueue: tq, args: [...args] });
        trackWorkflow(tq, workflowId);
        const failure = (await h.result().catch((err: unknown) => err)) as WorkflowFailedError;
        expect(failure).toBeInstanceOf(WorkflowFailedError);
        expect((failure.cause as ApplicationFailure).type).toBe(UNSIGNED_START);
        const { events } = await h.fetchHistory();
        expect((events ?? []).filter((e) => e.activityTaskScheduledEventAttributes || e.timerStartedEventAttributes)).toEqual([]);
        expect(await tb.db.prisma.auditEvent.count({ where: { workflowId } })).toBe(0);
        expect(await tb.db.prisma.deadline.count({ where: { workflowId } })).toBe(0);
      }
      expect((await tb.db.prisma.householdMember.findFirstOrThrow({ where: { householdId } })).active).toBe(true);
      expect(await tb.db.prisma.household.findUniqueOrThrow({ where: { householdId } })).toMatchObject({ status: 'active' });
    });
  });
});
