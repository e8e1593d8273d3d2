// Issue 21 §2: the workflow applies R-APP-04, R-APP-08 and R-APP-11 itself, to the register's facts the API
// signs with each command (role, jurisdiction, active). These Updates go straight to Temporal, signed as
// the API would sign them but carrying the facts the test gives: each refusal leaves nothing in history.
import crypto from 'node:crypto';
import { workflowTestbed } from '../helpers/temporal';
import { actors, poorFamily } from '../helpers/people';
import { approve, expectRefused, investigation, review, startApplication, waitForStep, type AppHandle } from '../helpers/application';
import { factsOf } from '../helpers/staff-register';
import type { StaffFact } from '../../workflows/application/messages';
import * as m from '../../workflows/application/messages';

const tb = workflowTestbed();
const DAY = 86_400_000;

/** The register's facts, with one person's changed (a forged or stale register entry). */
const facts = (ids: string[], change: Record<string, Partial<StaffFact>> = {}): StaffFact[] => factsOf(...ids).map((f) => ({ ...f, ...change[f.id] }));

/** Sends an Update with its own id and expects it refused; returns the message. */
function refusedUpdates(handle: AppHandle) {
  const ids: string[] = [];
  return {
    async expect<I>(def: Parameters<AppHandle['executeUpdate']>[0], input: I, type: string, rule?: string): Promise<string> {
      const updateId = `refused-${crypto.randomUUID()}`;
      ids.push(updateId);
      return expectRefused(handle.raw.executeUpdate(def as never, { args: [input] as never, updateId }), type, rule);
    },
    /** none of the refused Updates reached the case's history */
    async noneInHistory(): Promise<void> {
      const history = JSON.stringify((await handle.fetchHistory()).events);
      for (const id of ids) expect(history).not.toContain(id);
    },
  };
}

describe('application: the workflow checks who is named, on the register\'s signed facts (issue 21 §2)', () => {
  it('R-APP-04: an investigation by a county approver, with no township-level investigator, with an inactive investigator, or without (or with other people\'s) facts is refused, with nothing in history', async () => {
    const input = poorFamily();
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      const refused = refusedUpdates(handle);
      const base = investigation(input, { investigators: ['zhangmin', 'wangfang'] });
      // (a) county approvers are never investigators
      const approvers = await refused.expect(m.recordInvestigationUpdate, { ...base, investigators: ['zhangmin', 'chenjing', 'liuyang'], staff: facts(['zhangmin', 'chenjing', 'liuyang']) }, 'RuleViolation', 'R-APP-04');
      expect(approvers).toMatch(/chenjing is county_approver/);
      // (b) 乡、村两级: at least one of township level (here the facts say the recorder is a village assistant)
      const village = { zhangmin: { role: 'village_assistant', jurisdiction: '140599100201' } };
      const noTownship = await refused.expect(m.recordInvestigationUpdate, { ...base, staff: facts(['zhangmin', 'wangfang'], village) }, 'RuleViolation', 'R-APP-04');
      expect(noTownship).toMatch(/at least one investigator is township staff/);
      // (c) inactive staff are refused wherever they are named (issue 21 §2.3)
      const inactive = await refused.expect(m.recordInvestigationUpdate, { ...base, staff: facts(['zhangmin', 'wangfang'], { wangfang: { active: false } }) }, 'RuleViolation', 'R-APP-04');
      expect(inactive).toMatch(/wangfang is not active staff/);
      // staff of another township
      await refused.expect(m.recordInvestigationUpdate, { ...base, investigators: ['zhangmin', 'qs-tw1'], staff: facts(['zhangmin', 'qs-tw1']) }, 'RuleViolation', 'R-APP-04');
      // no facts at all, or facts for someone the command does not name: not what the API resolved
      await refused.expect(m.recordInvestigationUpdate, { ...base, staff: undefined }, 'Forbidden');
      await refused.expect(m.recordInvestigationUpdate, { ...base, staff: facts(['zhangmin', 'wangfang', 'liqiang']) }, 'Forbidden');
      await refused.noneInHistory();
      expect((await handle.query(m.stateQuery)).investigations).toEqual([]);
      const recorded = await handle.executeUpdate(m.recordInvestigationUpdate, { args: [{ ...base, staff: facts(['zhangmin', 'wangfang']) }] });
      expect(recorded.investigations).toHaveLength(1);
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });

  it('R-APP-08, R-APP-11: an inactive county visitor, an inactive approver, an inactive attendee or one outside the deciding body is refused, with nothing in history', async () => {
    const input = poorFamily();
    // liqiang's cousin: the case is specially filed (the county visits, 一事一议) and liqiang stays out of it
    input.nearRelativeDeclaration = { hasStaffRelatives: true, relations: [{ memberIdNumber: input.household.members[0].idNumber, staffId: 'liqiang', relation: 'cousin' }] };
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      const inv = investigation(input, { investigators: ['zhangmin', 'wangfang'] });
      await handle.executeUpdate(m.recordInvestigationUpdate, { args: [inv] });
      await waitForStep(handle, 'county_visit');
      const refused = refusedUpdates(handle);
      const visit = { actor: actors.countyCaseworker, visitors: ['zhaolei', 'sunli'], visitedOn: inv.visitedOn, findings: '县级入户核查属实' };
      const visitor = await refused.expect(m.recordCountyVisitUpdate, { ...visit, staff: facts(visit.visitors, { sunli: { active: false } }) }, 'RuleViolation', 'R-APP-08');
      expect(visitor).toMatch(/sunli is not active staff/);
      await handle.executeUpdate(m.recordCountyVisitUpdate, { args: [visit] });
      await handle.executeUpdate(m.townshipReviewUpdate, { args: review() });
      await waitForStep(handle, 'publicity');
      await tb.env.sleep(8 * DAY);
      await waitForStep(handle, 'county_decision');

      const held = { meeting: '县民政局2026年第20次局务会（一事一议）', meetingDate: inv.visitedOn, attendees: ['chenjing', 'liuyang'] };
      const vote = { ...approve(actors.approver1)[0], ...held };
      const approver = await refused.expect(m.approvalUpdate, { ...vote, staff: facts(held.attendees, { chenjing: { active: false } }) }, 'Forbidden', 'R-APP-11');
      expect(approver).toMatch(/chenjing is not active staff/);
      const attendee = await refused.expect(m.approvalUpdate, { ...vote, staff: facts(held.attendees, { liuyang: { active: false } }) }, 'RuleViolation', 'R-APP-11');
      expect(attendee).toMatch(/liuyang is not active staff/);
      // a township caseworker (who also investigated) does not sit in the county's deciding meeting
      await refused.expect(m.approvalUpdate, { ...vote, attendees: ['chenjing', 'zhangmin'], staff: facts(['chenjing', 'zhangmin']) }, 'RuleViolation', 'R-APP-11');
      await refused.noneInHistory();
      const at = await handle.query(m.stateQuery);
      expect(at.decisions.votes).toEqual([]);
      expect(at.decisions.meeting ?? null).toBeNull();
      const first = await handle.executeUpdate(m.approvalUpdate, { args: [vote] });
      expect(first.decisions.votes).toHaveLength(1);
    });
  });
});
