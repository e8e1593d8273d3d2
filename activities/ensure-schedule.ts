// Create-or-update of a Temporal Schedule the service defines (STYLE "Schedules": create-or-update at
// start-up), idempotent: a digest of what the service wants is kept in the action's memo (a schedule's own
// memo cannot be updated; the action's can), and an ensure that would change nothing does nothing.
import { ScheduleAlreadyRunning, type Client, type ScheduleOptions } from '@temporalio/client';

export type EnsureOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Creates or updates a schedule the service defines; 'unchanged' when the digest its action's memo holds
 * under `memoKey` is the one `options` carry (R-REV-06 recheck, R-REV-03 change reports).
 */
export async function ensureSchedule(client: Client, options: ScheduleOptions, memoKey: string): Promise<EnsureOutcome> {
  const memo = options.action.type === 'startWorkflow' ? options.action.memo?.[memoKey] : undefined;
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(options.scheduleId);
  const now = await handle.describe();
  if (now.action.type === 'startWorkflow' && now.action.memo?.[memoKey] === memo) return 'unchanged';
  // update keeps the schedule's own state (paused, notes) and replaces what the service defines
  await handle.update((prev) => ({ ...prev, spec: options.spec, action: options.action, policies: { ...prev.policies, ...options.policies } }));
  return 'updated';
}
