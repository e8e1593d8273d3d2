// The month a run a Temporal Schedule started stands for: its scheduled time in China, never the clock
// (a backfill's run is a past month's). Shared by the schedules' workflows (the recheck cycle, the opening
// of the change reports). Workflow code: reads workflowInfo() only.
import { workflowInfo } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { periodOfInstant } from '../review/period';

/** Set by Temporal on a run a schedule started: the time it was scheduled for (a backfill's past time). */
const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** 'YYYY-MM' of the run's scheduled time in China; undefined for a run no schedule started. */
export function scheduledPeriod(): string | undefined {
  const info = workflowInfo();
  const typed = info.typedSearchAttributes.get(SCHEDULED_START);
  // the untyped (deprecated) map is where PLATFORM.md verified it; the typed one is read first
  const raw = typed ?? (info.searchAttributes?.TemporalScheduledStartTime as unknown[] | undefined)?.[0];
  if (raw === undefined || raw === null) return undefined;
  const ms = raw instanceof Date ? raw.getTime() : Date.parse(String(raw));
  return Number.isNaN(ms) ? undefined : periodOfInstant(ms);
}
