// Issue 22 §2.3: how fast a recheck cycle starts reviews (R-REV-06), against how fast a client starts the
// same no-op workflow on the same server in the same run (PLATFORM.md: only rates and ratios measured
// side by side mean anything on the shared dev server).
//   baseline  N starts of a no-op `review` from `clients` concurrent callers (REJECT_DUPLICATE ids)
//   cycle     one reviewCycle over N due households: pages of 100, 10 starts at once per page (the
//             cycle's own bounds), timed from its start to its last page
// Flags: --n (households and baseline starts, default 300), --clients (baseline callers, default 10),
// --memory (the dev server's in-memory store; default its SQLite file, as `make start` runs it).
// Harness shape of bench/index.ts (`benchmark.run(opts)` → rows); runs alone too: `npx tsx bench/cycle-start.ts`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createPrisma } from '../activities/db';
import { createReviewCycleActivities } from '../activities/review/cycle';
import { applyMigrations } from '../scripts/migrate';
import { ensureDatabase, startPostgres } from '../scripts/stack/postgres';
import { freePort } from '../scripts/stack/ports';
import { startTemporalDevServer } from '../scripts/stack/temporal';
import { CYCLE_WORKFLOW_TYPE, type CycleProgress } from '../workflows/review/cycle-messages';
import { actorKeysWebpackHook, newActorKeyPair, parseSigningKey, parseVerifyKeys } from '../activities/crypto/actor-keys';
import { startSigner } from '../activities/crypto/start-signing';
import { REVIEW_WORKFLOW_TYPE } from '../workflows/review/start-input';

/** The shapes of bench/index.ts (kept structural here, so this file stands on its own until the merge). */
interface BenchOptions {
  n?: number;
  clients?: number;
  flags: Record<string, string | true>;
  progress(line: string): void;
}
interface BenchRow {
  subject: string;
  metric: string;
  value: number;
  unit: string;
  goal?: string;
  target?: 'PASS' | 'FAIL';
}

const TASK_QUEUE = 'jiuzhu-bench-cycle';
const COUNTY = '149999';

async function baselineRate(client: Client, n: number, clients: number): Promise<number> {
  let next = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: Math.min(clients, n) }, async () => {
      for (let i = next++; i < n; i = next++) {
        await client.workflow.start(REVIEW_WORKFLOW_TYPE, { taskQueue: TASK_QUEUE, workflowId: `bare-${i}`, args: [], workflowIdReusePolicy: 'REJECT_DUPLICATE' });
      }
    }),
  );
  return n / ((Date.now() - t0) / 1000);
}

async function run(opts: BenchOptions): Promise<BenchRow[]> {
  const n = opts.n ?? 300;
  const clients = opts.clients ?? 10;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-bench-cycle-'));
  fs.chmodSync(dir, 0o777); // the embedded PostgreSQL runs as `postgres` when we are root (PLATFORM.md)
  opts.progress('starting PostgreSQL and the Temporal dev server…');
  const [pgPort, temporalPort] = [await freePort(), await freePort()];
  const [pg, temporal] = await Promise.all([
    startPostgres({ dataDir: path.join(dir, 'pg'), port: pgPort, log: () => undefined }),
    startTemporalDevServer({ port: temporalPort, dbFile: opts.flags.memory ? undefined : path.join(dir, 'temporal.db'), log: () => undefined }),
  ]);
  const stops: (() => Promise<unknown>)[] = [() => pg.stop(), () => temporal.stop()];
  try {
    await ensureDatabase(pg.url('postgres'), 'jiuzhu');
    await applyMigrations(pg.url('jiuzhu'));
    const prisma = createPrisma(pg.url('jiuzhu'));
    stops.unshift(() => prisma.$disconnect());
    opts.progress(`writing ${n} due households…`);
    const day = (d: string) => new Date(`${d}T00:00:00Z`);
    await prisma.household.createMany({
      data: Array.from({ length: n }, (_, i) => ({
        householdId: `bench-${String(i).padStart(7, '0')}`, programme: 'DIBAO', villageCode: `${COUNTY}100001`, townshipCode: `${COUNTY}100`, countyCode: COUNTY,
        residence: 'rural', status: 'active', monthlyFen: 50_000, enrolledOn: day('2025-03-01'), paymentStartMonth: '2025-03', reviewClass: 'annual', nextReviewOn: day('2026-03-01'),
      })),
    });
    const connection = await Connection.connect({ address: temporal.address });
    stops.unshift(() => connection.close());
    const client = new Client({ connection });
    const native = await NativeConnection.connect({ address: temporal.address });
    stops.unshift(() => native.close());
    opts.progress('bundling and starting the worker…');
    // issue 22 §1.3: the cycle checks its start's signature: a throwaway pair, its public key baked in
    const pair = newActorKeyPair('bench');
    const signer = startSigner(parseSigningKey(pair.signingKey));
    const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./cycle/workflows'), webpackConfigHook: actorKeysWebpackHook(parseVerifyKeys(pair.verifyKey)), logger: new DefaultLogger('WARN') });
    const worker = await Worker.create({ connection: native, taskQueue: TASK_QUEUE, workflowBundle: { code }, activities: createReviewCycleActivities(prisma, () => client, signer) });
    let baseline = 0;
    let cycle: { rate: number; result: CycleProgress } | undefined;
    await worker.runUntil(async () => {
      opts.progress(`baseline: ${n} starts from ${clients} clients…`);
      baseline = await baselineRate(client, n, clients);
      opts.progress(`cycle over ${n} households…`);
      const t0 = Date.now();
      const workflowId = `cycle-${COUNTY}-2026-03`;
      const args = [signer.sign({ workflowType: CYCLE_WORKFLOW_TYPE, workflowId }, { countyCode: COUNTY, period: '2026-03' })];
      const result: CycleProgress = await client.workflow.execute(CYCLE_WORKFLOW_TYPE, { taskQueue: TASK_QUEUE, workflowId, args });
      cycle = { rate: result.started / ((Date.now() - t0) / 1000), result };
    });
    if (!cycle || cycle.result.started !== n) throw new Error(`the cycle started ${cycle?.result.started} of ${n} reviews`);
    return [
      { subject: 'baseline start', metric: `rate (${clients} clients)`, value: baseline, unit: 'starts/s' },
      { subject: 'cycle start', metric: `rate (${cycle.result.pages} pages, ${cycle.result.runs} run)`, value: cycle.rate, unit: 'starts/s' },
      { subject: 'ratio', metric: 'cycle / baseline', value: cycle.rate / baseline, unit: '×' },
    ];
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmark = {
  name: 'cycle-start',
  description: "a recheck cycle's review start rate against bare client starts of the same no-op workflow (R-REV-06)",
  run,
};

if (require.main === module) {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const arg = (k: string) => {
    const i = process.argv.indexOf(`--${k}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  run({ n: Number(arg('n') ?? 300), clients: Number(arg('clients') ?? 10), flags: process.argv.includes('--memory') ? { memory: true } : {}, progress: (l) => console.log(`  [cycle-start] ${l}`) }).then(
    (rows) => {
      for (const r of rows) console.log(`${r.subject.padEnd(16)} ${r.metric.padEnd(24)} ${r.value.toFixed(2)} ${r.unit}`);
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
