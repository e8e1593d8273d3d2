// R-REV-03, R-REV-04: a township's monthly change reports on the time-skipping server (which starts on
// Monday 2 March 2026, 09:00 China time) with the real activities and PostgreSQL; `review` is a stub.
import crypto from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createTimeSkippingEnv, withFreshEnv } from '../helpers/temporal';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { changeReportWorker, reviewStubBundle } from '../helpers/change-reports';
import { idNumberFor } from '../helpers/people';
import type { changeReports } from '../../workflows/change-reports/change-reports';
import { changeReportsQuery, changeReportsWorkflowId, checkTownshipUpdate, reportHouseholdUpdate, reportVillageUpdate } from '../../workflows/change-reports/messages';

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let code: string;
let queues = 0;

beforeAll(async () => {
  [env, db, code] = await Promise.all([createTimeSkippingEnv(), createTestDatabase(), reviewStubBundle()]);
});
afterAll(async () => {
  await env?.teardown();
  await db?.drop();
});

const MONTH = '2026-03';
/** the other tests' month, on the file's shared server (the deadline test runs on a server of its own) */
const LATER = '2026-04';
const assistant = (village: string) => ({ id: `va-${village}`, name: '村协理员', role: 'village_assistant', jurisdiction: village });
const caseworker = (township: string) => ({ id: `tw-${township}`, name: '乡镇经办', role: 'township_caseworker', jurisdiction: township });

async function withMonth(
  township: string,
  month: string,
  fn: (h: ReturnType<typeof env.client.workflow.getHandle<typeof changeReports>>, worker: Worker) => Promise<void>,
  on: TestWorkflowEnvironment = env,
): Promise<void> {
  const taskQueue = `change-reports-${process.pid}-${++queues}`;
  const worker = await changeReportWorker(on, db.prisma, code, taskQueue);
  const workflowId = `${changeReportsWorkflowId(township, month)}-${crypto.randomUUID().slice(0, 8)}`;
  await worker.runUntil(async () => {
    const h = await on.client.workflow.start<typeof changeReports>('changeReports', { taskQueue, workflowId, args: [{ townshipCode: township, month }] });
    try {
      await fn(on.client.workflow.getHandle<typeof changeReports>(h.workflowId), worker);
    } finally {
      await h.terminate('test finished').catch(() => undefined);
    }
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// on a server of its own, on 2 March whatever ran before (a stub review's result lets the shared one skip time)
it('R-REV-03: a village that has not reported by the 20th is overdue and escalated to its township; the township’s check after month end is overdue and escalated to the county', async () => {
  const [v1, v2] = ['140521100201', '140521100202'];
  await withFreshEnv((own) => withMonth('140521100', MONTH, async (h) => {
    const reported = await h.executeUpdate(reportVillageUpdate, { args: [{ actor: assistant(v1), month: MONTH, villageCode: v1, households: [{ householdId: 'hh-v1', villageCode: v1, changes: [] }] }] as never });
    expect(reported).toMatchObject({ villagesReported: [v1], villagesMissing: [v2], checked: false });
    const rows = () => db.prisma.deadline.findMany({ where: { workflowId: h.workflowId }, orderBy: { name: 'asc' } });
    expect((await rows()).map((r) => [r.name, r.kind, r.jurisdiction, r.dueOn.toISOString().slice(0, 10)])).toEqual([
      ['township_check', 'change_report', '140521100', '2026-03-31'],
      [`village_report:${v1}`, 'change_report', v1, '2026-03-20'],
      [`village_report:${v2}`, 'change_report', v2, '2026-03-20'],
    ]);

    await own.sleep('19 days'); // to 21 March
    const late = await until('the village deadline lapsed', async () => (await rows()).find((r) => r.name === `village_report:${v2}` && r.overdueSince));
    expect(late).toMatchObject({ escalatedTo: 'township@140521100', closedAt: null });
    const done = (await rows()).find((r) => r.name === `village_report:${v1}`)!;
    expect(done.overdueSince).toBeNull();
    expect(done.closedAt).not.toBeNull();
    expect((await rows()).find((r) => r.name === 'township_check')!.overdueSince).toBeNull();

    await own.sleep('12 days'); // to 2 April
    const check = await until('the township check lapsed', async () => (await rows()).find((r) => r.name === 'township_check' && r.overdueSince));
    expect(check).toMatchObject({ escalatedTo: 'county@140521', closedAt: null });
    expect((await h.query(changeReportsQuery)).deadlines.filter((d) => d.overdue).map((d) => d.name)).toEqual([`village_report:${v2}`, 'township_check']);

    // both come in late: recorded as late, and the month closes
    const checked = await h.executeUpdate(checkTownshipUpdate, { args: [{ actor: caseworker('140521100'), month: MONTH, summary: '已审核上报县民政局' }] as never });
    expect(checked).toMatchObject({ checked: true, villagesMissing: [v2] });
    await h.executeUpdate(reportVillageUpdate, { args: [{ actor: assistant(v2), month: MONTH, villageCode: v2, households: [{ householdId: 'hh-v2', villageCode: v2, changes: [] }] }] as never });
    expect((await h.result()).step).toBe('closed');
    const closed = await rows();
    expect(closed.every((r) => r.closedAt !== null)).toBe(true);
    expect(closed.filter((r) => r.overdueSince).map((r) => r.name)).toEqual(['township_check', `village_report:${v2}`]);
  }, own));
});

it('R-REV-04: a reported income change starts one review, reporting it again starts none; a death is recorded for the death stop and starts nothing', async () => {
  const village = '140521101201';
  const member = idNumberFor('1960-05-06', '140521');
  await withMonth('140521101', LATER, async (h) => {
    const change = { kind: 'income' as const, memberIdNumber: member, summary: '外出务工，月收入增加', monthlyFen: 150000 };
    const first = await h.executeUpdate(reportHouseholdUpdate, { args: [{ actor: assistant(village), month: LATER, household: { householdId: 'hh-income', villageCode: village, changes: [change] } }] as never });
    const [f] = first.followUps;
    expect(f).toMatchObject({ householdId: 'hh-income', followUp: 'review', alreadyOpen: false });
    expect(f.reviewWorkflowId).toMatch(/^review-hh-income-report-2026-04-/);
    const runId = (await env.client.workflow.getHandle(f.reviewWorkflowId!).describe()).runId;

    // the same change again (another command, e.g. another Idempotency-Key): the same review, no second one
    const again = await h.executeUpdate(reportHouseholdUpdate, { args: [{ actor: caseworker('140521101'), month: LATER, household: { householdId: 'hh-income', villageCode: village, changes: [{ ...change, summary: '同一变化再次报告' }] } }] as never });
    expect(again.followUps[0]).toMatchObject({ followUp: 'review', reviewWorkflowId: f.reviewWorkflowId, alreadyOpen: true });
    expect((await env.client.workflow.getHandle(f.reviewWorkflowId!).describe()).runId).toBe(runId);

    const death = await h.executeUpdate(reportHouseholdUpdate, {
      args: [{ actor: assistant(village), month: LATER, household: { householdId: 'hh-death', villageCode: village, changes: [{ kind: 'death', memberIdNumber: member, summary: '病故', dateOfDeath: '2026-03-01' }] } }] as never,
    });
    expect(death.followUps).toEqual([{ householdId: 'hh-death', followUp: 'death_stop_pending' }]);
    const v = await h.query(changeReportsQuery);
    expect(v.deaths).toEqual([{ householdId: 'hh-death', memberIdNumber: member, dateOfDeath: '2026-03-01', followUp: 'death_stop_pending' }]);
    const audit = await db.prisma.auditEvent.findMany({ where: { workflowId: h.workflowId, action: 'change_report.household' } });
    expect(audit).toHaveLength(3);
    // last: waiting on a result lets the server skip time. The stub review ends with its input: what opened it
    const opened = (await env.client.workflow.getHandle(f.reviewWorkflowId!).result()) as Record<string, any>;
    expect(opened).toMatchObject({ householdId: 'hh-income', countyCode: '140521', period: LATER, reason: 'change_report' });
  });
});

it('R-REV-03: refuses a report by a village assistant for another village (403) and for another month (422 naming month)', async () => {
  await withMonth('140521101', LATER, async (h) => {
    const household = { householdId: 'hh-x', villageCode: '140521101201', changes: [] };
    await expect(h.executeUpdate(reportHouseholdUpdate, { args: [{ actor: assistant('140521101202'), month: LATER, household }] as never })).rejects.toMatchObject({ cause: { type: 'Forbidden' } });
    await expect(h.executeUpdate(reportHouseholdUpdate, { args: [{ actor: assistant('140521101201'), month: '2026-05', household }] as never })).rejects.toMatchObject({
      cause: { type: 'RuleViolation', details: [{ rule: 'R-REV-03', errors: [{ path: 'month' }] }] },
    });
  });
});
