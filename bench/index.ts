// `npm run bench [-- --n <households>] [--only <name>]`: runs each benchmark module's run(opts) and prints
// its rows. (Minimal harness; issue 22's bench/index.ts from the kit work replaces it on merge.)
import * as rosterImport from './roster-import';

const BENCHES: Record<string, { run(opts: { n?: number; log?: (l: string) => void }): Promise<{ bench: string; metric: string; value: number; unit: string }[]> }> = {
  'roster-import': rosterImport,
};

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const flag = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const n = flag('--n') === undefined ? undefined : Number(flag('--n'));
  if (n !== undefined && !(Number.isInteger(n) && n > 0)) throw new Error('usage: npm run bench -- [--n <positive integer>] [--only <name>]');
  const only = flag('--only');
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (only && only !== name) continue;
    const rows = await bench.run({ n, log: (l) => console.error(l) });
    for (const r of rows) console.log(`${r.bench.padEnd(16)} ${r.metric.padEnd(18)} ${String(r.value).padStart(10)} ${r.unit}`);
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exitCode = 1;
});
