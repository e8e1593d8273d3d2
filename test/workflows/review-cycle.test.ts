// R-REV-06 (issue 22 §2.3): the recheck cycle, started as its schedule starts it (the time-skipping
// server implements no schedules: PLATFORM.md). The review workflow does not exist yet: a stub `review`
// in a test-only bundle (fixtures/review-cycle-bundle.ts) reports each run, so "one review" is counted.
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { dataConverterFromEnv, FAILURE_CONVERTER_PATH } from '../../activities/crypto/data-converter';
import { actorKeysWebpackHook, parseVerifyKeys } from '../../activities/crypto/actor-keys';
import { createReviewCycleActivities } from '../../activities/review/cycle';
import { createTimeSkippingEnv, TEST_EPOCH } from '../helpers/temporal';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { CYCLE_WORKFLOW_TYPE, cycleProgressQuery, type CycleProgress, type ReviewCycleInput } from '../../workflows/review/cycle-messages';
import { reviewWorkflowId, type ReviewStartInput } from '../../workflows/review/start-input';

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let code: string;

beforeAll(async () => {
  // bundled first: webpack beside the JVM's start can keep the server from answering in its five seconds
  ({ code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./fixtures/review-cycle-bundle'), failureConverterPath: FAILURE_CONVERTER_PATH, webpackConfigHook: actorKeysWebpackHook(parseVerifyKeys(process.env.ACTOR_VERIFY_KEYS!)), logger: quiet }));
  [env, db] = await Promise.all([createTimeSkippingEnv(), createTestDatabase()]);
  // TemporalScheduledStartTime, which a Schedule stamps on its runs, is registered by createTimeSkippingEnv (test/helpers/search-attributes.ts)
});
afterAll(async () => {
  await env?.teardown();
  await db?.drop();
});

const quiet = { info: () => undefined, warn: console.warn, error: console.error, debug: () => undefined, trace: () => undefined, log: () => undefined };

let counties = 0;
/** A county of its own per test, so tests never see each other's households. */
const newCounty = () => `1499${String(++counties).padStart(2, '0')}`;

async function addHouseholds(county: string, rows: { id: string; due: string; status?: string }[]): Promise<void> {
  await db.prisma.household.createMany({
    data: rows.map((r) => ({
      householdId: r.id,
      programme: 'DIBAO',
      villageCode: `${county}100001`,
      townshipCode: `${county}100`,
      countyCode: county,
      residence: 'rural',
      status: r.status ?? 'active',
      monthlyFen: 50_000,
      enrolledOn: new Date('2025-03-01T00:00:00Z'),
      paymentStartMonth: '2025-03',
      reviewClass: 'annual',
      nextReviewOn: new Date(`${r.due}T00:00:00Z`),
    })),
  });
}

/** Runs `fn` with a worker for the cycle and the stub review; returns the reviews that ran, by workflow id. */
async function withCycleWorker(fn: (taskQueue: string) => Promise<void>): Promise<Map<string, ReviewStartInput[]>> {
  const ran = new Map<string, ReviewStartInput[]>();
  const taskQueue = `cycle-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { code },
    dataConverter: dataConverterFromEnv(),
    activities: {
      ...createReviewCycleActivities(db.prisma),
      async stubReviewRan({ workflowId, ...input }: ReviewStartInput & { workflowId: string }) {
        ran.set(workflowId, [...(ran.get(workflowId) ?? []), input]);
      },
    },
  });
  await worker.runUntil(() => fn(taskQueue));
  return ran;
}

/** Starts a cycle as its schedule would: the action's id plus the scheduled time, stamped on the run. */
function startScheduled(taskQueue: string, county: string, scheduledAt: Date, input: Partial<ReviewCycleInput> = {}) {
  return env.client.workflow.start(CYCLE_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: `cycle-${county}-${scheduledAt.toISOString().replace('.000Z', 'Z')}`,
    args: [{ countyCode: county, ...input }],
    searchAttributes: { TemporalScheduledStartTime: [scheduledAt] },
  });
}

/** 1 March 2026, 02:00 in China: the schedule's firing for 2026-03 (the test server starts on 2 March). */
const MARCH = new Date('2026-02-28T18:00:00Z');
const FEBRUARY = new Date('2026-01-31T18:00:00Z');

async function reviewExists(householdId: string, period: string): Promise<boolean> {
  try {
    await env.client.workflow.getHandle(reviewWorkflowId(householdId, period)).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

it('R-REV-06: the same period fired twice starts one review per due household; stopped, not yet due and other counties are left alone', async () => {
  const county = newCounty();
  const other = newCounty();
  await addHouseholds(county, [
    { id: `${county}-a`, due: '2026-03-01' },
    { id: `${county}-b`, due: '2026-03-31' }, // the period's last day
    { id: `${county}-c`, due: '2026-01-15' }, // overdue from earlier: still due
    { id: `${county}-stopped`, due: '2026-03-10', status: 'stopped' },
    { id: `${county}-april`, due: '2026-04-01' },
  ]);
  await addHouseholds(other, [{ id: `${other}-x`, due: '2026-03-05' }]);
  let first: CycleProgress | undefined;
  let second: CycleProgress | undefined;
  const ran = await withCycleWorker(async (tq) => {
    first = await (await startScheduled(tq, county, MARCH)).result();
    // the same period again: a re-fired schedule and a manual start of the same month
    second = await (await env.client.workflow.start(CYCLE_WORKFLOW_TYPE, { taskQueue: tq, workflowId: `cycle-${county}-2026-03`, args: [{ countyCode: county, period: '2026-03' }] })).result();
    await env.sleep('1 minute'); // the stub reviews run
  });
  expect(first).toMatchObject({ countyCode: county, period: '2026-03', started: 3, alreadyStarted: 0, done: true });
  expect(second).toMatchObject({ period: '2026-03', started: 0, alreadyStarted: 3, done: true });
  const due = [`${county}-a`, `${county}-b`, `${county}-c`];
  expect([...ran.keys()].sort()).toEqual(due.map((h) => reviewWorkflowId(h, '2026-03')).sort());
  for (const runs of ran.values()) expect(runs).toHaveLength(1);
  // issue 22 §1.3: signed by the cycle's activity (the stub checks it as the review does)
  const auth = { keyId: expect.any(String), issuedAt: expect.any(Number), signature: expect.any(String) };
  expect(ran.get(reviewWorkflowId(`${county}-a`, '2026-03'))).toEqual([{ householdId: `${county}-a`, countyCode: county, period: '2026-03', reason: 'scheduled', auth }]);
  for (const h of [`${county}-stopped`, `${county}-april`, `${other}-x`]) expect(await reviewExists(h, '2026-03')).toBe(false);
});

it('R-REV-06: a cycle started with last month\'s scheduled time (a backfill) does last month, not the month of the clock', async () => {
  expect(new Date(await env.currentTimeMs()).getTime()).toBeGreaterThanOrEqual(TEST_EPOCH); // the clock is in March
  const county = newCounty();
  await addHouseholds(county, [
    { id: `${county}-feb`, due: '2026-02-20' },
    { id: `${county}-mar`, due: '2026-03-05' },
  ]);
  let result: CycleProgress | undefined;
  const ran = await withCycleWorker(async (tq) => {
    result = await (await startScheduled(tq, county, FEBRUARY)).result();
    await env.sleep('1 minute');
  });
  expect(result).toMatchObject({ period: '2026-02', started: 1, done: true });
  expect([...ran.keys()]).toEqual([reviewWorkflowId(`${county}-feb`, '2026-02')]);
  expect(await reviewExists(`${county}-mar`, '2026-03')).toBe(false);
});

it('R-REV-06: a cycle over more households than one run holds continues as new, and every due household gets exactly one review', async () => {
  const county = newCounty();
  // 11 households, several due on the same day (the keyset's tie-break on household_id), pages of 2, 2 pages a run: 3 runs
  const ids = Array.from({ length: 11 }, (_, i) => `${county}-${String(i).padStart(2, '0')}`);
  await addHouseholds(county, ids.map((id, i) => ({ id, due: `2026-03-0${1 + (i % 3)}` })));
  let result: CycleProgress | undefined;
  let firstRunStatus: string | undefined;
  let seen: CycleProgress | undefined;
  const ran = await withCycleWorker(async (tq) => {
    const handle = await startScheduled(tq, county, MARCH, { pageSize: 2, pagesPerRun: 2 });
    result = await handle.result();
    firstRunStatus = (await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe()).status.name;
    seen = await handle.query(cycleProgressQuery);
    await env.sleep('1 minute');
  });
  expect(firstRunStatus).toBe('CONTINUED_AS_NEW');
  expect(result).toMatchObject({ period: '2026-03', started: 11, alreadyStarted: 0, pages: 6, runs: 3, done: true });
  expect(seen).toEqual(result);
  expect([...ran.keys()].sort()).toEqual(ids.map((h) => reviewWorkflowId(h, '2026-03')).sort());
  for (const runs of ran.values()) expect(runs).toHaveLength(1);
});
