// R-APP-11: who decides. Where the county delegated confirmation to the township
// (approvalDelegatedToTownship), the township's 审核确认领导组 decides as a collective: its own leaders,
// not recused (R-APP-09), one meeting per 一事一议 case; county approvers have no vote there. Otherwise
// only the county's approvers vote.
import { workflowTestbed } from '../helpers/temporal';
import { actors, poorFamily } from '../helpers/people';
import { approve, expectRefused, investigation, review, startApplication, waitForStep, type AppHandle } from '../helpers/application';
import type { ApplicationView } from '../../workflows/application/state';
import type { Actor } from '../../workflows/rules/types';
import * as m from '../../workflows/application/messages';

const tb = workflowTestbed();
const DAY = 86_400_000;
/** Queries until the view satisfies `ok` (the flow reacts to a timer in its own time). */
async function waitFor(handle: AppHandle, ok: (v: ApplicationView) => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(await handle.query(m.stateQuery)); i++) await new Promise((r) => setTimeout(r, 50));
}
const leader = (id: string, jurisdiction = '140599100'): Actor => ({ id, name: id, role: 'township_leader', jurisdiction });

beforeAll(async () => {
  // the training county 140599 delegates confirmation to its townships (keeping its two-minute publicity)
  await tb.db.prisma.policyProfile.create({
    data: {
      jurisdiction: '140599',
      effectiveFrom: new Date('2026-01-02T00:00:00Z'),
      params: { trainingJurisdiction: true, publicityDays: 0.0014, approvalDelegatedToTownship: true },
      createdBy: 'test',
    },
  });
});

describe('application: the deciding body (R-APP-11)', () => {
  it('R-APP-11: in a delegated township two of its leaders decide in one meeting; a county approver, a leader of another township or with a county-wide claim, and a recused leader (R-APP-09, also for the township opinion) are refused; the township holds the decision, so its lapse escalates to the county', async () => {
    const input = poorFamily();
    // leader3 is the applicant's cousin: recused (R-APP-09), and the case is specially filed (一事一议, R-APP-08)
    input.nearRelativeDeclaration = { hasStaffRelatives: true, relations: [{ memberIdNumber: input.household.members[0].idNumber, staffId: 'leader3', relation: 'cousin' }] };
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      const inv = investigation(input);
      await handle.executeUpdate(m.recordInvestigationUpdate, { args: [inv] });
      await handle.executeUpdate(m.recordCountyVisitUpdate, { args: [{ actor: actors.countyCaseworker, visitors: ['zhaolei', 'sunli'], visitedOn: inv.visitedOn, findings: '属实' }] });
      await expectRefused(handle.executeUpdate(m.townshipReviewUpdate, { args: [{ ...review()[0], actor: leader('leader3') }] }), 'Forbidden', 'R-APP-09');
      await handle.executeUpdate(m.townshipReviewUpdate, { args: review() });
      await waitForStep(handle, 'publicity');
      await tb.env.sleep(DAY);
      const atDecision = await waitForStep(handle, 'county_decision');
      expect(atDecision.assignee).toBe('township_leader@140599100');
      // the township holds the decision: a lapse escalates to the county, not the city
      await tb.env.sleep(70 * DAY);
      await waitFor(handle, (v) => v.deadlines.some((d) => d.escalatedTo !== null));
      expect((await handle.query(m.stateQuery)).deadlines.find((d) => d.name === 'decision')!.escalatedTo).toBe('supervisor@140599');

      const meeting = '演示镇审核确认领导组2026年第3次会议（一事一议）';
      const held = { meeting, meetingDate: inv.visitedOn, attendees: ['zhoujie', 'leader2'] };
      const vote = (actor: Actor) => handle.executeUpdate(m.approvalUpdate, { args: [{ ...approve(actor)[0], ...held, attendees: [...held.attendees, actor.id] }] });
      const county = await expectRefused(vote(actors.approver1), 'Forbidden', 'R-APP-11');
      expect(county).toMatch(/township's leadership/);
      // a leader of the neighbouring township does not cover the case at all; one claiming the whole county is no leader of this township
      await expectRefused(vote(leader('leader9', '140599101')), 'Forbidden');
      await expectRefused(vote(leader('leader9', '140599')), 'Forbidden', 'R-APP-11');
      await expectRefused(vote(leader('leader3')), 'Forbidden', 'R-APP-09');
      expect((await handle.query(m.stateQuery)).decisions.votes).toEqual([]);

      await handle.executeUpdate(m.approvalUpdate, { args: [{ ...approve(leader('zhoujie', '140599100'))[0], ...held }] });
      const done = await handle.executeUpdate(m.approvalUpdate, { args: [{ ...approve(leader('leader2'))[0], meeting }] });
      expect(done.step).toBe('enrolled');
      expect(done.decisions.outcome!.approvers).toEqual(['zhoujie', 'leader2']);
      expect(done.decisions.votes.map((v) => v.body)).toEqual(['township', 'township']);
    });
  });

  it('R-APP-04: a township leader who investigated the case neither votes on it (in any letter case) nor attends the meeting that decides it', async () => {
    const input = poorFamily();
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input, { investigators: ['zhangmin', 'zhoujie'] })] });
      await handle.executeUpdate(m.townshipReviewUpdate, { args: review() });
      await waitForStep(handle, 'publicity');
      await tb.env.sleep(DAY);
      await waitForStep(handle, 'county_decision');
      const voted = await expectRefused(handle.executeUpdate(m.approvalUpdate, { args: approve(leader('zhoujie')) }), 'Forbidden', 'R-APP-04');
      expect(voted).toMatch(/zhoujie investigated/);
      await expectRefused(handle.executeUpdate(m.approvalUpdate, { args: approve(leader('ZhouJie')) }), 'Forbidden', 'R-APP-04');
      const meeting = { meeting: '演示镇审核确认领导组2026年第4次会议', meetingDate: (await handle.query(m.stateQuery)).enteredOn, attendees: ['leader2', 'zhoujie'] };
      await expectRefused(handle.executeUpdate(m.approvalUpdate, { args: [{ ...approve(leader('leader2'))[0], ...meeting }] }), 'RuleViolation', 'R-APP-04');
      expect((await handle.query(m.stateQuery)).decisions.votes).toEqual([]);
    });
  });

  it('R-APP-11: where the county did not delegate (沁水县 140521), a township leader\'s vote is refused and the county\'s approvers decide; the decision is the county\'s, so its lapse escalates to the city', async () => {
    const local = (a: Actor): Actor => ({ ...a, jurisdiction: '140521100' });
    const input = poorFamily({ villageCode: '140521100201', actor: local(actors.caseworker) });
    const county = (id: string): Actor => ({ id, name: id, role: 'county_approver', jurisdiction: '140521' });
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input)] }); // qs-tw1 and qs-tw2, of the case's township (R-APP-04)
      await handle.executeUpdate(m.townshipReviewUpdate, { args: [{ ...review()[0], actor: local(actors.caseworker) }] });
      await waitForStep(handle, 'publicity');
      await tb.env.sleep(8 * DAY);
      const atDecision = await waitForStep(handle, 'county_decision');
      expect(atDecision.assignee).toBe('county_approver@140521');
      await tb.env.sleep(70 * DAY);
      await waitFor(handle, (v) => v.deadlines.some((d) => d.escalatedTo !== null));
      expect((await handle.query(m.stateQuery)).deadlines.find((d) => d.name === 'decision')!.escalatedTo).toBe('supervisor@1405');
      const refused = await expectRefused(handle.executeUpdate(m.approvalUpdate, { args: approve(leader('qs-tl1', '140521100')) }), 'Forbidden', 'R-APP-11');
      expect(refused).toMatch(/county's approvers/);
      await handle.executeUpdate(m.approvalUpdate, { args: approve(county('qs-ca1')) });
      const done = await handle.executeUpdate(m.approvalUpdate, { args: approve(county('qs-ca2')) });
      expect(done.step).toBe('enrolled');
      expect(done.decisions.votes.map((v) => v.body)).toEqual(['county', 'county']);
    });
  });
});
