// R-APP-10: publicity rounds are bounded by policy (maxPublicityRounds, R-POL); an objection in the last
// round sends the case to the decision with every objection attached instead of back to investigation.
import { workflowTestbed } from '../helpers/temporal';
import { actors, poorFamily, qsActors } from '../helpers/people';
import { approve, expectRefused, investigation, review, startApplication, waitForStep, type AppHandle } from '../helpers/application';
import type { ApplicationInput } from '../../workflows/application/state';
import type { Actor } from '../../workflows/rules/types';
import * as m from '../../workflows/application/messages';

const tb = workflowTestbed();

/** One round: the investigation, the township's eligible opinion, the publicity, an objection during it. */
async function objectedRound(handle: AppHandle, input: ApplicationInput, n: number, staff: { recorder: Actor; objector: Actor }) {
  await waitForStep(handle, 'investigating');
  await handle.executeUpdate(m.recordInvestigationUpdate, { args: [{ ...investigation(input, { findings: `第${n}轮入户调查` }), actor: staff.recorder }] });
  await handle.executeUpdate(m.townshipReviewUpdate, { args: [{ ...review()[0], actor: staff.recorder }] });
  const posted = await waitForStep(handle, 'publicity');
  expect(posted.publicity!.round).toBe(n);
  return handle.executeUpdate(m.objectionUpdate, { args: [{ actor: staff.objector, summary: `第${n}轮：村民反映申请人家有经营性货车`, raisedBy: `村民${n}` }] });
}

describe('application: bounded publicity rounds (R-APP-10)', () => {
  it('R-APP-10: with the national maxPublicityRounds (3), objections in rounds 1 and 2 send the case back to investigation; the one in round 3 sends it to the county decision with all three objections attached, and the county decides', async () => {
    const input = poorFamily(); // training county 140599: national rounds, two-minute publicity
    const staff = { recorder: actors.caseworker, objector: actors.caseworker2 };
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      for (const n of [1, 2]) {
        const back = await objectedRound(handle, input, n, staff);
        expect(back.step).toBe('investigating');
        expect(back.flags).not.toContain('objections_unresolved');
      }
      const decided = await objectedRound(handle, input, 3, staff);
      expect(decided.step).toBe('county_decision');
      expect(decided.flags).toContain('objections_unresolved');
      expect(decided.investigations.map((i) => i.round)).toEqual([1, 2, 3]);
      expect(decided.objections!.map((o) => [o.round, o.raisedBy, o.by])).toEqual([
        [1, '村民1', 'liqiang'],
        [2, '村民2', 'liqiang'],
        [3, '村民3', 'liqiang'],
      ]);
      // the case does not return to the village: a further objection finds it at the decision
      await expectRefused(handle.executeUpdate(m.objectionUpdate, { args: [{ actor: actors.caseworker2, summary: '又一异议', raisedBy: '村民4' }] }), 'WrongStep');
      const audit = await tb.db.prisma.auditEvent.findFirstOrThrow({ where: { caseId: input.caseId, action: 'publicity.rounds_exhausted' } });
      expect(audit.data).toMatchObject({ round: 3, maxRounds: 3, objections: [{ round: 1 }, { round: 2 }, { round: 3 }] });
      // the approvers see the objections on the case page (the projection) and decide
      const row = await tb.db.prisma.case.findUniqueOrThrow({ where: { caseId: input.caseId } });
      expect((row.view as { objections: unknown[] }).objections).toHaveLength(3);
      await handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver1) });
      const done = await handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver3) });
      expect(done.step).toBe('enrolled');
      expect(done.objections).toHaveLength(3);
    });
  });

  it('R-APP-10, R-POL: a county whose policy allows one round sends the first objection to the county, which may reject', async () => {
    // 沁水县 140521: 7-day publicity, its own township's staff; its policy sets one round
    await tb.db.prisma.policyProfile.create({
      data: { jurisdiction: '140521', effectiveFrom: new Date('2026-01-02T00:00:00Z'), params: { maxPublicityRounds: 1 }, createdBy: 'test' },
    });
    const local = <A extends Actor>(a: A): A => ({ ...a, jurisdiction: '140521100' });
    const input = poorFamily({ villageCode: '140521100201', actor: local(actors.caseworker) });
    const county = (id: string) => ({ id, name: id, role: 'county_approver', jurisdiction: '140521' });
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      const decided = await objectedRound(handle, input, 1, { recorder: qsActors.caseworker, objector: local(actors.caseworker2) });
      expect(decided.step).toBe('county_decision');
      expect(decided.flags).toContain('objections_unresolved');
      expect(decided.policy!.sources).toContain('140521@2026-01-02');
      await handle.executeUpdate(m.approvalUpdate, { args: [{ actor: county('qs-ca1'), decision: 'reject', reason: '异议属实：家有经营性货车' }] });
      const done = await handle.executeUpdate(m.approvalUpdate, { args: [{ actor: county('qs-ca2'), decision: 'reject', reason: '同意' }] });
      expect(done.step).toBe('rejected');
      expect(done.objections!.map((o) => o.round)).toEqual([1]);
    });
  });
});
