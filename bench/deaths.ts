// Issue 23 §6: 100,000 death records (--n) matched against a 1,000,000-person roster (--roster) through the
// path the API uses (activities/death-stop/intake.ts): each row checked on its own, matched by ID number in
// chunks, and the death stops claimed. The roster is seeded with bulk SQL (multi-row INSERT … SELECT unnest),
// not the API, on a throw-away embedded PostgreSQL. Starting the stops' workflows is Temporal's rate
// (PLATFORM.md: ~14 one-activity workflows/s on the dev server), not measured here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPrisma, type Prisma } from '../activities/db';
import { checkDigit } from '../workflows/rules/id-number';
import { addDays } from '../workflows/rules/dates';
import { startPostgres, ensureDatabase } from '../scripts/stack/postgres';
import { freePort } from '../scripts/stack/ports';
import { applyMigrations } from '../scripts/migrate';
import { claimDeathStops, matchDeathRecords, MATCH_CHUNK } from '../activities/death-stop/intake';
import { deathRecordRow } from '../workflows/death-stop/payloads';
import type { Benchmark, BenchRow } from './index';

const COUNTY = '149902';
const MEMBERS_PER_HOUSEHOLD = 2;
const SEED_CHUNK = 50_000;

/** Person p: born 1930-01-01 + ⌊p/1000⌋ days, sequence p mod 1000: unique and valid (GB 11643). */
function idNumber(p: number): string {
  const first17 = `${COUNTY}${addDays('1930-01-01', Math.floor(p / 1000)).replace(/-/g, '')}${String(p % 1000).padStart(3, '0')}`;
  return first17 + checkDigit(first17);
}

async function seedRoster(prisma: Prisma, persons: number, log: (l: string) => void): Promise<void> {
  const households = Math.ceil(persons / MEMBERS_PER_HOUSEHOLD);
  for (let from = 0; from < households; from += SEED_CHUNK) {
    const to = Math.min(households, from + SEED_CHUNK);
    await prisma.$executeRawUnsafe(
      `INSERT INTO household (household_id, programme, village_code, township_code, county_code, residence, status, monthly_fen, enrolled_on, payment_start_month, review_class, next_review_on, single_person, source, updated_at)
       SELECT 'BH-' || g, 'DIBAO', '${COUNTY}100' || lpad((200 + g % 100)::text, 3, '0'), '${COUNTY}100', '${COUNTY}', 'rural', 'active', 60000, DATE '2020-01-01', '2020-02', 'annual', DATE '2027-01-01', false, 'import', now()
       FROM generate_series(${from}, ${to - 1}) g`,
    );
    const ids: string[] = [];
    const hh: string[] = [];
    for (let h = from; h < to; h++) for (let k = 0; k < MEMBERS_PER_HOUSEHOLD && h * MEMBERS_PER_HOUSEHOLD + k < persons; k++) (ids.push(idNumber(h * MEMBERS_PER_HOUSEHOLD + k)), hh.push(`BH-${h}`));
    await prisma.$executeRaw`
      INSERT INTO household_member (household_id, id_number, name, relation, birth_date, covered, active)
      SELECT h, i, '成员', 'self', DATE '1950-01-01', true, true
      FROM unnest(${hh}::text[], ${ids}::text[]) AS t(h, i)`;
    log(`deaths: roster ${to * MEMBERS_PER_HOUSEHOLD} of ${persons} people seeded`);
  }
  await prisma.$executeRawUnsafe('ANALYZE household; ANALYZE household_member');
}

export const benchmark: Benchmark = {
  name: 'deaths',
  description: '100,000 death records (--n) matched against a 1,000,000-person roster (--roster) through the API\'s intake path (row checks, match, claim)',
  async run(o) {
    const n = o.n ?? 100_000;
    const persons = Number(o.flags.roster ?? 1_000_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-bench-deaths-'));
    const pg = await startPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), log: () => undefined });
    const prisma = createPrisma(pg.url('bench'), 4);
    try {
      await ensureDatabase(pg.url('postgres'), 'bench');
      await applyMigrations(pg.url('bench'));
      const seedStarted = Date.now();
      await seedRoster(prisma, persons, o.progress);
      const seedSeconds = (Date.now() - seedStarted) / 1000;
      // 9 in 10 records name someone on the roster (spread over it), 1 in 10 a stranger
      const records = Array.from({ length: n }, (_, i) => ({ idNumber: idNumber(i % 10 === 9 ? persons + i : Math.floor((i * persons) / n)), name: '某', dateOfDeath: '2026-01-15' }));

      let peak = process.memoryUsage().rss;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
      const t0 = process.hrtime.bigint();
      const row = deathRecordRow('2026-12-06');
      const valid = records.flatMap((r, index) => (row.safeParse(r).success ? [{ index, ...r }] : []));
      const t1 = process.hrtime.bigint();
      const found = await matchDeathRecords(prisma, valid.map((r) => r.idNumber));
      const t2 = process.hrtime.bigint();
      const claims = await claimDeathStops(prisma, valid.filter((r) => found.has(r.idNumber)).map((r) => ({ ...found.get(r.idNumber)!, dateOfDeath: r.dateOfDeath })));
      const t3 = process.hrtime.bigint();
      const again = await matchDeathRecords(prisma, valid.map((r) => r.idNumber));
      const t4 = process.hrtime.bigint();
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      const s = (a: bigint, b: bigint) => Math.round(Number(b - a) / 1e7) / 100;
      if (valid.length !== n || claims.size !== found.size || again.size !== found.size) throw new Error(`deaths: valid ${valid.length}, matched ${found.size}, claimed ${claims.size}, again ${again.size}`);
      const rows: BenchRow[] = [
        { subject: 'roster', metric: 'people (bulk SQL seed)', value: persons, unit: `people in ${seedSeconds.toFixed(0)} s` },
        { subject: 'records', metric: 'received', value: n, unit: 'records' },
        { subject: 'records', metric: 'matched', value: found.size, unit: 'people' },
        { subject: 'check rows', metric: 'time', value: s(t0, t1), unit: 's' },
        { subject: `match (${MATCH_CHUNK} per query)`, metric: 'time', value: s(t1, t2), unit: 's' },
        { subject: 'claim death stops', metric: 'time', value: s(t2, t3), unit: 's' },
        { subject: 'total (check, match, claim)', metric: 'rate', value: Math.round(n / (Number(t3 - t0) / 1e9)), unit: 'records/s' },
        { subject: 'the same records again (all claimed)', metric: 'match time', value: s(t3, t4), unit: 's' },
        { subject: 'process', metric: 'peak RSS', value: Math.round(peak / 2 ** 20), unit: 'MiB' },
      ];
      return rows;
    } finally {
      await prisma.$disconnect();
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
