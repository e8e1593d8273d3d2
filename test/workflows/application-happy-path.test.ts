import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createTimeSkippingEnv, withWorker, realActivities, startTestAgency, type TestAgency } from '../helpers/temporal';
import { actors, poorFamily } from '../helpers/people';
import { approve, startApplication, walkToDecision } from '../helpers/application';
import * as m from '../../workflows/messages';

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let agency: TestAgency;
let run: (fn: (taskQueue: string) => Promise<void>) => Promise<void>;

beforeAll(async () => {
  [env, db, agency] = await Promise.all([createTimeSkippingEnv(), createTestDatabase(), startTestAgency()]);
  const activities = realActivities(db, agency);
  run = (fn) => withWorker(env, activities, fn);
});

afterAll(async () => {
  await env?.teardown();
  await agency?.close();
  await db?.drop();
});

describe('application: intake to enrolment', () => {
  it('R-APP-14: an approved household enters the roster whole, paid from the month after the decision', async () => {
    const input = poorFamily();
    await run(async (tq) => {
      const { handle, receipt } = await startApplication(env.client, input, tq);
      expect(receipt.step).toBe('verifying');
      expect(receipt.missingMaterials).toEqual([]);
      expect(receipt.deadlines.map((d) => d.name)).toEqual(['decision']);

      await walkToDecision(handle, input, (ms) => env.sleep(ms));
      await handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver1) });
      const after = await handle.executeUpdate(m.approvalUpdate, { args: approve(actors.approver3) });
      expect(after.step).toBe('enrolled');
      const outcome = await handle.result();
      expect(outcome.status).toBe('enrolled');

      const household = await db.prisma.household.findUniqueOrThrow({ where: { householdId: outcome.householdId! }, include: { members: true, account: true } });
      expect(household.members.map((x) => x.idNumber).sort()).toEqual(input.household.members.map((x) => x.idNumber).sort());
      expect(household.members.every((x) => x.covered)).toBe(true);
      const decidedOn = after.decisions.outcome!.decidedOn;
      const [y, mo] = decidedOn.split('-').map(Number);
      expect(household.paymentStartMonth).toBe(mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`);
      expect(household.account?.holderIdNumber).toBe(input.account!.holderIdNumber);
      const projected = await db.prisma.case.findUniqueOrThrow({ where: { caseId: input.caseId } });
      expect(projected.step).toBe('enrolled');
      expect(await db.prisma.openApplication.count({ where: { caseId: input.caseId } })).toBe(0);
    });
  });
});
