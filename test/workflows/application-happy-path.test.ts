import { TEST_DAY, workflowTestbed } from '../helpers/temporal';
import { actors, poorFamily } from '../helpers/people';
import { approve, startApplication, walkToDecision } from '../helpers/application';
import * as m from '../../workflows/application/messages';

const tb = workflowTestbed();

describe('application: intake to enrolment', () => {
  it('R-APP-14: an approved household enters the roster whole, paid from the month after the decision (decided 2026-03-10, paid from 2026-04)', async () => {
    const input = poorFamily();
    await tb.run(async (tq) => {
      const { handle, receipt } = await startApplication(tb.env.client, input, tq);
      expect(receipt.enteredOn).toBe(TEST_DAY); // the server's clock starts on Mon 2026-03-02 (TEST_EPOCH)
      expect(receipt.step).toBe('verifying');
      expect(receipt.missingMaterials).toEqual([]);
      expect(receipt.deadlines.map((d) => d.name)).toEqual(['decision']);

      await walkToDecision(handle, input, (ms) => tb.env.sleep(ms));
      await handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver1) });
      const after = await handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver3) });
      expect(after.step).toBe('enrolled');
      const outcome = await handle.result();
      expect(outcome.status).toBe('enrolled');

      const household = await tb.db.prisma.household.findUniqueOrThrow({ where: { householdId: outcome.householdId! }, include: { members: true, account: true } });
      expect(household.members.map((x) => x.idNumber).sort()).toEqual(input.household.members.map((x) => x.idNumber).sort());
      expect(household.members.every((x) => x.covered)).toBe(true);
      // decided after the 8 days walkToDecision waits through the publicity: Tue 2026-03-10; paid from April
      expect(after.decisions.outcome!.decidedOn).toBe('2026-03-10');
      expect(household.paymentStartMonth).toBe('2026-04');
      expect(household.account?.holderIdNumber).toBe(input.account!.holderIdNumber);
      const projected = await tb.db.prisma.case.findUniqueOrThrow({ where: { caseId: input.caseId } });
      expect(projected.step).toBe('enrolled');
      expect(await tb.db.prisma.openApplication.count({ where: { caseId: input.caseId } })).toBe(0);
    });
  });
});
