// How much work one worker process takes on, and how it stops (issue 11 §5). The PostgreSQL pool is
// sized from the activity concurrency: each database activity holds at most one connection (one
// transaction) at a time, so slots = concurrent activities + headroom for the calendar source's reads.
// The agency's and the bank's activities run on their own queues and workers (workflows/kit/external-systems.ts)
// and never touch the database.
import type { Duration } from '@temporalio/common';

export interface WorkerSettings {
  /** maxConcurrentActivityTaskExecutions of the main worker */
  activityConcurrency: number;
  /** maxConcurrentWorkflowTaskExecutions of the main worker */
  workflowConcurrency: number;
  /** the agency worker: concurrent calls, and the queue-wide cap per second (server side) */
  agencyConcurrency: number;
  agencyRatePerSecond: number;
  /** the bank worker (R-PAY-01): concurrent calls, and the queue-wide cap per second */
  bankConcurrency: number;
  bankRatePerSecond: number;
  /** how long in-flight activities get to finish after SIGINT/SIGTERM before they are cancelled */
  shutdownGraceTime: Duration;
  /** PostgreSQL pool size of the worker */
  poolMax: number;
}

export const POOL_HEADROOM = 4;

type Env = Record<string, string | undefined>;

function positive(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return n;
}

/** WORKER_SHUTDOWN_GRACE: milliseconds, or a duration such as "30s" or "2m". */
function duration(env: Env, name: string, fallback: string): Duration {
  const raw = env[name] || fallback;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (/^\d+(\.\d+)?\s*(ms|s|m|h)$/.test(raw)) return raw as Duration;
  throw new Error(`${name} must be milliseconds or a duration like 30s, got ${JSON.stringify(raw)}`);
}

export function loadWorkerSettings(env: Env = process.env): WorkerSettings {
  const activityConcurrency = Math.floor(positive(env, 'WORKER_MAX_CONCURRENT_ACTIVITIES', 20));
  return {
    activityConcurrency,
    workflowConcurrency: Math.floor(positive(env, 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', 40)),
    agencyConcurrency: Math.floor(positive(env, 'AGENCY_MAX_CONCURRENT_ACTIVITIES', 5)),
    agencyRatePerSecond: positive(env, 'AGENCY_RATE_PER_SECOND', 5),
    bankConcurrency: Math.floor(positive(env, 'BANK_MAX_CONCURRENT_ACTIVITIES', 5)),
    bankRatePerSecond: positive(env, 'BANK_RATE_PER_SECOND', 10),
    shutdownGraceTime: duration(env, 'WORKER_SHUTDOWN_GRACE', '30s'),
    poolMax: activityConcurrency + POOL_HEADROOM,
  };
}
