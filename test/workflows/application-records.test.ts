// The records the law asks for (issue 15 §3), kept by the activities a case already runs: the special-filing
// register and the near-relative register at enrolment (R-APP-08, R-SUP-06), the publicity archive
// (R-APP-10, R-SUP-04), and what a rejection notice states (R-APP-13). The export is test/api/records.test.ts.
import { workflowTestbed } from '../helpers/temporal';
import { actors, member, allMaterials, poorFamily } from '../helpers/people';
import { approve, expectRefused, investigation, noticeStatement, review, startApplication, waitForStep, type AppHandle } from '../helpers/application';
import type { ApplicationInput } from '../../workflows/application/state';
import { createActivities } from '../../activities';
import { createCalendarSource } from '../../activities/calendar';
import * as m from '../../workflows/application/messages';
import { chinaDate } from '../../workflows/rules/dates';

const tb = workflowTestbed();
const DAY = 86_400_000;
const sleep = (ms: number) => tb.env.sleep(ms);
/** Any 18-character 居民身份证号 */
const ID_NUMBER = /\d{17}[\dX]/;

/**
 * A specially filed case from intake to enrolment: the investigation, the county's own visit (R-APP-08),
 * the township review, the publicity, and two votes in one 一事一议 meeting (R-APP-11).
 */
async function enrolSpecialCase(handle: AppHandle, input: ApplicationInput, o: { incomes?: m.InvestigationInput['incomes']; review?: Partial<m.TownshipReviewInput> } = {}) {
  await waitForStep(handle, 'investigating');
  const inv = investigation(input, { investigators: ['zhangmin', 'wangfang'], ...(o.incomes ? { incomes: o.incomes } : {}) });
  await handle.executeUpdate(m.recordInvestigationUpdate, { args: [inv] });
  await handle.executeUpdate(m.recordCountyVisitUpdate, { args: [{ actor: actors.countyCaseworker, visitors: ['zhaolei', 'sunli'], visitedOn: inv.visitedOn, findings: '县级入户核查属实' }] });
  await handle.executeUpdate(m.townshipReviewUpdate, { args: review('eligible', o.review) });
  await sleep(8 * DAY);
  await waitForStep(handle, 'county_decision');
  const meeting = { meeting: '县民政局2026年第15次局务会', meetingDate: inv.visitedOn, attendees: ['chenjing', 'liuyang'] };
  await handle.executeUpdate(m.approvalUpdate, { args: [{ ...approve(actors.approver1)[0], ...meeting }] });
  const done = await handle.executeUpdate(m.approvalUpdate, { args: [{ ...approve(actors.approver2)[0], meeting: meeting.meeting }] });
  expect(done.step).toBe('enrolled');
  return done;
}

describe('application records (issue 15 §3)', () => {
  it('R-APP-08, R-SUP-06: an enrolled specially filed case enters the county\'s special-filing register (reasons, staff, relation, visitors) and the declared relation joins the near-relative register, once however often the enrolment is retried; a later case of that relative is then filed and the staff member recused', async () => {
    const input = poorFamily();
    const head = input.household.members[0];
    input.nearRelativeDeclaration = { hasStaffRelatives: true, relations: [{ memberIdNumber: head.idNumber, staffId: 'LiQiang', relation: 'cousin' }] };
    await tb.run(async (tq) => {
      const { handle, receipt } = await startApplication(tb.env.client, input, tq);
      expect(receipt.specialFiling).toEqual(['staff_near_relative']);
      const done = await enrolSpecialCase(handle, input);

      const filed = await tb.db.prisma.specialFiling.findMany({ where: { caseId: input.caseId } });
      expect(filed).toEqual([
        expect.objectContaining({
          countyCode: '140599',
          householdId: done.decisions.enrolment!.householdId,
          reason: 'staff_near_relative',
          applicantName: '王建国',
          applicantIdNumber: head.idNumber,
          staffIds: ['liqiang'],
          relations: [{ staffId: 'liqiang', memberName: '王建国', relation: 'cousin', source: 'declaration' }],
          visitors: ['zhaolei', 'sunli'],
          monthlyFen: done.decisions.enrolment!.monthlyFen,
        }),
      ]);
      expect(filed[0].enrolledOn.toISOString().slice(0, 10)).toBe(done.decisions.enrolment!.enrolledOn);
      const registered = await tb.db.prisma.staffRelative.findMany({ where: { relativeIdNumber: head.idNumber } });
      expect(registered).toEqual([expect.objectContaining({ staffId: 'liqiang', relativeName: '王建国', relation: 'cousin' })]);

      // a retried enrolment (the activity's next attempt) writes nothing twice
      const activities = createActivities({ prisma: tb.db.prisma, agency: tb.agency.agency, bank: tb.bank.bank, calendar: createCalendarSource(tb.db.prisma, 0) });
      const e = done.decisions.enrolment!;
      await activities.enrolCase({ caseId: input.caseId, householdId: e.householdId, coveredMembers: done.decisions.outcome!.coveredMembers, singlePerson: false, monthlyFen: e.monthlyFen, enrolledOn: e.enrolledOn, paymentStartMonth: e.paymentStartMonth });
      expect(await tb.db.prisma.specialFiling.count({ where: { caseId: input.caseId } })).toBe(1);
      expect(await tb.db.prisma.staffRelative.count({ where: { relativeIdNumber: head.idNumber } })).toBe(1);

      // a later case with 王建国 that declares nothing: the register files it and liqiang steps aside
      const later = await activities.caseContext({ jurisdiction: input.villageCode, on: e.enrolledOn, idNumbers: [head.idNumber], declaration: { hasStaffRelatives: false } });
      expect(later.specialFiling).toEqual(['staff_near_relative']);
      expect(later.relations).toEqual([expect.objectContaining({ staffId: 'liqiang', memberIdNumber: head.idNumber, source: 'register' })]);
    });
  });

  it('R-APP-08, R-APP-09, R-SUP-06: the head declared as liqiang\'s cousin is not covered (two 单人户 are); his own later application declares nothing, yet it is specially filed and liqiang recused, from the near-relative register', async () => {
    const head = member('钱大江', '1972-03-03', { relation: 'self', ableToWork: true });
    const son = member('钱小河', '1999-09-09', { relation: 'child', disabilityGrade: 1 });
    const mother = member('吴桂兰', '1948-08-08', { relation: 'parent', disabilityGrade: 2 });
    const input = poorFamily({ household: { residence: 'rural', members: [head, son, mother] }, account: undefined });
    input.nearRelativeDeclaration = { hasStaffRelatives: true, relations: [{ memberIdNumber: head.idNumber, staffId: 'liqiang', relation: 'cousin' }] };
    // verified 200000 a month: near the threshold, so only the two severely disabled are covered (R-APP-07)
    await tb.agency.setPerson(head.idNumber, { incomes: [{ source: 'wages', monthlyFen: 200_000 }] });
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await enrolSpecialCase(handle, input, { incomes: [{ memberIdNumber: head.idNumber, monthlyFen: 200_000, source: 'wages' }], review: { coveredMembers: [son.idNumber, mother.idNumber] } });

      const alone = poorFamily({ household: { residence: 'rural', members: [head] }, account: undefined });
      const { handle: later, receipt } = await startApplication(tb.env.client, alone, tq);
      expect(alone.nearRelativeDeclaration.hasStaffRelatives).toBe(false);
      expect(receipt.specialFiling).toEqual(['staff_near_relative']);
      expect(receipt.recusedStaff).toEqual(['liqiang']);
      await waitForStep(later, 'investigating');
      await expectRefused(later.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(alone, { actor: actors.caseworker2, investigators: ['liqiang', 'zhangmin'] })] }), 'Forbidden', 'R-APP-09');
      await later.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });

  it('R-APP-10, R-SUP-04: each publicity round is archived with what was posted (names, village, amount: never an ID number, a minor or a confidential member), where and from when to when', async () => {
    const input = poorFamily();
    // 王小明 is ten on the server's clock (which earlier tests may have moved on by years), a minor whenever this runs
    const today = chinaDate(await tb.env.currentTimeMs());
    input.household.members[2] = member('王小明', `${Number(today.slice(0, 4)) - 10}-09-01`, { relation: 'child', student: true });
    input.household.members.push(member('赵大海', '1950-05-05', { relation: 'parent', confidential: true }));
    input.materials = allMaterials(input.household);
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input)] });
      // an unknown channel, or none, is refused before anything is recorded
      await expectRefused(handle.executeUpdate(m.townshipReviewUpdate, { args: review('eligible', { publicityChannels: ['radio' as never] }) }), 'RuleViolation', 'R-APP-10');
      await expectRefused(handle.executeUpdate(m.townshipReviewUpdate, { args: review('eligible', { publicityChannels: [] }) }), 'RuleViolation', 'R-APP-10');
      await handle.executeUpdate(m.townshipReviewUpdate, { args: review('eligible', { publicityChannels: ['noticeboard', 'website'] }) });
      const at = await waitForStep(handle, 'publicity');
      const rows = await tb.db.prisma.publicityArchive.findMany({ where: { caseId: input.caseId } });
      expect(rows).toHaveLength(1);
      const [row] = rows;
      expect(row).toMatchObject({ round: 1, villageCode: input.villageCode, channels: ['noticeboard', 'website'] });
      expect(row.postedFrom.toISOString()).toBe(at.publicity!.from);
      expect(row.postedUntil.toISOString()).toBe(at.publicity!.until);
      // 王小明 is a minor and 赵大海 is confidential: neither is named
      expect(row.content).toEqual({
        programme: 'DIBAO',
        village: { code: input.villageCode, name: expect.any(String) },
        names: ['王建国', '李秀英'],
        monthlyFen: at.townshipReview!.proposedMonthlyFen,
      });
      expect(JSON.stringify(row.content)).not.toMatch(ID_NUMBER);
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });

  it('R-APP-13: a rejection notice without the reasons given to the applicant, or without the route of appeal, is refused; with them it is stored with the appeal time limits of the policy (行政复议 60 days, 行政诉讼 6 months)', async () => {
    const input = poorFamily();
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input)] });
      await handle.executeUpdate(m.townshipReviewUpdate, { args: review('ineligible') });
      const reject = (actor: (typeof actors)['approver1']): [m.ApprovalInput] => [{ actor, decision: 'reject', reason: '家庭人均收入高于当地低保标准' }];
      await handle.executeUpdate(m.approvalUpdate, { args: reject(actors.approver1) });
      const rejected = await handle.executeUpdate(m.approvalUpdate, { args: reject(actors.approver3) });
      const servedOn = rejected.decisions.outcome!.decidedOn;
      const notice = (extra: Partial<m.RejectionNoticeInput>): [m.RejectionNoticeInput] => [{ actor: actors.caseworker, servedOn, method: 'post', ...extra }];
      const noReasons = await expectRefused(handle.executeUpdate(m.rejectionNoticeUpdate, { args: notice({ appeal: noticeStatement.appeal }) }), 'RuleViolation', 'R-APP-13');
      expect(noReasons).toMatch(/reasons/);
      await expectRefused(handle.executeUpdate(m.rejectionNoticeUpdate, { args: notice({ ...noticeStatement, reasons: ['  '] }) }), 'RuleViolation', 'R-APP-13');
      await expectRefused(handle.executeUpdate(m.rejectionNoticeUpdate, { args: notice({ reasons: noticeStatement.reasons }) }), 'RuleViolation', 'R-APP-13');
      await expectRefused(handle.executeUpdate(m.rejectionNoticeUpdate, { args: notice({ reasons: noticeStatement.reasons, appeal: {} }) }), 'RuleViolation', 'R-APP-13');
      const served = await handle.executeUpdate(m.rejectionNoticeUpdate, { args: notice(noticeStatement) });
      expect(served.decisions.rejectionNotice).toMatchObject({
        servedOn,
        reasons: ['家庭人均收入高于当地低保标准'],
        appeal: { reconsideration: { body: '培训演示县人民政府', withinDays: 60 }, litigation: { court: '培训演示县人民法院', withinMonths: 6 } },
      });
      expect(await handle.result()).toMatchObject({ status: 'rejected' });
      const row = await tb.db.prisma.case.findUniqueOrThrow({ where: { caseId: input.caseId } });
      expect((row.view as { decisions: { rejectionNotice: unknown } }).decisions.rejectionNotice).toMatchObject({ reasons: ['家庭人均收入高于当地低保标准'] });
    });
  });
});
