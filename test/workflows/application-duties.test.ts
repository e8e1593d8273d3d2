// Who may do what (issue 15 §1): R-APP-04, R-APP-08, R-APP-09, R-APP-10, R-APP-11 in the workflow. The
// register's facts of the people a command names are signed by the API and checked by the workflow too
// (issue 21 §2): test/workflows/application-staff-facts.test.ts; over HTTP: test/api/duties.test.ts.
import { workflowTestbed } from '../helpers/temporal';
import { actors, allMaterials, poorFamily } from '../helpers/people';
import { approve, expectRefused, investigation, review, startApplication, waitForStep } from '../helpers/application';
import * as m from '../../workflows/application/messages';

const tb = workflowTestbed();
const DAY = 86_400_000;
const sleep = (ms: number) => tb.env.sleep(ms);
const supervisor = { id: 'hewei', name: '何伟', role: 'supervisor', jurisdiction: '1405' };

/** A household with 刘洋's registered sister (prisma/seed/demo.json): specially filed, liuyang recused. */
function withLiuYangsSister() {
  const input = poorFamily();
  input.household.members.push({ name: '刘小梅', idNumber: '140599198707070579', relation: 'other', birthDate: '1987-07-07' });
  input.materials = allMaterials(input.household);
  return input;
}

describe('application: who may do what (issue 15 §1)', () => {
  it('R-APP-04: the recorder is one of the investigators, and a county approver is never one of them (the workflow reads the register\'s signed facts)', async () => {
    const input = poorFamily();
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      // liqiang records an investigation he did not take part in
      await expectRefused(
        handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input, { actor: actors.caseworker2, investigators: ['zhangmin', 'wangfang'] })] }),
        'RuleViolation',
        'R-APP-04',
      );
      // the county approver chenjing cannot investigate, whatever client sends the Update (issue 21 §2)
      const approver = await expectRefused(handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input, { investigators: ['zhangmin', 'chenjing'] })] }), 'RuleViolation', 'R-APP-04');
      expect(approver).toMatch(/chenjing is county_approver/);
      const recorded = await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input, { investigators: ['zhangmin', 'wangfang'] })] });
      expect(recorded.investigations[0].investigators).toEqual(['zhangmin', 'wangfang']);
      expect(recorded.investigations[0]).not.toHaveProperty('staff'); // the facts were for the validator only
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });

  it('R-APP-04: "distinct" investigators compare canonical staff ids: zhangmin and " ZhangMin" are one investigator, and the investigation is refused', async () => {
    const input = poorFamily();
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      await expectRefused(
        handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input, { investigators: ['zhangmin', ' ZhangMin'] })] }),
        'RuleViolation',
        'R-APP-04',
      );
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });

  it('R-APP-08: the county visit is by at least 2 distinct county staff: one person (or one twice) is refused', async () => {
    const input = withLiuYangsSister();
    await tb.run(async (tq) => {
      const { handle, receipt } = await startApplication(tb.env.client, input, tq);
      expect(receipt.specialFiling).toContain('staff_near_relative');
      await waitForStep(handle, 'investigating');
      const inv = investigation(input);
      await handle.executeUpdate(m.recordInvestigationUpdate, { args: [inv] });
      await waitForStep(handle, 'county_visit');
      const visit = (visitors: string[]) =>
        handle.executeUpdate(m.recordCountyVisitUpdate, { args: [{ actor: actors.countyCaseworker, visitors, visitedOn: inv.visitedOn, findings: '县级入户核查属实' }] });
      await expectRefused(visit(['zhaolei']), 'RuleViolation', 'R-APP-08');
      await expectRefused(visit(['zhaolei', 'ZhaoLei']), 'RuleViolation', 'R-APP-08');
      // a recused person cannot be one of the two (R-APP-09), in whatever letter case
      await expectRefused(visit(['zhaolei', 'LiuYang']), 'RuleViolation', 'R-APP-09');
      const visited = await visit(['zhaolei', 'chenjing']);
      expect(visited.step).toBe('township_review');
      expect(visited.countyVisit!.visitors).toEqual(['zhaolei', 'chenjing']);
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });

  it('R-APP-09: a token whose id differs from the register only in letter case (LiuYang for liuyang) is recused from his sister\'s case', async () => {
    const input = withLiuYangsSister();
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      await expectRefused(handle.executeUpdate(m.extensionUpdate, { args: [{ actor: { ...actors.approver2, id: 'LiuYang' }, reason: '需复查' }] }), 'Forbidden', 'R-APP-09');
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });

  it('R-APP-11 一事一议: the first vote records one meeting (id, date, attendees); a vote naming another meeting, or by an approver who did not attend, is refused', async () => {
    const input = poorFamily();
    input.nearRelativeDeclaration = { hasStaffRelatives: true, relations: [{ memberIdNumber: input.household.members[0].idNumber, staffId: 'liqiang', relation: 'cousin' }] };
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      const inv = investigation(input, { investigators: ['zhangmin', 'wangfang'] });
      await handle.executeUpdate(m.recordInvestigationUpdate, { args: [inv] });
      await handle.executeUpdate(m.recordCountyVisitUpdate, { args: [{ actor: actors.countyCaseworker, visitors: ['zhaolei', 'sunli'], visitedOn: inv.visitedOn, findings: '属实' }] });
      await handle.executeUpdate(m.townshipReviewUpdate, { args: review() });
      await waitForStep(handle, 'publicity');
      await sleep(8 * DAY);
      await waitForStep(handle, 'county_decision');
      const meeting = '县民政局2026年第12次局务会（一事一议）';
      const held = { meeting, meetingDate: inv.visitedOn, attendees: ['chenjing', 'liuyang'] };
      // the first vote names the meeting but not who attended it
      const bare = await expectRefused(handle.executeUpdate(m.approvalUpdate, { args: [{ ...approve(actors.approver1)[0], meeting }] }), 'RuleViolation', 'R-APP-11');
      expect(bare).toMatch(/date and the attendees/);
      // the voter must be among the attendees he records
      await expectRefused(handle.executeUpdate(m.approvalUpdate, { args: [{ ...approve(actors.approver3)[0], ...held }] }), 'RuleViolation', 'R-APP-11');
      const first = await handle.executeUpdate(m.approvalUpdate, { args: [{ ...approve(actors.approver1)[0], ...held }] });
      expect(first.decisions.meeting).toMatchObject({ id: meeting, date: inv.visitedOn, attendees: ['chenjing', 'liuyang'] });
      // two approvers naming two different meetings: refused
      await expectRefused(handle.executeUpdate(m.approvalUpdate, { args: [{ ...approve(actors.approver2)[0], meeting: '另一次会议' }] }), 'RuleViolation', 'R-APP-11');
      // sunli names the meeting but did not attend it
      const absent = await expectRefused(handle.executeUpdate(m.approvalUpdate, { args: [{ ...approve(actors.approver3)[0], meeting }] }), 'Forbidden', 'R-APP-11');
      expect(absent).toMatch(/did not attend/);
      const done = await handle.executeUpdate(m.approvalUpdate, { args: [{ ...approve(actors.approver2)[0], meeting }] });
      expect(done.step).toBe('enrolled');
      expect(done.decisions.outcome!.approvers).toEqual(['chenjing', 'liuyang']);
    });
  });

  it('R-APP-10: an objection is recorded by township staff on behalf of whoever raised it, never by a supervisor, never by a recused person (R-APP-09)', async () => {
    const input = poorFamily({ villageCode: '140521100201' }); // 沁水县: the 7-day publicity
    input.nearRelativeDeclaration = { hasStaffRelatives: true, relations: [{ memberIdNumber: input.household.members[0].idNumber, staffId: 'qs-tw2', relation: 'sibling' }] };
    const qsCaseworker = { id: 'qs-tw1', name: '郭华', role: 'township_caseworker', jurisdiction: '140521100' };
    const qsRelated = { id: 'QS-TW2', name: '马丽', role: 'township_caseworker', jurisdiction: '140521100' };
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input, { actor: qsCaseworker, investigators: ['qs-tw1', 'qs-va1'] })] });
      await waitForStep(handle, 'county_visit');
      await handle.executeUpdate(m.recordCountyVisitUpdate, {
        args: [{ actor: { id: 'qs-cc1', name: '杨帆', role: 'county_caseworker', jurisdiction: '140521' }, visitors: ['qs-cc1', 'qs-ca1'], visitedOn: investigation(input).visitedOn, findings: '属实' }],
      });
      await handle.executeUpdate(m.townshipReviewUpdate, { args: [{ ...review()[0], actor: qsCaseworker }] });
      await waitForStep(handle, 'publicity');
      await sleep(2 * DAY);
      const objection = { summary: '村民反映申请人家有经营性货车', raisedBy: '村民王某' };
      await expectRefused(handle.executeUpdate(m.objectionUpdate, { args: [{ actor: supervisor, ...objection }] }), 'Forbidden');
      await expectRefused(handle.executeUpdate(m.objectionUpdate, { args: [{ actor: actors.approver1, ...objection }] }), 'Forbidden');
      await expectRefused(handle.executeUpdate(m.objectionUpdate, { args: [{ actor: qsRelated, ...objection }] }), 'Forbidden', 'R-APP-09');
      await expectRefused(handle.executeUpdate(m.objectionUpdate, { args: [{ actor: qsCaseworker, ...objection, raisedBy: ' ' }] }), 'RuleViolation', 'R-APP-10');
      expect((await handle.query(m.stateQuery)).step).toBe('publicity');
      const objected = await handle.executeUpdate(m.objectionUpdate, { args: [{ actor: qsCaseworker, ...objection }] });
      expect(objected.step).toBe('investigating');
      const recorded = await tb.db.prisma.auditEvent.findFirstOrThrow({ where: { caseId: input.caseId, action: 'publicity.objection' } });
      expect(recorded).toMatchObject({ actor: 'qs-tw1', data: expect.objectContaining({ raisedBy: '村民王某' }) });
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: qsCaseworker, reason: 'test done' }] });
    });
  });
});
