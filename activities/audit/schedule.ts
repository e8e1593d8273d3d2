// R-SUP-05: the Temporal Schedule that anchors the audit chains every AUDIT_ANCHOR_INTERVAL (default
// 5 minutes). Created or updated at worker start-up, so a changed interval takes effect on restart;
// overlap SKIP: a slow anchor is never run twice at once (each names the previous one's root).
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { loadAuditSigner } from './keys';
import { suiteFromEnv } from './suite';

export const AUDIT_ANCHOR_SCHEDULE_ID = 'audit-anchor';

export async function ensureAuditAnchorSchedule(
  client: Client,
  o: { taskQueue: string; interval?: string; enabled?: boolean; log?: (line: string) => void },
): Promise<'created' | 'updated' | 'disabled'> {
  const log = o.log ?? (() => undefined);
  suiteFromEnv(); // a misspelt AUDIT_CRYPTO_SUITE stops the worker here, not every audit write later
  if (!(o.enabled ?? Boolean(loadAuditSigner()))) {
    log('audit anchoring is off: set AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE (R-SUP-05)');
    return 'disabled';
  }
  const every = (o.interval ?? process.env.AUDIT_ANCHOR_INTERVAL ?? '5 minutes') as Duration;
  const options: ScheduleOptions = {
    scheduleId: AUDIT_ANCHOR_SCHEDULE_ID,
    spec: { intervals: [{ every }] },
    action: { type: 'startWorkflow', workflowType: 'auditAnchor', workflowId: AUDIT_ANCHOR_SCHEDULE_ID, taskQueue: o.taskQueue, args: [] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
  };
  try {
    await client.schedule.create(options);
    log(`audit anchor schedule created: every ${every}`);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(AUDIT_ANCHOR_SCHEDULE_ID).update((prev) => ({ ...prev, spec: options.spec, action: options.action, policies: { ...prev.policies, ...options.policies } }));
    log(`audit anchor schedule updated: every ${every}`);
    return 'updated';
  }
}
