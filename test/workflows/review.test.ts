// The review workflow (定期复核): R-REV-02 (verification again, the outcome recorded), R-REV-04 (a major
// change processed within majorChangeMonths), R-REV-06 (overdue and escalated), on the application's
// shared steps: recusal (R-APP-09), investigators (R-APP-04), collective decision (R-APP-11), next month (R-APP-14).
import { workflowTestbed } from '../helpers/temporal';
import { actors } from '../helpers/people';
import { expectRefused } from '../helpers/application';
import { proposal, reviewInvestigation, rosterHousehold, send, startReview, vote, waitForReviewStep } from '../helpers/review';
import * as rm from '../../workflows/review/messages';
import { addMonths, nextMonth } from '../../workflows/rules/dates';

const tb = workflowTestbed();
const HOUR = 3_600_000;

/** Polls `read` until `ok` (activities run in real time: the projection follows the workflow shortly). */
async function until<T>(read: () => Promise<T>, ok: (x: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const x = await read();
    if (ok(x) || Date.now() - started > timeoutMs) return x;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('review workflow', () => {
  it('R-REV-02: a review whose verification finds nothing new continues at the same amount; one approver is not enough (R-APP-11)', async () => {
    const { householdId } = await rosterHousehold(tb.db.prisma);
    await tb.run(async (tq) => {
      const h = await startReview(tb.env.client, householdId, tq);
      const at = await waitForReviewStep(h, 'investigating');
      expect(at.verification.status).toBe('completed');
      expect(at.majorChange).toBeNull();
      expect((await send(h, rm.reviewInvestigationUpdate, [reviewInvestigation(at.openedOn)])).assessment).toMatchObject({ outcome: 'continue', monthlyFen: 180000 });
      // R-REV-02: the outcome is the accounting's, never another
      await expectRefused(h.executeUpdate(rm.outcomeUpdate, { args: proposal('decrease', 150000) }), 'RuleViolation', 'R-REV-02');
      expect((await send(h, rm.outcomeUpdate, proposal('continue'))).step).toBe('county_decision');
      const one = await send(h, rm.outcomeUpdate, vote(actors.approver1, 'continue'));
      expect(one.step).toBe('county_decision');
      await expectRefused(h.executeUpdate(rm.outcomeUpdate, { args: vote(actors.approver1, 'continue') }), 'WrongStep');
      await send(h, rm.outcomeUpdate, vote(actors.approver3, 'continue'));
      const result = await h.result();
      expect(result).toMatchObject({ status: 'decided', outcome: 'continue', monthlyFen: 180000 });
      const row = await tb.db.prisma.household.findUniqueOrThrow({ where: { householdId } });
      expect(row).toMatchObject({ status: 'active', monthlyFen: 180000 });
      // R-REV-01: the next review by the household's class (semiannual) from the decision
      expect(row.nextReviewOn.toISOString().slice(0, 10) > '2026-08-01').toBe(true);
      const review = await tb.db.prisma.review.findUniqueOrThrow({ where: { workflowId: h.workflowId } });
      expect(review).toMatchObject({ step: 'decided', status: 'decided', outcome: 'continue', householdId });
    });
  });

  it('R-REV-02, R-REV-04, R-APP-14: verification finds wages: a major change; the amount decreases to the accounting figure from next month', async () => {
    const { householdId, members } = await rosterHousehold(tb.db.prisma);
    await tb.agency.setPerson(members[0].idNumber, { incomes: [{ source: 'wages', monthlyFen: 80000, payer: '某建材公司' }] });
    await tb.run(async (tq) => {
      const h = await startReview(tb.env.client, householdId, tq);
      const at = await waitForReviewStep(h, 'investigating');
      expect(at.flags).toContain('major_change');
      expect(at.majorChange).toMatchObject({ by: 'verification' });
      const deadline = await until(() => tb.db.prisma.deadline.findUnique({ where: { workflowId_name: { workflowId: h.workflowId, name: 'major_change' } } }), (d) => d !== null);
      expect(deadline!.kind).toBe('review');
      const after = await send(h, rm.reviewInvestigationUpdate, [reviewInvestigation(at.openedOn)]);
      expect(after.assessment).toMatchObject({ outcome: 'decrease', monthlyFen: 100000 }); // 3 × 60000 − 80000 verified wages
      await send(h, rm.outcomeUpdate, proposal('decrease', 100000));
      await expectRefused(h.executeUpdate(rm.outcomeUpdate, { args: vote(actors.approver1, 'decrease', 90000) }), 'RuleViolation', 'R-APP-05');
      await send(h, rm.outcomeUpdate, vote(actors.approver1, 'decrease', 100000));
      await send(h, rm.outcomeUpdate, vote(actors.approver3, 'decrease', 100000));
      const result = await h.result();
      const decidedOn = (await h.query(rm.reviewStateQuery)).decisions.outcome!.decidedOn;
      expect(result).toMatchObject({ outcome: 'decrease', monthlyFen: 100000, fromMonth: nextMonth(decidedOn) });
      expect(await tb.db.prisma.household.findUniqueOrThrow({ where: { householdId } })).toMatchObject({ monthlyFen: 100000, status: 'active' });
      expect(await tb.db.prisma.rosterChange.findUniqueOrThrow({ where: { reviewId: result.reviewId } })).toMatchObject({ monthlyFenBefore: 180000, monthlyFenAfter: 100000, fromMonth: nextMonth(decidedOn) });
      const closed = await tb.db.prisma.deadline.findUniqueOrThrow({ where: { workflowId_name: { workflowId: h.workflowId, name: 'major_change' } } });
      expect(closed.closedAt).not.toBeNull();
    });
  });

  it('R-REV-02, R-APP-14: a household whose verified income is above the line is stopped, leaving the roster from next month', async () => {
    const { householdId, members } = await rosterHousehold(tb.db.prisma);
    await tb.agency.setPerson(members[0].idNumber, { incomes: [{ source: 'wages', monthlyFen: 200000, payer: '某建材公司' }] });
    await tb.run(async (tq) => {
      const h = await startReview(tb.env.client, householdId, tq);
      const at = await waitForReviewStep(h, 'investigating');
      expect((await send(h, rm.reviewInvestigationUpdate, [reviewInvestigation(at.openedOn)])).assessment!.outcome).toBe('stop');
      await expectRefused(h.executeUpdate(rm.outcomeUpdate, { args: proposal('stop', 1000) }), 'RuleViolation', 'R-REV-02');
      await send(h, rm.outcomeUpdate, proposal('stop'));
      await send(h, rm.outcomeUpdate, vote(actors.approver1, 'stop'));
      await send(h, rm.outcomeUpdate, vote(actors.approver3, 'stop'));
      const result = await h.result();
      expect(result.outcome).toBe('stop');
      expect(await tb.db.prisma.household.findUniqueOrThrow({ where: { householdId } })).toMatchObject({ status: 'stopped', monthlyFen: 180000 });
      const change = await tb.db.prisma.rosterChange.findUniqueOrThrow({ where: { reviewId: result.reviewId } });
      expect(change).toMatchObject({ outcome: 'stop', monthlyFenAfter: 0, fromMonth: result.fromMonth });
      expect(change.fromMonth).toBe(nextMonth(change.decidedOn.toISOString().slice(0, 10)));
    });
  });

  it('R-REV-04, R-REV-06: a major change not processed within majorChangeMonths (3) is overdue and escalated; the deadline row is the review kind', async () => {
    const { householdId, members } = await rosterHousehold(tb.db.prisma);
    await tb.agency.setPerson(members[0].idNumber, { incomes: [{ source: 'wages', monthlyFen: 80000, payer: '某建材公司' }] });
    await tb.run(async (tq) => {
      const h = await startReview(tb.env.client, householdId, tq);
      const at = await waitForReviewStep(h, 'investigating');
      const due = at.deadlines.find((d) => d.name === 'major_change')!;
      expect(due.dueOn).toBe(addMonths(at.majorChange!.foundOn, 3)); // 3 calendar months, the national majorChangeMonths
      expect(due.overdue).toBe(false);
      await tb.env.sleep(Date.parse(`${due.dueOn}T23:00:00+08:00`) - (await tb.env.currentTimeMs()));
      expect((await h.query(rm.reviewStateQuery)).flags).not.toContain('overdue');
      await tb.env.sleep(2 * HOUR);
      const late = await until(() => h.query(rm.reviewStateQuery), (v) => v.flags.includes('overdue'));
      expect(late.flags).toContain('overdue');
      expect(late.deadlines.find((d) => d.name === 'major_change')).toMatchObject({ overdue: true, escalatedTo: 'supervisor@140599' });
      const row = await until(() => tb.db.prisma.deadline.findUniqueOrThrow({ where: { workflowId_name: { workflowId: h.workflowId, name: 'major_change' } } }), (r) => r.overdueSince !== null);
      expect(row).toMatchObject({ kind: 'review', escalatedTo: 'supervisor@140599', caseId: at.reviewId });
      expect(row.overdueSince).not.toBeNull();
      expect((await tb.db.prisma.review.findUniqueOrThrow({ where: { reviewId: at.reviewId } })).overdue).toBe(true);
      const actions = (await tb.db.prisma.auditEvent.findMany({ where: { caseId: at.reviewId }, orderBy: { seq: 'asc' } })).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['review.major_change', 'deadline.overdue', 'deadline.escalated']));
    });
  });

  it('R-APP-09: staff related to the household may not investigate the review, nor be named as investigator', async () => {
    const { householdId, members } = await rosterHousehold(tb.db.prisma);
    await tb.db.prisma.staffRelative.create({ data: { staffId: 'zhangmin', relativeIdNumber: members[1].idNumber, relativeName: members[1].name, relation: 'sibling', registeredOn: new Date('2020-01-01T00:00:00Z') } });
    await tb.run(async (tq) => {
      const h = await startReview(tb.env.client, householdId, tq);
      const at = await waitForReviewStep(h, 'investigating');
      expect(at.recusedStaff).toContain('zhangmin');
      await expectRefused(h.executeUpdate(rm.reviewInvestigationUpdate, { args: [reviewInvestigation(at.openedOn)] }), 'Forbidden', 'R-APP-09');
      await expectRefused(
        h.executeUpdate(rm.reviewInvestigationUpdate, { args: [reviewInvestigation(at.openedOn, { actor: actors.caseworker2, investigators: ['liqiang', 'zhangmin'] })] }),
        'RuleViolation',
        'R-APP-09',
      );
    });
  });
});
