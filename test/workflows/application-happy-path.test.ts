import { workflowTestbed } from '../helpers/temporal';
import { actors, poorFamily } from '../helpers/people';
import { approve, startApplication, walkToDecision } from '../helpers/application';
import * as m from '../../workflows/messages';

const tb = workflowTestbed();

describe('application: intake to enrolment', () => {
  it('R-APP-14: an approved household enters the roster whole, paid from the month after the decision', async () => {
    const input = poorFamily();
    await tb.run(async (tq) => {
      const { handle, receipt } = await startApplication(tb.env.client, input, tq);
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
      const decidedOn = after.decisions.outcome!.decidedOn;
      const [y, mo] = decidedOn.split('-').map(Number);
      expect(household.paymentStartMonth).toBe(mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`);
      expect(household.account?.holderIdNumber).toBe(input.account!.holderIdNumber);
      const projected = await tb.db.prisma.case.findUniqueOrThrow({ where: { caseId: input.caseId } });
      expect(projected.step).toBe('enrolled');
      expect(await tb.db.prisma.openApplication.count({ where: { caseId: input.caseId } })).toBe(0);
    });
  });
});
