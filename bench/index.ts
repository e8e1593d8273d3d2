// `npm run bench [-- <name>…] [--n 200] [--clients 10] [--<flag> <value>]`: the project's benchmarks.
//
// Speed and memory targets live here, reported as figures, never as timed assertions in tests (the
// machines are shared; a timed test fails on load, not on code). `make test` never runs this.
//
// Adding a benchmark: write bench/<name>.ts exporting `benchmark: Benchmark`, add it to BENCHMARKS below.
//   - `run(opts)` does its own set-up (bench/stack.ts starts the real stack in a temp dir) and tear-down,
//     and returns rows of figures. A figure is meaningful only as a rate or a ratio against a baseline
//     measured in the same run, on the same server (PLATFORM.md: the dev server is the bottleneck).
//   - a target is a row with `target` set ('PASS'/'FAIL'): printed, never an exit code (CI never fails on it).
//   - keep the default run short (opts.n); flags scale it; `opts.progress` shows counts while it runs.
// Every run prints a table and writes test-artifacts/bench-<timestamp>.json (ignored by git).
import fs from 'node:fs';
import path from 'node:path';
import { benchmark as intake } from './intake';
import * as rosterImportBench from './roster-import';
import { benchmark as cycleStart } from './cycle-start';
import { benchmark as deaths } from './deaths';

export interface BenchOptions {
  /** how many operations per measured side (--n; each benchmark has its default) */
  n?: number;
  /** concurrent clients (--clients) */
  clients?: number;
  /** every other --flag value (or `true` for a bare --flag) */
  flags: Record<string, string | true>;
  /** a line of progress (counts, phases) */
  progress(line: string): void;
}

export interface BenchRow {
  /** what is measured: 'baseline create', 'intake create', 'ratio', 'phase: openCase'… */
  subject: string;
  metric: string;
  value: number;
  unit: string;
  /** the target this row is compared with, e.g. '≥ 0.8' */
  goal?: string;
  target?: 'PASS' | 'FAIL';
}

export interface Benchmark {
  name: string;
  /** one line: what it measures against which baseline */
  description: string;
  run(opts: BenchOptions): Promise<BenchRow[]>;
}

/** The roster import (issue 22 §2.1): households a second through the CLI's own code path, and peak memory. */
const rosterImport: Benchmark = {
  name: 'roster-import',
  description: '100,000 households (--n) imported through the CLI\'s code path into a throw-away PostgreSQL, then the same file again',
  async run(o) {
    const rows = await rosterImportBench.run({ n: o.n, log: o.progress });
    return rows.map((r) => ({ subject: r.bench, metric: r.metric, value: r.value, unit: r.unit }));
  },
};

const BENCHMARKS: Benchmark[] = [intake, rosterImport, cycleStart, deaths];

function parseArgs(argv: string[]): { names: string[]; n?: number; clients?: number; flags: Record<string, string | true> } {
  const names: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      names.push(a);
      continue;
    }
    const [key, inline] = a.slice(2).split('=', 2);
    const next = argv[i + 1];
    flags[key] = inline ?? (next !== undefined && !next.startsWith('--') ? (i++, next) : true);
  }
  const num = (k: string) => {
    if (flags[k] === undefined) return undefined;
    const v = Number(flags[k]);
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer`);
    delete flags[k];
    return v;
  };
  return { names, n: num('n'), clients: num('clients'), flags };
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

export function printTable(bench: string, rows: BenchRow[]): void {
  const lines = rows.map((r) => [bench, r.subject, r.metric, `${fmt(r.value)} ${r.unit}`.trim(), r.goal ?? '', r.target ?? '']);
  const head = ['bench', 'subject', 'metric', 'value', 'goal', 'target'];
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log(row(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(row(l));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const unknown = args.names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length) throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  const chosen = args.names.length ? BENCHMARKS.filter((b) => args.names.includes(b.name)) : BENCHMARKS;
  const started = new Date();
  const results: { name: string; description: string; seconds: number; rows: BenchRow[] }[] = [];
  for (const b of chosen) {
    console.log(`\n▶ ${b.name}: ${b.description}`);
    const t0 = Date.now();
    const rows = await b.run({ n: args.n, clients: args.clients, flags: args.flags, progress: (l) => console.log(`  [${b.name}] ${l}`) });
    results.push({ name: b.name, description: b.description, seconds: (Date.now() - t0) / 1000, rows });
    console.log('');
    printTable(b.name, rows);
  }
  const dir = path.join(__dirname, '..', 'test-artifacts');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify({ startedAt: started.toISOString(), argv: process.argv.slice(2), results }, null, 2));
  console.log(`\nfigures written to ${path.relative(process.cwd(), file)} (targets are reported, never enforced)`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exit(1);
    },
  );
}
