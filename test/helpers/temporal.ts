// Real Temporal for workflow tests: the Java SDK's time-skipping test server (PLATFORM.md), a worker
// running the bundle built once by the global setup, and real activities against a test database, the
// sandbox verification agency and the sandbox bank over HTTP.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Client, WorkflowClient } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createActivities, type Activities } from '../../activities';
import { createCalendarSource } from '../../activities/calendar';
import { dataConverterFromEnv } from '../../activities/crypto/data-converter';
import { HttpVerificationAgency } from '../../activities/verification/agency';
import { startSandboxAgency } from '../../activities/verification/sandbox-agency';
import { HttpBank } from '../../activities/bank/http-bank';
import { startSandboxBank } from '../../activities/bank/sandbox-bank';
import type { SandboxFaults } from '../../activities/bank/protocol';
import { createTestDatabase, type TestDatabase } from './db';
import { externalTaskQueue } from '../../workflows/kit/external-systems';
import { externalSystemNames } from '../../activities/external-systems';
import { registerSearchAttributes } from './search-attributes';
import { actorSignerFromEnv, signingInterceptor } from '../../api/actor-signing';
import { staffFactsInterceptor } from './staff-register';
import { untilAtRest } from './at-rest';

export const TASK_QUEUE = 'jiuzhu-test';
const AGENCY_KEY = 'test-key';
const BANK_KEY = 'test-bank-key';

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  // the core's own warnings about the test server's capabilities are noise here; errors still show
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });
}

/**
 * The instant every time-skipping server starts at: Monday 2 March 2026, 09:00 in China, in an ordinary
 * working week of a year the calendar knows (chinese-days 1.5.7 knows 2004–2026), so that 30 and 45
 * working days from it (2026-04-14, 2026-05-08) are counted on official data, never on the fallback for
 * an unknown year. A test computes its dates from the server's clock (`env.currentTimeMs()`, a receipt's
 * `enteredOn`) or from this day, never from the machine's today.
 */
export const TEST_EPOCH = Date.parse('2026-03-02T09:00:00+08:00');
/** TEST_EPOCH's date in China. */
export const TEST_DAY = '2026-03-02';

let launcherBuilt = false;

/**
 * `register: false` leaves the server as it starts, without jiuzhu's search attributes. `startAt` is the
 * server's first instant (epoch ms, default TEST_EPOCH; `'now'` for the real now); it only moves forward.
 */
export async function createTimeSkippingEnv(o: { register?: boolean; startAt?: number | 'now' } = {}): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const script = path.join(__dirname, '..', '..', 'scripts', 'temporal-test-server.sh');
  const startAt = o.startAt ?? TEST_EPOCH;
  // the stock server starts at the real now: scripts/temporal-test-server.sh takes --initial-time
  const extraArgs = startAt === 'now' ? [] : [`--initial-time=${new Date(startAt).toISOString()}`];
  // its launcher compiled before the five seconds below start counting (done once; the jest global setup did)
  if (startAt !== 'now' && !launcherBuilt) {
    execFileSync('sh', [script, '--build'], { stdio: 'inherit' });
    launcherBuilt = true;
  }
  // The SDK's core gives the JVM five seconds to answer, hard-coded; on a loaded 2-core machine (two jest
  // workers, each starting a JVM) that is sometimes not enough. Try again rather than fail the file.
  for (let attempt = 1; ; attempt++) {
    try {
      // the payload codec with the test run's key (global setup): tests run with encrypted histories, as
      // deployed; and the client stands in for the API: it signs the commands it sends (issue 16 API1)
      const env = await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: script }, extraArgs },
        // the register's facts of the people a command names first, then the signature over them (issue 21 §2)
        client: { dataConverter: dataConverterFromEnv(), interceptors: { workflow: [staffFactsInterceptor(), signingInterceptor(actorSignerFromEnv())] } },
      });
      if (o.register !== false) await registerSearchAttributes(env.connection);
      return env;
    } catch (err) {
      if (attempt >= 4 || !/did not start within/.test(String((err as Error).message))) throw err;
    }
  }
}

/**
 * For a test file whose own process reads the date too (the API takes "today" from `Date`): pins this
 * process's `Date` to `at` (default TEST_EPOCH) from now on, still running forward in real time, and
 * restores it after the file. Call it at the top of the file, before any token is signed (a token's iat
 * comes from `Date`). Only `Date` is faked: timers, promises and I/O run as usual. The server's clock runs
 * ahead of this one after an `env.sleep`, as it does ahead of the wall clock. PostgreSQL's now() (column
 * defaults) is not pinned: the API sets the timestamps it compares with `Date` itself (idempotency ages).
 */
export function pinWallClock(at: number = TEST_EPOCH): void {
  jest.useFakeTimers({
    now: at,
    advanceTimers: true,
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
  });
  afterAll(() => {
    jest.useRealTimers();
  });
}

/**
 * Runs `fn` on a time-skipping server of its own, started at TEST_EPOCH, and tears it down after: for a
 * test whose dates must be TEST_EPOCH's whatever ran before it in the file (a file's shared server only
 * moves forward, and a wait on a result lets it skip ahead, years if nothing else is due).
 */
export async function withFreshEnv<T>(fn: (env: TestWorkflowEnvironment) => Promise<T>): Promise<T> {
  const env = await createTimeSkippingEnv();
  try {
    return await fn(env);
  } finally {
    await env.teardown();
  }
}

/**
 * A workflow's result, read without letting the time-skipping server skip ahead: `env.client`'s result()
 * unlocks time skipping while it waits, and the server then jumps to the next timer of any workflow (years
 * on if none is due), moving the clock of every later test in the file. For a workflow that ends by itself.
 */
export async function resultInRealTime<T = unknown>(env: TestWorkflowEnvironment, workflowId: string): Promise<T> {
  const client = new WorkflowClient({ connection: env.connection, dataConverter: dataConverterFromEnv() });
  return (await client.getHandle(workflowId).result()) as T;
}

export interface TestAgency {
  url: string;
  agency: HttpVerificationAgency;
  /** PUT /sandbox/people/{idNumber}: what the agency will find about a person */
  setPerson(idNumber: string, findings: Record<string, unknown>): Promise<void>;
  checks(): Promise<unknown[]>;
  close(): Promise<void>;
}

export async function startTestAgency(): Promise<TestAgency> {
  const server = await startSandboxAgency({ apiKey: AGENCY_KEY, latencyMs: 0, port: 0 });
  const headers = { authorization: `Bearer ${AGENCY_KEY}`, 'content-type': 'application/json' };
  return {
    url: server.url,
    agency: new HttpVerificationAgency({ baseUrl: server.url, apiKey: AGENCY_KEY }),
    async setPerson(idNumber, findings) {
      const res = await fetch(`${server.url}/sandbox/people/${idNumber}`, { method: 'PUT', headers, body: JSON.stringify(findings) });
      if (!res.ok) throw new Error(`sandbox refused fixture: ${res.status} ${await res.text()}`);
    },
    async checks() {
      const res = await fetch(`${server.url}/sandbox/checks`, { headers });
      const body = (await res.json()) as { checks?: unknown[] } | unknown[];
      return Array.isArray(body) ? body : (body.checks ?? []);
    },
    close: () => server.close(),
  };
}

export interface TestBank {
  url: string;
  bank: HttpBank;
  /** PUT /sandbox/faults: time out after accepting, reject accounts, down */
  faults(f: SandboxFaults): Promise<void>;
  /** PUT /sandbox/config: accepted → paid after this long (0, the default here: at the next look) */
  settleAfter(ms: number): Promise<void>;
  /** GET /sandbox/transfers?reference=: how many transfers the bank holds for it (≤ 1) and duplicate submissions */
  transfers(reference: string): Promise<{ count: number; duplicates: number }>;
  close(): Promise<void>;
}

export async function startTestBank(): Promise<TestBank> {
  const server = await startSandboxBank({ apiKey: BANK_KEY, settleDelayMs: 0, port: 0 });
  const headers = { authorization: `Bearer ${BANK_KEY}`, 'content-type': 'application/json' };
  const send = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`sandbox bank refused ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<unknown>;
  };
  return {
    url: server.url,
    bank: new HttpBank({ baseUrl: server.url, apiKey: BANK_KEY, timeoutMs: 2_000 }),
    faults: async (f) => void (await send('PUT', '/sandbox/faults', f)),
    settleAfter: async (ms) => void (await send('PUT', '/sandbox/config', { settleDelayMs: ms })),
    async transfers(reference) {
      const { count, duplicates } = (await send('GET', `/sandbox/transfers?reference=${encodeURIComponent(reference)}`)) as { count: number; duplicates: number };
      return { count, duplicates };
    },
    close: () => server.close(),
  };
}

/** `bank` left out: a client of nothing (127.0.0.1:9), for the tests that pay nobody. */
export function realActivities(db: TestDatabase, agency: TestAgency, bank?: TestBank): Activities {
  return createActivities({ prisma: db.prisma, agency: agency.agency, bank: bank?.bank ?? new HttpBank({ baseUrl: 'http://127.0.0.1:9', apiKey: 'none', timeoutMs: 1_000 }), calendar: createCalendarSource(db.prisma, 0) });
}

let queues = 0;
const started = new Map<string, Set<string>>();

/** Remembers a workflow started on a test's task queue, so the test's end can terminate it. */
export function trackWorkflow(taskQueue: string, workflowId: string): void {
  started.get(taskQueue)?.add(workflowId);
}

/**
 * Runs `fn` with a fresh worker on a fresh task queue (a Worker runs once, and a task queue takes one
 * worker per process: STYLE "each test gets its own Worker").
 */
export async function withWorker(env: TestWorkflowEnvironment, activities: Activities, fn: (taskQueue: string) => Promise<void>): Promise<void> {
  const taskQueue = `${TASK_QUEUE}-${process.pid}-${++queues}`;
  started.set(taskQueue, new Set());
  const workers = await createTestWorker(env, activities, taskQueue);
  try {
    await workers.runUntil(async () => {
      try {
        await fn(taskQueue);
      } finally {
        // inside runUntil: the worker still polls, so what the test left in flight can finish first
        await closeLeftOpen(env, started.get(taskQueue));
      }
    });
  } finally {
    started.delete(taskQueue);
  }
}

/**
 * A case left open has timers that fire later on a queue nobody polls; the time-skipping server would then
 * wait for it forever at the next test's sleep: terminate what the test left running. Only once it is at
 * rest (issue 21 §3.6): a workflow task or an activity in flight at termination keeps the server's time lock
 * for good, and every later `env.sleep` in the file then runs at wall-clock speed (test/helpers/at-rest.ts).
 */
async function closeLeftOpen(env: TestWorkflowEnvironment, ids: Iterable<string> = []): Promise<void> {
  for (const id of ids) {
    const handle = env.client.workflow.getHandle(id);
    const f = await untilAtRest(handle).catch(() => undefined);
    // a run that closed by itself with an activity still scheduled (a withdrawal while the agency call
    // retries, temporalio/sdk-java#1138), or one still busy after the wait, keeps its lock: that server
    // no longer skips time
    if (f && (f.activities.length > 0 || f.workflowTasks > 0)) timeLockLost.add(env);
    if (f?.closed) continue;
    await handle.terminate('test finished').catch(() => undefined);
  }
}

/** Servers whose time-skipping lock a closed run has kept: `workflowTestbed` replaces one before the next test. */
const timeLockLost = new WeakSet<TestWorkflowEnvironment>();

/** The workflow worker and, each on its own queue as in production (worker.ts), every external system's worker (issue 22 §1.7). */
export class TestWorkers {
  constructor(
    readonly main: Worker,
    readonly external: Worker[],
  ) {}

  private get all(): Worker[] {
    return [this.main, ...this.external];
  }

  run(): Promise<void> {
    return Promise.all(this.all.map((w) => w.run())).then(() => undefined);
  }

  shutdown(): void {
    for (const w of this.all) if (w.getState() === 'RUNNING') w.shutdown();
  }

  runUntil<T>(fn: () => Promise<T>): Promise<T> {
    return this.all.reduceRight<() => Promise<T>>((inner, w) => () => w.runUntil(inner), fn)();
  }
}

export async function createTestWorker(env: TestWorkflowEnvironment, activities: Activities, taskQueue = TASK_QUEUE): Promise<TestWorkers> {
  const codePath = process.env.JIUZHU_TEST_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('JIUZHU_TEST_WORKFLOW_BUNDLE is not set: run the tests through jest (global setup)');
  const dataConverter = dataConverterFromEnv();
  const main = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: { codePath }, activities, dataConverter });
  // the test's activities serve every queue: a test's fake of one system's activity is seen on its queue
  const external = await Promise.all(externalSystemNames().map((name) => Worker.create({ connection: env.nativeConnection, taskQueue: externalTaskQueue(taskQueue, name), activities, dataConverter })));
  return new TestWorkers(main, external);
}

export interface Testbed {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  agency: TestAgency;
  /** the sandbox bank (R-PAY-01), settling at the next look */
  bank: TestBank;
  /** runs a test body with its own worker and task queue */
  run(fn: (taskQueue: string) => Promise<void>): Promise<void>;
  /**
   * Runs a test body as `run` does, on a time-skipping server of its own that starts at TEST_EPOCH: for a
   * test whose dates must be TEST_EPOCH's whatever ran before it in the file (the shared server's clock only
   * moves forward, and waiting on a result lets it skip ahead, years if nothing else is due). `tb.env` is
   * that server while the body runs; the database and the agency stay the file's.
   */
  runFresh(fn: (taskQueue: string) => Promise<void>): Promise<void>;
  /**
   * A client of the test's current server that signs nothing (`env.client` stands in for the API and signs):
   * what anyone with namespace access could send. Made on each call, as the server may be replaced between tests.
   */
  unsignedClient(): Client;
}

/**
 * One time-skipping server, one database, one sandbox agency and one sandbox bank per test file (time skipping is
 * shared by every test in it), set up before its tests and torn down after them.
 */
export function workflowTestbed(): Testbed {
  const tb = {} as Testbed;
  tb.unsignedClient = () => new Client({ connection: tb.env.connection, dataConverter: dataConverterFromEnv() });
  beforeAll(async () => {
    [tb.env, tb.db, tb.agency, tb.bank] = await Promise.all([createTimeSkippingEnv(), createTestDatabase(), startTestAgency(), startTestBank()]);
    const activities = realActivities(tb.db, tb.agency, tb.bank);
    tb.run = (fn) => withWorker(tb.env, activities, fn);
    tb.runFresh = (fn) =>
      withFreshEnv(async (fresh) => {
        const shared = tb.env;
        tb.env = fresh;
        try {
          await withWorker(fresh, activities, fn);
        } finally {
          tb.env = shared;
        }
      });
  });
  // issue 21 §3.6: a server that can no longer skip time would make the next test's sleep last for real
  beforeEach(async () => {
    if (!tb.env || !timeLockLost.has(tb.env)) return;
    const lost = tb.env;
    tb.env = await createTimeSkippingEnv();
    await lost.teardown();
  });
  afterAll(async () => {
    await tb.env?.teardown();
    await tb.agency?.close();
    await tb.bank?.close();
    await tb.db?.drop();
  });
  return tb;
}
