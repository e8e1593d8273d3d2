// The township review, publicity and collective approval: R-APP-05…07, R-APP-10, R-APP-11.
import { workflowTestbed } from '../helpers/temporal';
import { actors, member, poorFamily } from '../helpers/people';
import { approve, expectRefused, investigation, review, startApplication, waitForStep, walkToDecision } from '../helpers/application';
import * as m from '../../workflows/application/messages';

const tb = workflowTestbed();

const DAY = 86_400_000;
const sleep = (ms: number) => tb.env.sleep(ms);

describe('application: review, publicity, approval', () => {
  it('R-APP-10: an objection during publicity sends the case back to investigation and a new publicity', async () => {
    const input = poorFamily({ villageCode: '140521100201' }); // 沁水县: the 7-day publicity of national practice
    const local = <A extends { jurisdiction: string }>(a: A): A => ({ ...a, jurisdiction: '140521100' }); // its own township's staff
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, { ...input, actor: local(input.actor) }, tq);
      await waitForStep(handle, 'investigating');
      await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input)] });
      await handle.executeUpdate(m.townshipReviewUpdate, { args: [{ ...review()[0], actor: local(actors.caseworker) }] });
      const posted = await waitForStep(handle, 'publicity');
      expect(posted.publicity!.round).toBe(1);
      await sleep(2 * DAY);
      const objected = await handle.executeUpdate(m.objectionUpdate, { args: [{ actor: local(actors.caseworker2), summary: '村民反映申请人家有经营性货车', raisedBy: '村民王某' }] });
      expect(objected.step).toBe('investigating');
      await expectRefused(handle.executeUpdate(m.objectionUpdate, { args: [{ actor: local(actors.caseworker2), summary: 'again', raisedBy: '村民王某' }] }), 'WrongStep');

      await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input, { findings: '复查：货车系亲戚所有，情况属实' })] });
      await handle.executeUpdate(m.townshipReviewUpdate, { args: [{ ...review()[0], actor: local(actors.caseworker) }] });
      const again = await waitForStep(handle, 'publicity');
      expect(again.publicity!.round).toBe(2);
      expect(again.investigations.map((i) => i.round)).toEqual([1, 2]);
      await sleep(8 * DAY);
      await waitForStep(handle, 'county_decision');
      const actions = (await tb.db.prisma.auditEvent.findMany({ where: { caseId: input.caseId }, orderBy: { seq: 'asc' } })).map((e) => e.action);
      expect(actions.filter((a) => a === 'publicity.started')).toHaveLength(2);
      expect(actions).toContain('publicity.interrupted');
    });
  });

  it('R-APP-11: one approver is not enough; each votes once; two distinct approvers decide, at the figure of the income accounting', async () => {
    const input = poorFamily();
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      const atDecision = await walkToDecision(handle, input, sleep);
      const figure = atDecision.townshipReview!.maxMonthlyFen;
      expect(figure).toBe(160000); // nothing verified, wages of 50000 declared (they count, R-APP-05): 3 × 60000 − (50000 − 30000 illness)
      const one = await handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver1, figure) });
      expect(one.step).toBe('county_decision');
      expect(one.decisions.outcome).toBeNull();
      await expectRefused(handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver1, figure) }), 'WrongStep');
      const two = await handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver3) });
      expect(two.step).toBe('enrolled');
      expect(two.decisions.outcome).toMatchObject({ outcome: 'approve', monthlyFen: figure, approvers: ['chenjing', 'sunli'] });
    });
  });

  it('R-APP-11: with one approval and one rejection the case waits for a third vote', async () => {
    const input = poorFamily();
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await walkToDecision(handle, input, sleep);
      await handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver1) });
      const split = await handle.executeUpdate(m.approvalUpdate, { args: [{ actor: actors.approver3, decision: 'reject', reason: '收入核算存疑' }] });
      expect(split.step).toBe('county_decision');
      const leader = { id: 'zhoujie', name: '周杰', role: 'township_leader', jurisdiction: '140599100' };
      await expectRefused(handle.executeUpdate(m.approvalUpdate, { args: approve(leader) }), 'Forbidden'); // approval not delegated to townships here
      const third = await handle.executeUpdate(m.approvalUpdate, { args: [{ actor: actors.approver2, decision: 'approve', reason: '同意' }] });
      expect(third.step).toBe('enrolled');
    });
  });

  it('R-APP-05: the proposed amount is the figure, standard × members − net income (180000 − 20000 = 160000), neither above nor below it; an ineligible household cannot be proposed eligible', async () => {
    const input = poorFamily();
    const rich = poorFamily();
    await tb.agency.setPerson(input.household.members[0].idNumber, { incomes: [{ source: 'wages', monthlyFen: 50_000 }] });
    await tb.agency.setPerson(rich.household.members[0].idNumber, { incomes: [{ source: 'wages', monthlyFen: 300_000 }] });
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      const after = await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input)] });
      // 3 members, verified wages 50000 − the ill spouse's 30000 deducted in full (first tier, 100%) = 20000 net;
      // 3 × rural standard 60000 = 180000 → 160000 (no per-capita rounding first); 6666 per capita is display only
      expect(after.accounting).toMatchObject({ perCapitaFen: 6666, standardFen: 60000, householdStandardFen: 180000, netMonthlyFen: 20000, maxMonthlyFen: 160000 });
      await expectRefused(handle.executeUpdate(m.townshipReviewUpdate, { args: review('eligible', { proposedMonthlyFen: 160001 }) }), 'RuleViolation', 'R-APP-05');
      await expectRefused(handle.executeUpdate(m.townshipReviewUpdate, { args: review('eligible', { proposedMonthlyFen: 159000 }) }), 'RuleViolation', 'R-APP-05');
      const at = await handle.executeUpdate(m.townshipReviewUpdate, { args: review('eligible', { proposedMonthlyFen: 160000 }) });
      expect(at.townshipReview).toMatchObject({ proposedMonthlyFen: 160000, maxMonthlyFen: 160000 });
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });

      // verified wages 300000 − nothing deducted ≥ 180000: not eligible
      const h2 = (await startApplication(tb.env.client, rich, tq)).handle;
      await waitForStep(h2, 'investigating');
      const head = rich.household.members[0].idNumber;
      await h2.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(rich, { incomes: [{ memberIdNumber: head, monthlyFen: 300_000, source: 'wages' }], expenditures: [] })] });
      await expectRefused(h2.executeUpdate(m.townshipReviewUpdate, { args: review() }), 'RuleViolation', 'R-APP-05');
      const inel = await h2.executeUpdate(m.townshipReviewUpdate, { args: review('ineligible') });
      expect(inel.step).toBe('county_decision');
    });
  });

  it('R-APP-06: an eligible household cannot have only some of its members enrolled', async () => {
    const input = poorFamily();
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input)] });
      const some = input.household.members.slice(0, 2).map((x) => x.idNumber);
      await expectRefused(handle.executeUpdate(m.townshipReviewUpdate, { args: review('eligible', { coveredMembers: some }) }), 'RuleViolation', 'R-APP-06');
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });

  it('R-APP-07: in a near-threshold household a severely disabled member is enrolled alone as a single-person household', async () => {
    const head = member('赵大山', '1975-02-02', { relation: 'self', ableToWork: true });
    const disabled = member('赵小川', '2001-06-06', { relation: 'child', disabilityGrade: 1 });
    const input = poorFamily({ household: { residence: 'rural', members: [head, disabled] }, account: { bank: '农商银行', accountNo: '6230000000000000002', holderIdNumber: disabled.idNumber } });
    await tb.agency.setPerson(head.idNumber, { incomes: [{ source: 'wages', monthlyFen: 160_000 }] });
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      // verified wages 160000: not below 2 × 60000 = 120000, below 1.5 × 120000 = 180000 (near the threshold)
      const acc = await handle.executeUpdate(m.recordInvestigationUpdate, {
        args: [investigation(input, { incomes: [{ memberIdNumber: head.idNumber, monthlyFen: 160_000, source: 'wages' }], expenditures: [] })],
      });
      expect(acc.accounting).toMatchObject({ perCapitaFen: 80000, householdStandardFen: 120000, netMonthlyFen: 160000, eligibleWhole: false });
      await expectRefused(handle.executeUpdate(m.townshipReviewUpdate, { args: review('eligible', { coveredMembers: [head.idNumber] }) }), 'RuleViolation', 'R-APP-07');
      const single = await handle.executeUpdate(m.townshipReviewUpdate, { args: review('eligible', { coveredMembers: [disabled.idNumber] }) });
      expect(single.flags).toContain('single_person_household');
      expect(single.townshipReview).toMatchObject({ singlePerson: true, maxMonthlyFen: 60000, proposedMonthlyFen: 60000 });
      await sleep(8 * DAY);
      await waitForStep(handle, 'county_decision');
      await handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver1) });
      const done = await handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver3) });
      expect(done.step).toBe('enrolled');
      const hh = await tb.db.prisma.household.findUniqueOrThrow({ where: { householdId: done.decisions.enrolment!.householdId }, include: { members: true } });
      expect(hh.singlePerson).toBe(true);
      expect(hh.monthlyFen).toBe(60000);
      expect(hh.members.filter((x) => x.covered).map((x) => x.idNumber)).toEqual([disabled.idNumber]);
    });
  });

  it('R-APP-10: over an ineligible township opinion nothing was publicised, so the county may reject but not approve', async () => {
    const input = poorFamily();
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      const after = await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input)] });
      expect(after.accounting!.eligibleWhole).toBe(true); // eligible by the figures, but the township said no
      const inel = await handle.executeUpdate(m.townshipReviewUpdate, { args: review('ineligible') });
      expect(inel.step).toBe('county_decision');
      await expectRefused(handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver1) }), 'RuleViolation', 'R-APP-10');
      await handle.executeUpdate(m.approvalUpdate, { args: [{ actor: actors.approver1, decision: 'reject', reason: '同意乡镇意见' }] });
      const rejected = await handle.executeUpdate(m.approvalUpdate, { args: [{ actor: actors.approver3, decision: 'reject', reason: '同意乡镇意见' }] });
      expect(rejected.step).toBe('rejected');
      const actions = (await tb.db.prisma.auditEvent.findMany({ where: { caseId: input.caseId } })).map((e) => e.action);
      expect(actions.filter((a) => a.startsWith('publicity'))).toEqual([]);
    });
  });

  // Two updates sent at once reach the workflow in either order: each race below is built so that both
  // orders give the same outcome, and the test asserts that one outcome (never "whichever came first").
  it('R-APP-10: two eligible township opinions sent at once: one is recorded and starts the publicity, the other is refused as a wrong step', async () => {
    const input = poorFamily();
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input)] });
      const results = await Promise.allSettled([
        handle.executeUpdate(m.townshipReviewUpdate, { args: review('eligible') }),
        handle.executeUpdate(m.townshipReviewUpdate, { args: [{ ...review('eligible')[0], actor: actors.leader }] }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      await expectRefused(Promise.reject((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason), 'WrongStep');
      expect(await tb.db.prisma.auditEvent.count({ where: { caseId: input.caseId, action: 'township_review.recorded' } })).toBe(1);
      const v = await waitForStep(handle, 'publicity');
      expect(v.townshipReview!.opinion).toBe('eligible');
      expect(v.publicity!.round).toBe(1);
    });
  });

  it('R-APP-11: after a split vote, two approvals sent at once decide the case once: it is enrolled at the figure, and the later vote is refused as a wrong step', async () => {
    const input = poorFamily();
    const fourth = { id: 'wujun', name: '吴军', role: 'county_approver', jurisdiction: '140599' }; // a test-only approver of the county (test/helpers/staff-register.ts)
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      const atDecision = await walkToDecision(handle, input, sleep);
      await handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver1) });
      await handle.executeUpdate(m.approvalUpdate, { args: [{ actor: actors.approver3, decision: 'reject', reason: '存疑' }] });
      const results = await Promise.allSettled([
        handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver2) }),
        handle.executeUpdate(m.approvalUpdate, { args: approve(fourth) }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      await expectRefused(Promise.reject((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason), 'WrongStep');
      const decided = await tb.db.prisma.auditEvent.findMany({ where: { caseId: input.caseId, action: 'application.decided' } });
      expect(decided).toHaveLength(1);
      expect(decided[0].data).toMatchObject({ outcome: 'approve' });
      const v = await waitForStep(handle, 'enrolled');
      expect(v.decisions.outcome).toMatchObject({ outcome: 'approve', monthlyFen: atDecision.townshipReview!.maxMonthlyFen });
      expect(await tb.db.prisma.household.count({ where: { caseId: input.caseId } })).toBe(1);
    });
  });

  it('R-APP-10: an objection after the publicity has ended is refused', async () => {
    // a case of the real county 140521 (seven days of publicity), handled by its own township's staff
    const input = poorFamily({ villageCode: '140521100201' });
    const local = <A extends { jurisdiction: string }>(a: A): A => ({ ...a, jurisdiction: '140521100' });
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, { ...input, actor: local(input.actor) }, tq);
      await waitForStep(handle, 'investigating');
      await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input)] });
      const posted = await handle.executeUpdate(m.townshipReviewUpdate, { args: [{ ...review()[0], actor: local(actors.caseworker) }] });
      await sleep(Date.parse(posted.publicity!.until) - (await tb.env.currentTimeMs()) + 1);
      await expectRefused(handle.executeUpdate(m.objectionUpdate, { args: [{ actor: local(actors.caseworker2), summary: '迟到的异议', raisedBy: '村民李某' }] }), 'WrongStep');
      expect((await waitForStep(handle, 'county_decision')).publicity!.objections).toEqual([]);
    });
  });
});
