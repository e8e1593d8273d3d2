// Issue 22 §2.1: 100,000 legacy households import in well under a minute. Generates N households with
// valid ID numbers in a bench county, writes them as a JSON file and imports it through the CLI's path
// (scripts/import/run.ts → RosterImporter), on a throw-away embedded PostgreSQL (never DATABASE_URL:
// the bench writes fictitious households). Reports households/s, total seconds, this process's CPU seconds and peak RSS.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPrisma } from '../activities/db';
import { checkDigit } from '../workflows/rules/id-number';
import { addDays } from '../workflows/rules/dates';
import { startPostgres, ensureDatabase } from '../scripts/stack/postgres';
import { freePort } from '../scripts/stack/ports';
import { applyMigrations } from '../scripts/migrate';
import { seedReferenceData } from '../scripts/seed';
import { importFile } from '../scripts/import/run';

export interface BenchOptions {
  /** households (default 100,000) */
  n?: number;
  chunkSize?: number;
  log?: (line: string) => void;
}

export interface BenchRow {
  bench: string;
  metric: string;
  value: number;
  unit: string;
}

const COUNTY = '149901';
const VILLAGES = 100;
const CLASSES = ['annual', 'semiannual', 'quarterly'] as const;

/** Person p: born 1940-01-01 + ⌊p/1000⌋ days, sequence p mod 1000: unique and valid (GB 11643). */
function person(p: number) {
  const birthDate = addDays('1940-01-01', Math.floor(p / 1000));
  const first17 = `${COUNTY}${birthDate.replace(/-/g, '')}${String(p % 1000).padStart(3, '0')}`;
  return { idNumber: first17 + checkDigit(first17), birthDate };
}

export function generateHouseholds(n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => {
    const size = 1 + (i % 3);
    const members = Array.from({ length: size }, (_, k) => ({ name: `户${i}成员${k}`, ...person(i * 3 + k), relation: k === 0 ? 'self' : k === 1 ? 'spouse' : 'child' }));
    const tekun = i % 10 === 0;
    return {
      programme: tekun ? 'TEKUN' : 'DIBAO',
      villageCode: `${COUNTY}100${String(200 + (i % VILLAGES)).padStart(3, '0')}`,
      enrolledOn: addDays('2018-01-01', i % 2000),
      monthlyFen: 30000 + (i % 500) * 100,
      reviewClass: tekun ? 'annual' : CLASSES[i % 3],
      members,
      account: { bank: '中国农业银行', accountNo: `62284800${String(i).padStart(11, '0')}`, holderIdNumber: members[0].idNumber },
      legacyId: `B-${i}`,
    };
  });
}

export async function run(opts: BenchOptions = {}): Promise<BenchRow[]> {
  const n = opts.n ?? 100_000;
  const log = opts.log ?? (() => undefined);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-bench-roster-'));
  const pg = await startPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), log: () => undefined });
  const prisma = createPrisma(pg.url('bench'), 4);
  try {
    await ensureDatabase(pg.url('postgres'), 'bench');
    await applyMigrations(pg.url('bench'));
    await seedReferenceData(pg.url('bench'), { demo: false });
    await prisma.division.createMany({
      data: [
        { code: COUNTY, name: '基准县', level: 'county', parentCode: null },
        { code: `${COUNTY}100`, name: '基准镇', level: 'township', parentCode: COUNTY },
        ...Array.from({ length: VILLAGES }, (_, v) => ({ code: `${COUNTY}100${200 + v}`, name: `基准村${v}`, level: 'village', parentCode: `${COUNTY}100` })),
      ],
    });
    const file = path.join(dir, 'roster.json');
    fs.writeFileSync(file, JSON.stringify({ households: generateHouseholds(n) }));
    log(`roster-import: ${n} households generated (${(fs.statSync(file).size / 1e6).toFixed(0)} MB JSON), importing`);

    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const result = await importFile(prisma, file, { county: COUNTY, by: 'bench', chunkSize: opts.chunkSize });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpuUsed = process.cpuUsage(cpu);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    if (result.imported !== n || result.rejected.length) throw new Error(`roster-import: imported ${result.imported} of ${n}, rejected ${JSON.stringify(result.rejected.slice(0, 3))}`);
    // the same file again: nothing new, and how long the check takes
    const againStarted = process.hrtime.bigint();
    const again = await importFile(prisma, file, { county: COUNTY, by: 'bench', chunkSize: opts.chunkSize });
    const againSeconds = Number(process.hrtime.bigint() - againStarted) / 1e9;
    if (again.imported !== 0 || again.alreadyPresent !== n) throw new Error(`roster-import: the second import added ${again.imported}`);
    return [
      { bench: 'roster-import', metric: 'households', value: n, unit: 'households' },
      { bench: 'roster-import', metric: 'total', value: round(seconds), unit: 's' },
      { bench: 'roster-import', metric: 'rate', value: Math.round(n / seconds), unit: 'households/s' },
      // this process's CPU (parse, checks, SQL building; PostgreSQL's own is not in it): on a loaded
      // machine the wall time grows with the load, this much less
      { bench: 'roster-import', metric: 'node CPU', value: round((cpuUsed.user + cpuUsed.system) / 1e6), unit: 's' },
      { bench: 'roster-import', metric: 'same file again', value: round(againSeconds), unit: 's' },
      { bench: 'roster-import', metric: 'peak RSS', value: Math.round(peak / 2 ** 20), unit: 'MiB' },
    ];
  } finally {
    await prisma.$disconnect();
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
