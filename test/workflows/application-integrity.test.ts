// Who may act, and on what: R-APP-01…04, R-APP-08, R-APP-09, one open application per person.
import { workflowTestbed } from '../helpers/temporal';
import { actors, allMaterials, authorisations, member, poorFamily } from '../helpers/people';
import { approve, expectRefused, investigation, review, startApplication, waitForStep } from '../helpers/application';
import * as m from '../../workflows/application/messages';

const tb = workflowTestbed();

describe('application: integrity of the steps', () => {
  it('R-APP-01, R-APP-17: every missing material (the pledge and each member\'s authorisation among them) is told once at intake, and the case waits for the supplements instead of being rejected', async () => {
    const input = poorFamily({ materials: ['application_form'] });
    const perPerson = authorisations(input.household);
    await tb.run(async (tq) => {
      const { handle, receipt } = await startApplication(tb.env.client, input, tq);
      expect(receipt.step).toBe('awaiting_materials');
      expect(perPerson).toHaveLength(3);
      expect(receipt.missingMaterials).toEqual(['id_documents', 'income_statement', 'applicant_pledge', ...perPerson]);
      expect(receipt.deadlines).toEqual([]); // not accepted yet: the decision clock has not started

      const partly = await handle.executeUpdate(m.supplementMaterialsUpdate, { args: [{ actor: actors.caseworker, materials: ['id_documents', perPerson[0]] }] });
      expect(partly.step).toBe('awaiting_materials');
      expect(partly.missingMaterials).toEqual(['income_statement', 'applicant_pledge', perPerson[1], perPerson[2]]);
      const complete = await handle.executeUpdate(m.supplementMaterialsUpdate, {
        args: [{ actor: actors.caseworker, materials: ['income_statement', 'applicant_pledge', perPerson[1], perPerson[2]] }],
      });
      expect(complete.missingMaterials).toEqual([]);
      expect(complete.acceptedOn).not.toBeNull();
      expect(complete.deadlines.map((d) => d.name)).toEqual(['decision']);
      const notices = await tb.db.prisma.auditEvent.findMany({ where: { caseId: input.caseId, action: 'application.received' } });
      expect(notices).toHaveLength(1);
      expect((notices[0].data as { missingMaterials: string[] }).missingMaterials).toHaveLength(6);
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });

  it('R-APP-03, R-APP-17: the agency checks every member and every obligor, each of whom gave an authorisation; an approval before the township review is a wrong step', async () => {
    const input = poorFamily();
    input.household.obligors = [{ name: '王大伟', idNumber: member('王大伟', '1990-05-12').idNumber, relation: 'son' }];
    input.materials = allMaterials(input.household); // the obligor's authorisation too (R-APP-17)
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      const v = await handle.query(m.stateQuery);
      expect(v.verification.status).toBe('completed');
      const ids = v.verification.report!.subjects.map((s) => `${s.role}:${s.idNumber}`).sort();
      expect(ids).toEqual([...input.household.members.map((x) => `member:${x.idNumber}`), `obligor:${input.household.obligors![0].idNumber}`].sort());
      await expectRefused(handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver1) }), 'WrongStep');
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });

  it('R-APP-04: a home investigation by one person (the same id twice) is refused, by two distinct people accepted', async () => {
    const input = poorFamily();
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      await expectRefused(
        handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input, { investigators: ['zhangmin', 'zhangmin'] })] }),
        'RuleViolation',
        'R-APP-04',
      );
      const after = await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input)] });
      expect(after.step).toBe('township_review');
      expect(after.accounting!.eligibleWhole).toBe(true);
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });

  it('R-APP-09: staff with a registered near relative in the household may neither investigate nor approve; the case is specially filed (R-APP-08)', async () => {
    // seed: county approver liuyang registered his sibling 140599198707070579 (prisma/seed/demo.json)
    const input = poorFamily();
    input.household.members.push({ name: '刘小梅', idNumber: '140599198707070579', relation: 'other', birthDate: '1987-07-07' });
    input.nearRelativeDeclaration = { hasStaffRelatives: true, relations: [{ memberIdNumber: input.household.members[0].idNumber, staffId: 'liqiang', relation: 'cousin' }] };
    input.materials = allMaterials(input.household);
    await tb.run(async (tq) => {
      const { handle, receipt } = await startApplication(tb.env.client, input, tq);
      expect(receipt.flags).toContain('special_filing');
      expect(receipt.specialFiling).toContain('staff_near_relative');
      await waitForStep(handle, 'investigating');
      // liqiang is a declared cousin of the applicant: may not investigate (R-APP-09)
      await expectRefused(handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input)] }), 'RuleViolation', 'R-APP-09');
      const inv = investigation(input, { investigators: ['zhangmin', 'wangfang'] });
      const afterInvestigation = await handle.executeUpdate(m.recordInvestigationUpdate, { args: [inv] });
      // R-APP-08: the county visits a specially filed case itself, before the township review
      expect(afterInvestigation.step).toBe('county_visit');
      await expectRefused(handle.executeUpdate(m.townshipReviewUpdate, { args: review() }), 'WrongStep');
      const visited = await handle.executeUpdate(m.recordCountyVisitUpdate, {
        args: [{ actor: actors.countyCaseworker, visitors: ['zhaolei', 'chenjing'], visitedOn: inv.visitedOn, findings: '县级入户核查属实' }], // R-APP-08: ≥ 2 county staff
      });
      expect(visited.step).toBe('township_review');
      // liqiang may not give the township's opinion either
      await expectRefused(handle.executeUpdate(m.townshipReviewUpdate, { args: [{ ...review()[0], actor: actors.caseworker2 }] }), 'Forbidden', 'R-APP-09');
      await handle.executeUpdate(m.townshipReviewUpdate, { args: review() });
      await waitForStep(handle, 'publicity');
      await tb.env.sleep(8 * 86_400_000);
      await waitForStep(handle, 'county_decision');
      const meeting = '县民政局2026年第12次局务会（一事一议）';
      await expectRefused(handle.executeUpdate(m.approvalUpdate, { args: [{ ...approve(actors.approver2)[0], meeting }] }), 'Forbidden', 'R-APP-09');
      // R-APP-11: a specially filed case is decided one by one at a meeting, which each vote names
      await expectRefused(handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver1) }), 'RuleViolation', 'R-APP-11');
      // the first vote records the meeting: its date and attendees (R-APP-11)
      await handle.executeUpdate(m.approvalUpdate, { args: [{ ...approve(actors.approver1)[0], meeting, meetingDate: inv.visitedOn, attendees: ['chenjing', 'sunli'] }] });
      const done = await handle.executeUpdate(m.approvalUpdate, { args: [{ ...approve(actors.approver3)[0], meeting }] });
      expect(done.step).toBe('enrolled');
      expect(done.decisions.outcome!.approvers).toEqual(['chenjing', 'sunli']);
    });
  });

  it('R-APP-08: a consumer vehicle found by the verification agency makes the case special and needs the county visit', async () => {
    const input = poorFamily();
    await tb.agency.setPerson(input.household.members[0].idNumber, { vehicles: [{ kind: 'consumer', plate: '晋E·A0001', valueFen: 4_000_000 }] });
    await tb.run(async (tq) => {
      const { handle, receipt } = await startApplication(tb.env.client, input, tq);
      expect(receipt.specialFiling).toEqual([]);
      await waitForStep(handle, 'investigating');
      // the step is set as the flow wakes, the agency's report is read into the context just after: the
      // investigation applies once the flow is at rest, so its answer shows the context read (no race)
      const after = await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input)] });
      expect(after.specialFiling).toEqual(['consumer_vehicle']);
      expect(after.flags).toContain('special_filing');
      expect(after.step).toBe('county_visit');
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });

  it('one open application per person: a second application for a member of an open case is refused, and a withdrawal frees the members', async () => {
    const first = poorFamily();
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, first, tq);
      const second = poorFamily({ household: { residence: 'rural', members: [first.household.members[1]] }, account: undefined });
      second.household.members[0] = { ...second.household.members[0], relation: 'self' };
      const refusal = await expectRefused(startApplication(tb.env.client, second, tq), 'Conflict');
      expect(refusal).toContain(first.caseId);
      expect(await tb.db.prisma.case.findUnique({ where: { caseId: second.caseId } })).toBeNull();

      const withdrawn = await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: '申请人撤回' }] });
      expect(withdrawn.step).toBe('withdrawn');
      expect((await handle.result()).status).toBe('withdrawn');
      expect(await tb.db.prisma.openApplication.count({ where: { caseId: first.caseId } })).toBe(0);
      const third = poorFamily({ household: second.household, account: undefined });
      const { receipt } = await startApplication(tb.env.client, third, tq);
      expect(receipt.status).toBe('open');
      await tb.env.client.workflow.getHandle(`application-${third.caseId}`).executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });

  it('R-APP-04: the investigation is recorded by a township caseworker; a village assistant takes part but may not record it', async () => {
    const input = poorFamily();
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      const assistant = { id: 'wangfang', name: '王芳', role: 'village_assistant', jurisdiction: '140599100201' };
      await expectRefused(handle.executeUpdate(m.recordInvestigationUpdate, { args: [{ ...investigation(input), actor: assistant }] }), 'Forbidden');
      const recorded = await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input, { investigators: ['zhangmin', 'wangfang'] })] });
      expect(recorded.investigations[0].investigators).toEqual(['zhangmin', 'wangfang']);
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });
});
