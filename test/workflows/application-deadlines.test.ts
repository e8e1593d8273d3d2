// R-APP-12 decision deadline in working days; R-APP-13 the rejection notice deadline.
import { TEST_DAY, workflowTestbed } from '../helpers/temporal';
import { actors, poorFamily } from '../helpers/people';
import { expectRefused, investigation, noticeStatement, review, startApplication, waitForStep, type AppHandle } from '../helpers/application';
import * as m from '../../workflows/application/messages';
import { bundledSchedule, WorkingDayCalendar } from '../../activities/calendar';
import { daysBetween } from '../../workflows/rules/dates';

const tb = workflowTestbed();
const calendar = new WorkingDayCalendar(bundledSchedule());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A deadline "due on D" passes when day D ends in China (UTC+8). */
const endOfDay = (date: string) => Date.parse(`${date}T00:00:00+08:00`) + DAY;

async function deadline(handle: AppHandle, name: string) {
  const v = await handle.query(m.stateQuery);
  return v.deadlines.find((d) => d.name === name)!;
}

async function until<T>(probe: () => Promise<T>, ok: (t: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const t = await probe();
    if (ok(t)) return t;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached');
}

const withdraw = (handle: AppHandle) => handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });

describe('application deadlines', () => {
  it('R-APP-12: a paper application received 2025-12-31 is due 2026-02-12 (30 working days over New Year, the make-up Sunday 01-04 counted); entered on 2026-03-02, 61 days later and within the 90-day bound, it is overdue at once and escalated', async () => {
    // Counting from Wed 2025-12-31 (not itself counted): Jan 1-3 New Year off; Sun Jan 4 make-up working day (1);
    // Jan 5-9 (6); Jan 12-16 (11); Jan 19-23 (16); Jan 26-30 (21); Feb 2-6 (26); Feb 9, 10, 11, Thu Feb 12 (30).
    const input = poorFamily({ receivedOn: '2025-12-31' });
    // a server of its own, whatever ran before: its clock starts on TEST_DAY, so the entry is 61 days after the paper date
    await tb.runFresh(async (tq) => {
      const { handle, receipt } = await startApplication(tb.env.client, input, tq);
      expect(receipt.enteredOn).toBe(TEST_DAY);
      expect(daysBetween(input.receivedOn!, receipt.enteredOn)).toBe(61);
      expect(receipt.acceptedOn).toBe('2025-12-31');
      expect(receipt.deadlines[0]).toMatchObject({ name: 'decision', dueOn: '2026-02-12', beyondCalendar: false });
      const d = await until(() => deadline(handle, 'decision'), (x) => x.overdue);
      expect(d.escalatedTo).toBe('supervisor@140599'); // township steps escalate to the county
      const row = await until(
        () => tb.db.prisma.deadline.findFirstOrThrow({ where: { caseId: input.caseId, name: 'decision' } }),
        (r) => r.overdueSince !== null,
      );
      expect(row.dueOn.toISOString().slice(0, 10)).toBe('2026-02-12');
      expect(row.escalatedTo).toBe('supervisor@140599');
      const actions = (await tb.db.prisma.auditEvent.findMany({ where: { caseId: input.caseId }, orderBy: { seq: 'asc' } })).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['deadline.overdue', 'deadline.escalated']));
      expect(actions).not.toContain('deadline.warning'); // warnings that could no longer be given in time are skipped
      expect((await tb.db.prisma.case.findUniqueOrThrow({ where: { caseId: input.caseId } })).overdue).toBe(true);
      // R-APP-12: an extension comes before the deadline passes, not after
      await expectRefused(handle.executeUpdate(m.extensionUpdate, { args: [{ actor: actors.approver1, reason: '补办延期' }] }), 'RuleViolation', 'R-APP-12');
      await withdraw(handle);
    });
  });

  it('R-APP-12: warnings come before the decision deadline; when it passes, the case is overdue and escalated', async () => {
    const input = poorFamily();
    // a server of its own: counted from TEST_EPOCH on the official calendar of a known year, wherever
    // earlier tests (and their waits on results) left the file's clock
    await tb.runFresh(async (tq) => {
      const { handle, receipt } = await startApplication(tb.env.client, input, tq);
      expect(receipt.deadlines[0].beyondCalendar).toBe(false);
      const dueAt = endOfDay(receipt.deadlines[0].dueOn);
      await waitForStep(handle, 'investigating');
      await tb.env.sleep(dueAt - (await tb.env.currentTimeMs()) - 3 * HOUR);
      const before = await until(() => deadline(handle, 'decision'), (x) => x.warned);
      expect(before.overdue).toBe(false);
      const warnings = await tb.db.prisma.auditEvent.count({ where: { caseId: input.caseId, action: 'deadline.warning' } });
      expect(warnings).toBe(2); // policy: 5 and 1 working days before
      await tb.env.sleep(4 * HOUR);
      const after = await until(() => deadline(handle, 'decision'), (x) => x.overdue);
      expect(after.escalatedTo).toBe('supervisor@140599');
      const v = await handle.query(m.stateQuery);
      expect(v.flags).toContain('overdue');
      await withdraw(handle);
    });
  });

  it('R-APP-12: one extension with a reason moves the deadline to 45 working days from acceptance; a second is refused', async () => {
    const input = poorFamily();
    // a server of its own: 45 working days from TEST_EPOCH stay within the years the calendar knows
    await tb.runFresh(async (tq) => {
      const { handle, receipt } = await startApplication(tb.env.client, input, tq);
      const first = receipt.deadlines[0];
      await waitForStep(handle, 'investigating');
      await tb.env.sleep(10 * DAY);
      await expectRefused(handle.executeUpdate(m.extensionUpdate, { args: [{ actor: actors.caseworker, reason: '需补充调查' }] }), 'Forbidden');
      const extended = await handle.executeUpdate(m.extensionUpdate, { args: [{ actor: actors.approver1, reason: '家庭情况复杂，需补充调查' }] });
      const d = extended.deadlines[0];
      expect(d.extended).toBe(true);
      expect(d.beyondCalendar).toBe(false);
      expect(d.startedOn).toBe(first.startedOn);
      // 45 working days from acceptance (the calendar's arithmetic is proved by hand in test/unit/working-days.test.ts)
      expect(d.dueOn).toBe(calendar.addWorkingDays(first.startedOn, 45).date);
      expect(first.dueOn).toBe(calendar.addWorkingDays(first.startedOn, 30).date);
      expect(extended.flags).toContain('deadline_extended');
      await expectRefused(handle.executeUpdate(m.extensionUpdate, { args: [{ actor: actors.approver3, reason: 'again' }] }), 'RuleViolation', 'R-APP-12');

      await tb.env.sleep(endOfDay(first.dueOn) - (await tb.env.currentTimeMs()) + 6 * HOUR);
      expect((await deadline(handle, 'decision')).overdue).toBe(false); // the old date no longer counts
      await tb.env.sleep(endOfDay(d.dueOn) - (await tb.env.currentTimeMs()) + HOUR);
      expect((await until(() => deadline(handle, 'decision'), (x) => x.overdue)).overdue).toBe(true);
      await withdraw(handle);
    });
  });

  it('R-APP-13: a rejection must be notified in writing within 3 working days; the notice closes the case', async () => {
    const input = poorFamily();
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input)] });
      const reviewed = await handle.executeUpdate(m.townshipReviewUpdate, { args: review('ineligible') });
      expect(reviewed.step).toBe('county_decision'); // no publicity for an ineligible opinion
      const reject = (actor: (typeof actors)['approver1']): [m.ApprovalInput] => [{ actor, decision: 'reject', reason: '家庭人均收入高于当地低保标准' }];
      await handle.executeUpdate(m.approvalUpdate, { args: reject(actors.approver1) });
      const rejected = await handle.executeUpdate(m.approvalUpdate, { args: reject(actors.approver3) });
      expect(rejected.step).toBe('rejected');
      const notice = rejected.deadlines.find((x) => x.name === 'rejection_notice')!;
      expect(notice.startedOn).toBe(rejected.decisions.outcome!.decidedOn);
      expect(notice.dueOn).toBe(calendar.addWorkingDays(notice.startedOn, 3).date);
      expect((await deadline(handle, 'decision')).closed).toBe(true);
      // the members are free to apply again once the case is decided
      expect(await tb.db.prisma.openApplication.count({ where: { caseId: input.caseId } })).toBe(0);

      await tb.env.sleep(endOfDay(notice.dueOn) - (await tb.env.currentTimeMs()) + HOUR);
      expect((await until(() => deadline(handle, 'rejection_notice'), (x) => x.overdue)).overdue).toBe(true);
      const today = new Date((await tb.env.currentTimeMs()) + 8 * HOUR).toISOString().slice(0, 10);
      const served = await handle.executeUpdate(m.rejectionNoticeUpdate, { args: [{ actor: actors.caseworker, servedOn: today, method: 'in_person', noticeNo: '沁民救〔2026〕1号', ...noticeStatement }] });
      expect(served.decisions.rejectionNotice).toMatchObject({ servedOn: today, method: 'in_person' });
      expect(await handle.result()).toMatchObject({ status: 'rejected' });
    });
  });
});
