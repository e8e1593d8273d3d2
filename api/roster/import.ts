// Issue 22 §2.1: the roster import, one code path for POST /v1/roster/import, `npm run import` and
// `npm run bench`. Every row is checked on its own (shape, ID check digits, a known village inside the
// importer's jurisdiction, dates, amounts, class, account); good rows are written in chunks
// (activities/roster-import.ts), each one transaction; every bad row is reported with its index and
// its fields' errors. The next review date comes from the class's cadence in the policy (R-REV-01).
import type { Prisma } from '../../activities/db';
import { PolicyNotResolvable, resolvePolicy } from '../../activities/policy';
import { writeRosterChunk, type RosterRow } from '../../activities/roster-import';
import { nextMonth } from '../../workflows/rules/dates';
import { nextReviewOn } from '../../workflows/rules/review-cadence';
import type { PolicyParams } from '../../workflows/rules/policy';
import { fieldErrors, unavailable } from '../problems';
import { importHouseholdSchema, type ImportHousehold } from './schemas';

export const DEFAULT_CHUNK_SIZE = 1000;

export interface ImportOptions {
  /** who imports, and the jurisdiction every village must lie in (a county caseworker's county) */
  actor: { sub: string; role?: string; jurisdiction: string };
  /** the file or request, kept with each household */
  source: string;
  /** today in China: no enrolment after it; imported households are next reviewed on or after it */
  today: string;
  /** index of rows[0] in its file (a file sent in parts) */
  firstIndex?: number;
  chunkSize?: number;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportProgress {
  received: number;
  done: number;
  imported: number;
  alreadyPresent: number;
  rejected: number;
}

export interface RowError {
  index: number;
  errors: { path: string; message: string }[];
}

export interface ImportResult {
  received: number;
  imported: number;
  alreadyPresent: number;
  rejected: RowError[];
  chunks: number;
}

/** 区划代码 village part: 001–199 居民委员会 (urban), 200–399 村民委员会 (rural), GB/T 10114 practice. */
export const residenceOf = (villageCode: string): 'urban' | 'rural' => (Number(villageCode.slice(9)) < 200 ? 'urban' : 'rural');

export class RosterImporter {
  constructor(private readonly prisma: Prisma) {}

  async import(rows: unknown[], o: ImportOptions): Promise<ImportResult> {
    const first = o.firstIndex ?? 0;
    const rejected = new Map<number, RowError['errors']>();
    const reject = (index: number, errors: RowError['errors']) => rejected.set(index, [...(rejected.get(index) ?? []), ...errors]);

    // 1. each row's own shape and rules
    const parsed: { index: number; h: ImportHousehold }[] = [];
    rows.forEach((row, i) => {
      const r = importHouseholdSchema.safeParse(row);
      if (!r.success) return reject(first + i, fieldErrors(r.error));
      const errors: RowError['errors'] = [];
      if (!r.data.villageCode.startsWith(o.actor.jurisdiction)) errors.push({ path: 'villageCode', message: `outside your jurisdiction ${o.actor.jurisdiction}` });
      if (r.data.enrolledOn > o.today) errors.push({ path: 'enrolledOn', message: 'must not be after today' });
      if (r.data.lastReviewOn && r.data.lastReviewOn > o.today) errors.push({ path: 'lastReviewOn', message: 'must not be after today' });
      if (errors.length) return reject(first + i, errors);
      parsed.push({ index: first + i, h: r.data });
    });

    // 2. what the database knows: the villages (one query), the policy of each county (R-POL)
    const codes = [...new Set(parsed.map((p) => p.h.villageCode))];
    const villages = new Set((await this.prisma.division.findMany({ where: { code: { in: codes }, level: 'village' }, select: { code: true } })).map((d) => d.code));
    const policies = new Map<string, PolicyParams>();
    for (const county of new Set(codes.filter((c) => villages.has(c)).map((c) => c.slice(0, 6)))) {
      try {
        policies.set(county, (await resolvePolicy(this.prisma, county, o.today)).params);
      } catch (err) {
        if (err instanceof PolicyNotResolvable) throw unavailable(`policy not configured: ${err.message}`);
        throw err;
      }
    }

    // 3. a person in two rows of the same import: the later row is refused
    const seen = new Map<string, number>();
    const good: RosterRow[] = [];
    for (const { index, h } of parsed) {
      const errors: RowError['errors'] = [];
      if (!villages.has(h.villageCode)) errors.push({ path: 'villageCode', message: 'not a registered village' });
      h.members.forEach((m, i) => {
        const other = seen.get(m.idNumber);
        if (other !== undefined) errors.push({ path: `members[${i}].idNumber`, message: `is also in row ${other} of this import` });
      });
      h.members.forEach((m) => seen.has(m.idNumber) || seen.set(m.idNumber, index));
      if (errors.length) {
        reject(index, errors);
        continue;
      }
      const policy = policies.get(h.villageCode.slice(0, 6))!;
      good.push({
        index,
        programme: h.programme,
        villageCode: h.villageCode,
        residence: h.residence ?? residenceOf(h.villageCode),
        enrolledOn: h.enrolledOn,
        // R-APP-14: paid from the month after enrolment (a legacy household is being paid already)
        paymentStartMonth: nextMonth(h.enrolledOn),
        monthlyFen: h.monthlyFen,
        reviewClass: h.reviewClass,
        // R-REV-01: a cadence after the last review; without one, the household's rhythm from enrolment,
        // from today on (a legacy roster does not fall due all at once)
        nextReviewOn: h.lastReviewOn ? nextReviewOn(h.lastReviewOn, h.reviewClass, h.programme, policy) : nextReviewOn(h.enrolledOn, h.reviewClass, h.programme, policy, o.today),
        members: h.members,
        account: h.account,
        legacyId: h.legacyId,
      });
    }

    // 4. the good rows, a chunk per transaction
    const size = o.chunkSize ?? DEFAULT_CHUNK_SIZE;
    const progress: ImportProgress = { received: rows.length, done: rows.length - good.length, imported: 0, alreadyPresent: 0, rejected: rejected.size };
    o.onProgress?.({ ...progress });
    let chunks = 0;
    for (let at = 0; at < good.length; at += size) {
      const chunk = good.slice(at, at + size);
      const r = await writeRosterChunk(this.prisma, chunk, { actor: o.actor.sub, actorRole: o.actor.role, jurisdiction: o.actor.jurisdiction, source: o.source });
      chunks++;
      for (const x of r.rejected) reject(x.index, x.errors);
      progress.done += chunk.length;
      progress.imported += r.imported.length;
      progress.alreadyPresent += r.alreadyPresent.length;
      progress.rejected = rejected.size;
      o.onProgress?.({ ...progress });
    }
    return {
      received: rows.length,
      imported: progress.imported,
      alreadyPresent: progress.alreadyPresent,
      rejected: [...rejected.entries()].sort((a, b) => a[0] - b[0]).map(([index, errors]) => ({ index, errors })),
      chunks,
    };
  }
}
