// R-REV-06: one Temporal Schedule per county, `recheck-<county>`, firing the county's recheck cycle at
// 02:00 China time on the 1st of each month. Created or updated idempotently by the worker at start-up
// (`make start`) and by `npm run policy -- set` when a policy changes. Overlap SKIP: a cycle still
// running is not started again beside itself. The catch-up window is the county's policy
// (reviewCycleCatchupDays, R-POL): a firing missed while the server was down runs when it comes back
// within it; a later one is for an operator's backfill (README "Recheck cycles"). Each county's change-report
// schedule (R-REV-03, activities/change-report-schedule.ts) is ensured here too, with the same window.
import crypto from 'node:crypto';
import { ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Prisma } from '../db';
import { resolvePolicy } from '../policy';
import { chinaDate } from '../../workflows/rules/dates';
import { CYCLE_WORKFLOW_TYPE, type ReviewCycleInput } from '../../workflows/review/cycle-messages';
import { COUNTY, KIND } from '../../workflows/kit/search-attributes';
import { startSignerFromEnv, type StartSigner } from '../crypto/start-signing';
import { ensureChangeReportSchedule } from '../change-report-schedule';
import { ensureSchedule, type EnsureOutcome } from '../ensure-schedule';

export const RECHECK_CALENDAR = { dayOfMonth: 1, hour: 2, minute: 0 } as const;
export const RECHECK_TIMEZONE = 'Asia/Shanghai';

export const recheckScheduleId = (countyCode: string) => `recheck-${countyCode}`;

export type { EnsureOutcome };

interface RecheckSchedule {
  countyCode: string;
  taskQueue: string;
  catchupDays: number;
  /** issue 22 §1.3: signs the action's input; default startSignerFromEnv() */
  signer?: StartSigner;
}

export function recheckScheduleOptions(o: RecheckSchedule): ScheduleOptions {
  const workflowId = `cycle-${o.countyCode}`;
  // the period comes from the scheduled time. Issue 22 §1.3: signed once, for the action's workflow id
  // (the runs' `-<scheduled time>` suffix is allowed for by workflows/kit/start-signature.ts)
  const input = (o.signer ?? startSignerFromEnv()).sign({ workflowType: CYCLE_WORKFLOW_TYPE, workflowId }, { countyCode: o.countyCode } satisfies ReviewCycleInput);
  const { countyCode, taskQueue, catchupDays } = o;
  return {
    scheduleId: recheckScheduleId(o.countyCode),
    spec: { calendars: [{ ...RECHECK_CALENDAR }], timezone: RECHECK_TIMEZONE },
    action: {
      type: 'startWorkflow',
      workflowType: CYCLE_WORKFLOW_TYPE,
      // Temporal appends the scheduled time: cycle-140521-2026-09-30T18:00:00Z
      workflowId,
      taskQueue: o.taskQueue,
      args: [input],
      // what the service defines, as a digest (a schedule's own memo cannot be updated; the action's can);
      // the signing key's id in it: an action signed before (or unsigned, or by a rotated-out key) is re-signed
      memo: { jiuzhuRecheck: fingerprint({ countyCode, taskQueue, catchupDays, signedBy: input.auth.keyId }) },
      typedSearchAttributes: [
        { key: KIND, value: 'review-cycle' },
        { key: COUNTY, value: o.countyCode },
      ],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: `${o.catchupDays} days` },
  };
}

/** What the schedule should be, as a digest kept in its action's memo: an ensure that would change nothing does nothing. */
function fingerprint(o: { countyCode: string; taskQueue: string; catchupDays: number; signedBy: string }): string {
  const desired = { ...o, calendar: RECHECK_CALENDAR, timezone: RECHECK_TIMEZONE, workflowType: CYCLE_WORKFLOW_TYPE };
  return crypto.createHash('sha256').update(JSON.stringify(desired)).digest('hex').slice(0, 16);
}

/** Creates or updates one county's schedule; 'unchanged' if it already is what it should be. */
export function ensureRecheckSchedule(client: Client, o: RecheckSchedule): Promise<EnsureOutcome> {
  return ensureSchedule(client, recheckScheduleOptions(o), 'jiuzhuRecheck');
}

/** The counties that get a recheck schedule: every county with a policy profile or an active household. */
export async function recheckCounties(prisma: Prisma, prefix = ''): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ code: string }[]>`
    SELECT jurisdiction AS code FROM policy_profile WHERE length(jurisdiction) = 6 AND jurisdiction LIKE ${`${prefix}%`}
    UNION SELECT DISTINCT county_code FROM household WHERE status = 'active' AND county_code LIKE ${`${prefix}%`}
    ORDER BY 1`;
  return rows.map((r) => r.code);
}

/**
 * Ensures the schedule of every county under `prefix` (all by default), each with the catch-up window
 * of the county's policy in force today. A county whose policy cannot be resolved is reported and left
 * as it was; the others go on.
 */
export async function ensureRecheckSchedules(
  client: Client,
  prisma: Prisma,
  o: { taskQueue: string; prefix?: string; today?: string; log?: (line: string) => void; signer?: StartSigner },
): Promise<Record<string, EnsureOutcome | 'failed'>> {
  const log = o.log ?? (() => undefined);
  const signer = o.signer ?? startSignerFromEnv();
  const today = o.today ?? chinaDate(Date.now());
  const out: Record<string, EnsureOutcome | 'failed'> = {};
  const changeReports: Record<string, EnsureOutcome> = {};
  for (const countyCode of await recheckCounties(prisma, o.prefix)) {
    try {
      const catchupDays = (await resolvePolicy(prisma, countyCode, today)).params.reviewCycleCatchupDays;
      out[countyCode] = await ensureRecheckSchedule(client, { countyCode, taskQueue: o.taskQueue, catchupDays, signer });
      // R-REV-03: the county's monthly opening of its change reports, beside its recheck
      changeReports[countyCode] = await ensureChangeReportSchedule(client, { countyCode, taskQueue: o.taskQueue, catchupDays, signer });
    } catch (err) {
      out[countyCode] = 'failed';
      log(`recheck or change-report schedule for ${countyCode} not ensured (R-REV-06, R-REV-03): ${(err as Error).message}`);
    }
  }
  const tally = Object.values(out).reduce<Record<string, number>>((t, v) => ({ ...t, [v]: (t[v] ?? 0) + 1 }), {});
  log(`recheck schedules (R-REV-06): ${Object.entries(tally).map(([k, n]) => `${n} ${k}`).join(', ') || 'no county yet'}`);
  const opened = Object.values(changeReports).reduce<Record<string, number>>((t, v) => ({ ...t, [v]: (t[v] ?? 0) + 1 }), {});
  log(`change-report schedules (R-REV-03): ${Object.entries(opened).map(([k, n]) => `${n} ${k}`).join(', ') || 'no county yet'}`);
  return out;
}
