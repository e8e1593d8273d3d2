// What a workflow has in flight on the time-skipping test server, read from its history, and a wait until
// it has nothing in flight (issue 21 §3.6).
//
// Why it matters: the Java test server locks time skipping for each workflow task and each activity it
// schedules, and unlocks it when the task or activity completes. Terminating a run (or a run closing by
// itself, temporalio/sdk-java#1138) while one is in flight never gives that lock back: from then on time in
// that server only runs at wall-clock speed, and the next `env.sleep('8 days')` of any later test in the
// file waits eight real days (the 120 s hangs of application-review.test.ts). A case left open is therefore
// terminated only at rest, while its worker still polls (temporal.ts `withWorker`).
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const T = temporal.api.enums.v1.EventType;

export interface InFlight {
  /** the run has closed (completed, failed, terminated, …): nothing more of it will run */
  closed: boolean;
  /** workflow tasks scheduled and not yet completed, failed or timed out */
  workflowTasks: number;
  /** activities scheduled and not yet completed, failed, timed out or cancelled, by type */
  activities: string[];
}

const CLOSING = new Set([
  T.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  T.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  T.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
  T.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
  T.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
  T.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
]);

/** In-flight work of a history: one snapshot, so a task and the activity it scheduled are seen together. */
export function inFlight(events: temporal.api.history.v1.IHistoryEvent[]): InFlight {
  const tasks = new Set<string>();
  const activities = new Map<string, string>();
  let closed = false;
  for (const e of events) {
    const id = String(e.eventId);
    switch (e.eventType) {
      case T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
        tasks.add(id);
        break;
      case T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
      case T.EVENT_TYPE_WORKFLOW_TASK_FAILED:
      case T.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT: {
        const a = e.workflowTaskCompletedEventAttributes ?? e.workflowTaskFailedEventAttributes ?? e.workflowTaskTimedOutEventAttributes;
        tasks.delete(String(a?.scheduledEventId));
        break;
      }
      case T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        activities.set(id, e.activityTaskScheduledEventAttributes?.activityType?.name ?? '?');
        break;
      case T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
      case T.EVENT_TYPE_ACTIVITY_TASK_FAILED:
      case T.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
      case T.EVENT_TYPE_ACTIVITY_TASK_CANCELED: {
        const a = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes;
        activities.delete(String(a?.scheduledEventId));
        break;
      }
      default:
        if (e.eventType != null && CLOSING.has(e.eventType)) closed = true;
    }
  }
  return { closed, workflowTasks: tasks.size, activities: [...activities.values()] };
}

export const atRest = (f: InFlight): boolean => f.closed || (f.workflowTasks === 0 && f.activities.length === 0);

/**
 * Polls the run's history until it is closed or has nothing in flight (a workflow waiting on a timer, a
 * person or a signal); answers what was still in flight if `timeoutMs` passes first. Needs the run's
 * worker polling: a workflow task only completes while it does.
 */
export async function untilAtRest(handle: Pick<WorkflowHandle, 'fetchHistory'>, timeoutMs = 15_000): Promise<InFlight> {
  const started = Date.now();
  for (;;) {
    const f = inFlight((await handle.fetchHistory()).events ?? []);
    if (atRest(f) || Date.now() - started > timeoutMs) return f;
    await new Promise((r) => setTimeout(r, 50));
  }
}
