// Where an update-with-start's time goes, read from each workflow's history (server timestamps; the
// server, the workers and the bench share one machine's clock) against the caller's own start and end:
//   before start   call → WorkflowExecutionStarted (the API's checks, or the client, and the start RPC)
//   workflow task  WFT scheduled → completed: queue wait + the worker's run (one row each)
//   <activity>     ActivityTaskScheduled → Completed: queue wait + run (one row each, per activity type)
//   after update   WorkflowExecutionUpdateCompleted → answer (server → caller, and what the API does after)
// Means, so the rows add up to the mean latency (the remainder is `other`: server time between events).
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { mean } from './load';

type Event = temporal.api.history.v1.IHistoryEvent;

const ms = (e: Event | undefined): number => {
  const t = e?.eventTime;
  return t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : NaN;
};

/** One workflow's segments, in ms; `total` is the caller's latency. */
export function segments(events: Event[], span: { start: number; end: number }): Map<string, number> {
  const out = new Map<string, number>();
  const add = (k: string, v: number) => out.set(k, (out.get(k) ?? 0) + v);
  const byId = new Map(events.map((e) => [Number(e.eventId), e]));
  const started = events.find((e) => e.workflowExecutionStartedEventAttributes);
  const updated = events.find((e) => e.workflowExecutionUpdateCompletedEventAttributes);
  add('before start', ms(started) - span.start);
  for (const e of events) {
    if (!updated || Number(e.eventId) > Number(updated.eventId)) break; // only what the answer waited for
    const wftStart = e.workflowTaskStartedEventAttributes;
    if (wftStart) {
      add('workflow task: queue', ms(e) - ms(byId.get(Number(wftStart.scheduledEventId))));
      continue;
    }
    const wftDone = e.workflowTaskCompletedEventAttributes;
    if (wftDone) add('workflow task: run', ms(e) - ms(byId.get(Number(wftDone.startedEventId))));
    const actStart = e.activityTaskStartedEventAttributes;
    if (actStart) {
      const scheduled = byId.get(Number(actStart.scheduledEventId));
      add(`${scheduled?.activityTaskScheduledEventAttributes?.activityType?.name}: queue`, ms(e) - ms(scheduled));
    }
    const actDone = e.activityTaskCompletedEventAttributes;
    if (actDone) {
      const scheduled = byId.get(Number(actDone.scheduledEventId));
      add(`${scheduled?.activityTaskScheduledEventAttributes?.activityType?.name}: run`, ms(e) - ms(byId.get(Number(actDone.startedEventId))));
    }
  }
  add('after update', span.end - ms(updated));
  const total = span.end - span.start;
  const counted = [...out.values()].reduce((a, b) => a + b, 0);
  out.set('other (server between events)', total - counted);
  out.set('total', total);
  return out;
}

/** Mean segments over the given workflows (histories fetched `concurrency` at a time). */
export async function meanSegments(client: Client, runs: { workflowId: string; span: { start: number; end: number } }[], concurrency = 8): Promise<Map<string, number>> {
  const all: Map<string, number>[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < runs.length; i = next++) {
        const history = await client.workflow.getHandle(runs[i].workflowId).fetchHistory();
        all.push(segments(history.events ?? [], runs[i].span));
      }
    }),
  );
  const keys = [...new Set(all.flatMap((m) => [...m.keys()]))];
  return new Map(keys.map((k) => [k, mean(all.map((m) => m.get(k) ?? 0))]));
}
