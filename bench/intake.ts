// Issue 21 §4: intake speed. On one stack, in one run:
//   baseline  N update-with-start calls of a bare workflow (three no-op activities, bench/bare/), from
//             `clients` concurrent callers, through the service's data converter, on its own worker;
//   intake    N `POST /v1/applications` over HTTP from `clients` concurrent callers, distinct households
//             (valid ID numbers), each with its own Idempotency-Key, as a client should send them.
// Targets (reported, never enforced): intake rate ≥ 0.8 × the baseline's, intake p50 ≤ 2 × the baseline's.
// Then where each side's time goes, from the workflows' histories (bench/phases.ts).
// Flags: --n (per side, default 200), --clients (default 10), --warmup (default 10), --memory (the
// dev server's in-memory store instead of its SQLite file).
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { Benchmark, BenchOptions, BenchRow } from './index';
import { startBenchStack, type BenchStack } from './stack';
import { closedLoop, mean, percentile, type LoadResult } from './load';
import { meanSegments } from './phases';
import { BARE_TASK_QUEUE, bareReceiptUpdate } from './bare/messages';
import type { bareIntake } from './bare/workflow';
import { client as httpClient, token } from '../test/helpers/http';
import { applicationBody, HOUSEHOLD_MATERIALS, poorFamily, VILLAGE } from '../test/helpers/people';
import { checkDigit } from '../workflows/rules/id-number';
import type { Household } from '../workflows/rules/types';

const DAY_MS = 86_400_000;
/** R-APP-01: the household-level materials only; the authorisations follow later, so the case rests in awaiting_materials */
const MATERIALS = HOUSEHOLD_MATERIALS;

/**
 * Household `i`: the test couple and child, each born (i mod 300) days later than in the tests, with the
 * ID number's sequence code floor(i / 300): valid ID numbers (GB 11643 check digit, birth date matching)
 * that no other household of the run shares, for 300,000 households.
 */
export function household(i: number): Household {
  const base = poorFamily().household;
  const members = base.members.map((m, k) => {
    const birthDate = new Date(Date.parse(`${m.birthDate}T00:00:00Z`) + (i % 300) * DAY_MS).toISOString().slice(0, 10);
    const first17 = `140599${birthDate.replace(/-/g, '')}${String((Math.floor(i / 300) * 3 + k) % 1000).padStart(3, '0')}`;
    return { ...m, birthDate, idNumber: first17 + checkDigit(first17) };
  });
  return { ...base, members };
}

function body(i: number) {
  const h = household(i);
  return applicationBody(poorFamily({ household: h, villageCode: VILLAGE, materials: MATERIALS, account: { bank: '中国农业银行沁水支行', accountNo: '6228480000000000001', holderIdNumber: h.members[0].idNumber } }));
}

interface Side {
  load: LoadResult;
  workflowIds: string[];
  /** the API's Server-Timing phases of each answer (intake only) */
  serverTiming?: Map<string, number>[];
}

/** `checks;dur=12.3, workflow;dur=80.1` → phase → ms */
function parseServerTiming(header: string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const m = /^\s*([\w-]+);dur=([\d.]+)/.exec(part);
    if (m) out.set(m[1], Number(m[2]));
  }
  return out;
}

async function baseline(stack: BenchStack, from: number, n: number, clients: number, progress: (l: string) => void): Promise<Side> {
  const workflowIds: string[] = new Array(n);
  const load = await closedLoop(
    n,
    clients,
    async (i) => {
      const workflowId = `bare-${from + i}`;
      workflowIds[i] = workflowId;
      const start = new WithStartWorkflowOperation<typeof bareIntake>('bareIntake', {
        workflowId,
        taskQueue: BARE_TASK_QUEUE,
        args: [{ id: workflowId, body: body(from + i) }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      await stack.client.workflow.executeUpdateWithStart(bareReceiptUpdate, { startWorkflowOperation: start, updateId: 'intake' });
    },
    (done) => progress(`baseline ${done}/${n}`),
  );
  return { load, workflowIds };
}

async function intake(stack: BenchStack, from: number, n: number, clients: number, progress: (l: string) => void): Promise<Side> {
  const http = httpClient(stack.apiUrl);
  const caseworker = token('zhangmin', 'township_caseworker', '140599100', '张敏');
  const workflowIds: string[] = new Array(n);
  const serverTiming: Map<string, number>[] = new Array(n);
  const load = await closedLoop(
    n,
    clients,
    async (i) => {
      const r = await http.request('POST', '/v1/applications', { token: caseworker, body: body(from + i), headers: { 'Idempotency-Key': `bench-${from + i}` } });
      if (r.status !== 201) throw new Error(`POST /v1/applications answered ${r.status}: ${JSON.stringify(r.body)}`);
      if (r.body.step !== 'awaiting_materials') throw new Error(`the case is in ${r.body.step}, expected awaiting_materials`);
      workflowIds[i] = `application-${r.body.caseId}`;
      serverTiming[i] = parseServerTiming(r.headers.get('server-timing'));
    },
    (done) => progress(`intake ${done}/${n}`),
  );
  return { load, workflowIds, serverTiming };
}

function figures(subject: string, s: Side): BenchRow[] {
  const lat = s.load.spans.map((x) => x.end - x.start);
  return [
    { subject, metric: 'creates/s', value: s.load.rate, unit: '/s' },
    { subject, metric: 'latency p50', value: percentile(lat, 50), unit: 'ms' },
    { subject, metric: 'latency p95', value: percentile(lat, 95), unit: 'ms' },
    { subject, metric: 'failures', value: s.load.failures.length, unit: '' },
  ];
}

/** The API's own phases (Server-Timing), and what lies outside its handler: HTTP, authentication, rate limits, the Idempotency-Key row. */
function apiPhases(s: Side): BenchRow[] {
  const ok = s.load.spans.flatMap((span, i) => (s.serverTiming?.[i]?.size ? [{ total: span.end - span.start, t: s.serverTiming[i] }] : []));
  if (!ok.length) return [];
  const names = [...new Set(ok.flatMap((x) => [...x.t.keys()]))];
  const rows = names.map((name) => ({ subject: 'intake api', metric: `${name} (mean)`, value: mean(ok.map((x) => x.t.get(name) ?? 0)), unit: 'ms' }));
  const outside = mean(ok.map((x) => x.total - [...x.t.values()].reduce((a, b) => a + b, 0)));
  return [{ subject: 'intake api', metric: 'outside the handler: HTTP, auth, rate limits, idempotency row (mean)', value: outside, unit: 'ms' }, ...rows];
}

async function phases(stack: BenchStack, subject: string, s: Side): Promise<BenchRow[]> {
  const runs = s.workflowIds.flatMap((workflowId, i) => (workflowId && !s.load.failures.some((f) => f.index === i) ? [{ workflowId, span: s.load.spans[i] }] : []));
  const means = await meanSegments(stack.client, runs);
  return [...means].map(([phase, v]) => ({ subject: `${subject} phase`, metric: `${phase} (mean)`, value: v, unit: 'ms' }));
}

export const benchmark: Benchmark = {
  name: 'intake',
  description: 'POST /v1/applications against a bare update-with-start of three no-op activities (issue 21 §4)',
  async run(o: BenchOptions): Promise<BenchRow[]> {
    const n = o.n ?? 200;
    const clients = o.clients ?? 10;
    const warmup = o.flags.warmup !== undefined ? Number(o.flags.warmup) : 10;
    const generous = '1000000';
    const stack = await startBenchStack({
      memory: o.flags.memory === true,
      // the limits stay on (their cost is part of an intake), high enough never to refuse the bench
      apiEnv: { RATE_LIMIT_INTAKE_PER_MIN: generous, RATE_LIMIT_USER_PER_MIN: generous, RATE_LIMIT_ADDRESS_PER_MIN: generous },
      progress: o.progress,
    });
    try {
      await stack.startProcess('bench-worker', 'bench/bare/worker.ts', stack.env, 'bench worker ready');
      o.progress(`stack up; warming up (${warmup} each)…`);
      // households [0, warmup) warm up both sides; then each side has its own range
      await baseline(stack, 0, warmup, clients, () => undefined);
      const warm = await intake(stack, 0, warmup, clients, () => undefined);
      if (warm.load.failures.length) throw new Error(`the warm-up intake failed: ${warm.load.failures[0].error}`);
      o.progress(`baseline: ${n} update-with-start, ${clients} clients`);
      const base = await baseline(stack, warmup, n, clients, o.progress);
      o.progress(`intake: ${n} POST /v1/applications, ${clients} clients`);
      const real = await intake(stack, warmup + n, n, clients, o.progress);
      for (const f of real.load.failures.slice(0, 3)) o.progress(`intake failure: ${f.error}`);
      o.progress('reading the histories for the phases…');
      const p50 = (s: Side) => percentile(s.load.spans.map((x) => x.end - x.start), 50);
      const rateRatio = real.load.rate / base.load.rate;
      const p50Ratio = p50(real) / p50(base);
      return [
        ...figures('baseline (bare)', base),
        ...figures('intake (POST)', real),
        { subject: 'intake / baseline', metric: 'rate ratio', value: rateRatio, unit: '×', goal: '≥ 0.8', target: rateRatio >= 0.8 ? 'PASS' : 'FAIL' },
        { subject: 'intake / baseline', metric: 'p50 ratio', value: p50Ratio, unit: '×', goal: '≤ 2', target: p50Ratio <= 2 ? 'PASS' : 'FAIL' },
        ...(await phases(stack, 'baseline', base)),
        ...(await phases(stack, 'intake', real)),
        ...apiPhases(real),
      ];
    } finally {
      o.progress('stopping the stack…');
      await stack.stop();
    }
  },
};
