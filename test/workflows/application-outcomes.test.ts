// The right outcome for the citizen (issue 15 §2): counted income, deductions, the amount, single-person
// households and TEKUN support, by the corrected rules (R-APP-05, R-APP-07, TEKUN), on the time-skipping
// server with the real activities and the sandbox verification agency.
import { workflowTestbed } from '../helpers/temporal';
import { actors, allMaterials, member, poorFamily } from '../helpers/people';
import { approve, expectRefused, investigation, review, startApplication, waitForStep, walkToDecision } from '../helpers/application';
import * as m from '../../workflows/application/messages';
import type { ApplicationInput } from '../../workflows/application/state';

const tb = workflowTestbed();
const DAY = 86_400_000;
const sleep = (ms: number) => tb.env.sleep(ms);
const wages = (idNumber: string, monthlyFen: number) => tb.agency.setPerson(idNumber, { incomes: [{ source: 'wages', monthlyFen }] });

/** The refusal's field errors (the 422's `errors`). */
async function refusedPaths(p: Promise<unknown>, rule: string): Promise<string[]> {
  try {
    await p;
  } catch (err) {
    const details = (err as { cause?: { details?: { rule?: string; errors?: { path: string }[] }[] } }).cause?.details?.[0];
    expect(details?.rule).toBe(rule);
    return (details?.errors ?? []).map((e) => e.path);
  }
  throw new Error(`expected a ${rule} refusal`);
}

describe('application: the right outcome (issue 15 §2)', () => {
  it('R-APP-05: a laid-off worker whose agency record still shows the old wage (300000) is eligible on the documented lower income (80000): 180000 − (80000 − 30000) = 130000', async () => {
    const input = poorFamily();
    const head = input.household.members[0];
    await wages(head.idNumber, 300_000);
    const drop = { memberIdNumber: head.idNumber, monthlyFen: 80_000, reason: '企业裁员，2026年1月起失业，现打零工', evidence: '解除劳动合同证明书（2025-12-31）' };
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      // a "drop" not below the verified figure, or without its evidence, is refused with its field
      const notLower = refusedPaths(handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input, { incomeDrops: [{ ...drop, monthlyFen: 300_000 }] })] }), 'R-APP-05');
      expect(await notLower).toEqual(['incomeDrops[0].monthlyFen']);
      const noEvidence = refusedPaths(handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input, { incomeDrops: [{ ...drop, evidence: ' ' }] })] }), 'R-APP-05');
      expect(await noEvidence).toEqual(['incomeDrops[0].evidence']);

      const after = await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input, { incomeDrops: [drop] })] });
      // counted: 80000 (the documented current income replaces the verified 300000); the ill spouse's 30000 deducted
      expect(after.accounting).toMatchObject({ grossMonthlyFen: 80_000, netMonthlyFen: 50_000, householdStandardFen: 180_000, eligibleWhole: true, maxMonthlyFen: 130_000, incomeDrops: [head.idNumber] });
      expect(after.flags).toContain('income_drop_documented');
      const audited = await tb.db.prisma.auditEvent.findMany({ where: { caseId: input.caseId, action: 'accounting.income_drop' } });
      expect(audited).toHaveLength(1);
      expect(audited[0].actor).toBe('zhangmin');
      expect(audited[0].data).toMatchObject({ members: [head.idNumber], drops: [drop] });
      const reviewed = await handle.executeUpdate(m.townshipReviewUpdate, { args: review() });
      expect(reviewed.townshipReview).toMatchObject({ opinion: 'eligible', proposedMonthlyFen: 130_000 });
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });

  it('R-APP-05: a single adult with no ill member and no student who deducts illness and schooling spending is refused, the fields named; counted without them, 70000 is not below the 60000 standard', async () => {
    const single = member('孙一人', '1985-04-04', { relation: 'self', ableToWork: true });
    const input = poorFamily({ household: { residence: 'rural', members: [single] }, account: { bank: '农商银行', accountNo: '6230000000000000009', holderIdNumber: single.idNumber } });
    await wages(single.idNumber, 70_000);
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      const deducting = investigation(input, {
        incomes: [{ memberIdNumber: single.idNumber, monthlyFen: 70_000, source: 'wages' }],
        expenditures: [
          { kind: 'illness', monthlyFen: 20_000, memberIdNumber: single.idNumber },
          { kind: 'schooling', monthlyFen: 15_000 },
        ],
      });
      expect(await refusedPaths(handle.executeUpdate(m.recordInvestigationUpdate, { args: [deducting] }), 'R-APP-05')).toEqual([
        'expenditures[0].memberIdNumber',
        'expenditures[1].memberIdNumber',
      ]);
      expect((await handle.query(m.stateQuery)).investigations).toEqual([]); // nothing recorded
      const honest = await handle.executeUpdate(m.recordInvestigationUpdate, { args: [{ ...deducting, expenditures: [] }] });
      expect(honest.accounting).toMatchObject({ netMonthlyFen: 70_000, householdStandardFen: 60_000, eligibleWhole: false, maxMonthlyFen: 0 });
      await expectRefused(handle.executeUpdate(m.townshipReviewUpdate, { args: review() }), 'RuleViolation', 'R-APP-05');
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });

  it('R-APP-05: an approval 1,000 fen below the figure (159000 for 160000) is refused; the figure is approved and paid', async () => {
    const input = poorFamily();
    await wages(input.household.members[0].idNumber, 50_000);
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      const atDecision = await walkToDecision(handle, input, sleep);
      expect(atDecision.townshipReview!.maxMonthlyFen).toBe(160_000); // 3 × 60000 − (50000 − 30000)
      const message = await expectRefused(handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver1, 159_000) }), 'RuleViolation', 'R-APP-05');
      expect(message).toMatch(/159000 fen is below the 160000 fen/);
      await expectRefused(handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver1, 160_001) }), 'RuleViolation', 'R-APP-05');
      await handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver1, 160_000) });
      const done = await handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver3) });
      expect(done.step).toBe('enrolled');
      expect(done.decisions.outcome).toMatchObject({ monthlyFen: 160_000 });
      const hh = await tb.db.prisma.household.findUniqueOrThrow({ where: { householdId: done.decisions.enrolment!.householdId } });
      expect(hh.monthlyFen).toBe(160_000);
    });
  });

  it('R-APP-07: two severely disabled members of a near-threshold household are each covered as a 单人户 (60000 each, 120000); the uncovered head may still apply (the duplicate check counts covered members only)', async () => {
    const head = member('钱大江', '1972-03-03', { relation: 'self', ableToWork: true });
    const son = member('钱小河', '1999-09-09', { relation: 'child', disabilityGrade: 1 });
    const mother = member('吴桂兰', '1948-08-08', { relation: 'parent', disabilityGrade: 2 });
    const input = poorFamily({
      household: { residence: 'rural', members: [head, son, mother] },
      account: { bank: '农商银行', accountNo: '6230000000000000007', holderIdNumber: son.idNumber },
    });
    await wages(head.idNumber, 200_000);
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      // verified 200000: not below 3 × 60000 = 180000, below 1.5 × 180000 = 270000 (near the threshold)
      const acc = await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input, { incomes: [{ memberIdNumber: head.idNumber, monthlyFen: 200_000, source: 'wages' }] })] });
      expect(acc.accounting).toMatchObject({
        netMonthlyFen: 200_000,
        eligibleWhole: false,
        singlePersonCandidates: [
          { idNumber: son.idNumber, maxMonthlyFen: 60_000 },
          { idNumber: mother.idNumber, maxMonthlyFen: 60_000 },
        ],
      });
      const both = await handle.executeUpdate(m.townshipReviewUpdate, { args: review('eligible', { coveredMembers: [son.idNumber, mother.idNumber] }) });
      expect(both.townshipReview).toMatchObject({
        singlePerson: true,
        coveredMembers: [son.idNumber, mother.idNumber],
        maxMonthlyFen: 120_000,
        proposedMonthlyFen: 120_000,
        perMember: [
          { idNumber: son.idNumber, monthlyFen: 60_000 },
          { idNumber: mother.idNumber, monthlyFen: 60_000 },
        ],
      });
      await sleep(8 * DAY);
      await waitForStep(handle, 'county_decision');
      await handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver1) });
      const done = await handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver3) });
      expect(done.step).toBe('enrolled');
      const hh = await tb.db.prisma.household.findUniqueOrThrow({ where: { householdId: done.decisions.enrolment!.householdId }, include: { members: true } });
      expect(hh).toMatchObject({ singlePerson: true, monthlyFen: 120_000 });
      expect(hh.members.filter((x) => x.covered).map((x) => x.idNumber).sort()).toEqual([son.idNumber, mother.idNumber].sort());

      // the head is not covered: his own application is not refused as "already a recipient"
      const alone: ApplicationInput = poorFamily({ household: { residence: 'rural', members: [head] }, account: undefined });
      const { receipt } = await startApplication(tb.env.client, alone, tq);
      expect(receipt.status).toBe('open');
      // a covered member is: refused
      const again = poorFamily({ household: { residence: 'rural', members: [{ ...son, relation: 'self' }] }, account: undefined });
      expect(await expectRefused(startApplication(tb.env.client, again, tq), 'Conflict')).toMatch(/already a recipient/);
      await tb.env.client.workflow.getHandle(`application-${alone.caseId}`).executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });

  describe('TEKUN: a grandfather (76, partial care) living with a son who earns 5,000 yuan a month', () => {
    const family = () => {
      const grandfather = member('周老汉', '1950-01-15', { relation: 'self', ableToWork: false });
      const son = member('周建设', '1980-06-06', { relation: 'child', ableToWork: true });
      const household = { residence: 'rural' as const, members: [grandfather, son] };
      const input = poorFamily({
        programme: 'TEKUN',
        household,
        materials: ['application_form', 'id_documents', 'incapacity_evidence', 'applicant_pledge', ...allMaterials(household).filter((x) => x.includes(':'))],
        account: { bank: '农商银行', accountNo: '6230000000000000011', holderIdNumber: grandfather.idNumber },
      });
      return { grandfather, son, input };
    };
    const tekunInvestigation = (input: ApplicationInput, grandfather: string, son: string, extra: Partial<m.InvestigationInput> = {}) =>
      investigation(input, {
        incomes: [{ memberIdNumber: son, monthlyFen: 500_000, source: 'wages' }],
        expenditures: [],
        careGrades: [{ memberIdNumber: grandfather, grade: 'partial_care' }],
        ...extra,
      });

    it('TEKUN: with the son able and earning 500000 fen and no finding, no member meets the 特困 conditions and an eligible opinion is refused', async () => {
      const { grandfather, son, input } = family();
      await wages(son.idNumber, 500_000);
      await tb.run(async (tq) => {
        const { handle, receipt } = await startApplication(tb.env.client, input, tq);
        expect(receipt.missingMaterials).toEqual([]);
        await waitForStep(handle, 'investigating');
        const acc = await handle.executeUpdate(m.recordInvestigationUpdate, { args: [tekunInvestigation(input, grandfather.idNumber, son.idNumber)] });
        expect(acc.accounting).toMatchObject({
          tekunPersons: [],
          maxMonthlyFen: 0,
          tekunSupporters: [{ idNumber: son.idNumber, role: 'member', monthlyFen: 500_000, foundUnable: false }],
        });
        await expectRefused(handle.executeUpdate(m.townshipReviewUpdate, { args: review() }), 'RuleViolation', 'R-APP-05');
        const inel = await handle.executeUpdate(m.townshipReviewUpdate, { args: review('ineligible', { reason: '有赡养能力的法定赡养人' }) });
        expect(inel.step).toBe('county_decision');
      });
    });

    it('TEKUN: a recorded finding that the son cannot fulfil the duty makes the grandfather eligible at basic 78000 + partial care 25000 = 103000; he is enrolled alone, centralised in the named institution', async () => {
      const { grandfather, son, input } = family();
      await wages(son.idNumber, 500_000);
      await tb.run(async (tq) => {
        const { handle } = await startApplication(tb.env.client, input, tq);
        await waitForStep(handle, 'investigating');
        // a finding naming nobody of the household is refused with its field
        const stranger = member('外人', '1979-01-01').idNumber;
        const bad = tekunInvestigation(input, grandfather.idNumber, son.idNumber, { supporterFindings: [{ supporterIdNumber: stranger, reason: '—' }] });
        expect(await refusedPaths(handle.executeUpdate(m.recordInvestigationUpdate, { args: [bad] }), 'R-APP-05')).toEqual(['supporterFindings[0].supporterIdNumber']);
        const finding = { supporterIdNumber: son.idNumber, reason: '长期在外务工，经法院判决仍拒不履行赡养义务，无法执行', evidence: '（2026）晋0599民初123号判决书及执行终结裁定' };
        const acc = await handle.executeUpdate(m.recordInvestigationUpdate, { args: [tekunInvestigation(input, grandfather.idNumber, son.idNumber, { supporterFindings: [finding] })] });
        expect(acc.accounting).toMatchObject({
          tekunPersons: [grandfather.idNumber],
          tekunAmounts: [{ idNumber: grandfather.idNumber, careGrade: 'partial_care', basicFen: 78_000, careFen: 25_000, monthlyFen: 103_000 }],
          tekunSupporters: [{ idNumber: son.idNumber, foundUnable: true }],
          maxMonthlyFen: 103_000,
        });
        const reviewed = await handle.executeUpdate(m.townshipReviewUpdate, { args: review() });
        expect(reviewed.townshipReview).toMatchObject({ coveredMembers: [grandfather.idNumber], proposedMonthlyFen: 103_000 });
        await sleep(8 * DAY);
        await waitForStep(handle, 'county_decision');
        // the approval records the support mode (a centralised person's money goes to the institution)
        await expectRefused(handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver1) }), 'RuleViolation', 'TEKUN');
        const support = { mode: 'centralised' as const, institution: { name: '培训演示县敬老院', code: 'JLY-140599-01' } };
        await handle.executeUpdate(m.approvalUpdate, { args: [{ ...approve(actors.approver1)[0], support }] });
        await expectRefused(handle.executeUpdate(m.approvalUpdate, { args: [{ ...approve(actors.approver3)[0], support: { mode: 'dispersed' } }] }), 'RuleViolation', 'R-APP-11');
        const done = await handle.executeUpdate(m.approvalUpdate, { args: [{ ...approve(actors.approver3)[0], support }] });
        expect(done.decisions.outcome).toMatchObject({ outcome: 'approve', monthlyFen: 103_000, coveredMembers: [grandfather.idNumber], support });
        expect(done.decisions.enrolment!.tekun).toEqual([{ idNumber: grandfather.idNumber, careGrade: 'partial_care', basicFen: 78_000, careFen: 25_000, monthlyFen: 103_000, support }]);
        const hh = await tb.db.prisma.household.findUniqueOrThrow({ where: { householdId: done.decisions.enrolment!.householdId }, include: { members: true } });
        expect(hh.members.filter((x) => x.covered).map((x) => x.idNumber)).toEqual([grandfather.idNumber]);
      });
    });
  });
});
