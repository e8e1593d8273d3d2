// Issue 22 §2.1: writes validated legacy households to the roster (花名册), one chunk per transaction,
// so a crash leaves whole chunks only. A chunk is idempotent: a household whose covered members are
// already an active household (the roster key, unique among active households) is "already present";
// one sharing a member with another active household, or with an open application, is refused as a
// bad row. One audit entry per chunk (R-SUP-05) names every household it wrote.
import crypto from 'node:crypto';
import { TRANSACTION_OPTIONS, type Prisma } from './db';
import { appendAudit } from './audit-log';
import { rosterKey } from './roster';
import { maskIdNumber } from '../workflows/rules/id-number';
import type { Member, ReviewClass } from '../workflows/rules/types';
import type { RosterProgramme } from '../workflows/rules/review-cadence';

export interface RosterRow {
  /** the row's index in its file or request */
  index: number;
  programme: RosterProgramme;
  villageCode: string;
  residence: 'urban' | 'rural';
  enrolledOn: string;
  paymentStartMonth: string;
  monthlyFen: number;
  reviewClass: ReviewClass;
  nextReviewOn: string;
  members: Member[];
  account: { bank: string; accountNo: string; holderIdNumber: string };
  legacyId?: string;
}

export interface ChunkContext {
  /** who imports: the caller (API) or the operator (CLI) */
  actor: string;
  actorRole?: string;
  /** the audit chain's jurisdiction: the caller's county */
  jurisdiction: string;
  /** the file or request, kept with each household (imported_from) */
  source: string;
}

export interface ChunkResult {
  imported: string[];
  alreadyPresent: { index: number; householdId: string }[];
  rejected: { index: number; errors: { path: string; message: string }[] }[];
}

const newHouseholdId = () => `H-I${crypto.randomBytes(10).toString('hex')}`;

/** Writes one chunk in one transaction: all of its new households, or (on any failure) none. */
export async function writeRosterChunk(prisma: Prisma, rows: RosterRow[], ctx: ChunkContext): Promise<ChunkResult> {
  return prisma.$transaction(async (tx) => {
    const ids = rows.flatMap((r) => r.members.map((m) => m.idNumber));
    // who is already on the active roster, or has an open application (the intake refuses them too)
    // two index lookups rather than a join: the planner would hash-join the whole household table per chunk
    const found = await tx.$queryRaw<{ idNumber: string; householdId: string }[]>`
      SELECT id_number AS "idNumber", household_id AS "householdId" FROM household_member
      WHERE id_number = ANY(${ids}::text[]) AND covered AND active`;
    const active = found.length
      ? await tx.$queryRaw<{ householdId: string; rosterKey: string | null }[]>`
          SELECT household_id AS "householdId", roster_key AS "rosterKey" FROM household
          WHERE household_id = ANY(${[...new Set(found.map((f) => f.householdId))]}::text[]) AND status = 'active'`
      : [];
    const keyOf = new Map(active.map((h) => [h.householdId, h.rosterKey]));
    const onRoster = found.filter((f) => keyOf.has(f.householdId)).map((f) => ({ ...f, rosterKey: keyOf.get(f.householdId)! }));
    const open = await tx.$queryRaw<{ idNumber: string; caseId: string }[]>`SELECT id_number AS "idNumber", case_id AS "caseId" FROM open_application WHERE id_number = ANY(${ids}::text[])`;
    const rosterOf = new Map(onRoster.map((r) => [r.idNumber, r]));
    const openOf = new Map(open.map((o) => [o.idNumber, o.caseId]));

    const result: ChunkResult = { imported: [], alreadyPresent: [], rejected: [] };
    const fresh: (RosterRow & { householdId: string; key: string })[] = [];
    for (const row of rows) {
      const key = rosterKey(row.members.map((m) => m.idNumber));
      const errors: { path: string; message: string }[] = [];
      row.members.forEach((m, i) => {
        const found = rosterOf.get(m.idNumber);
        if (found && found.rosterKey !== key) errors.push({ path: `members[${i}].idNumber`, message: `${maskIdNumber(m.idNumber)} is already on the roster (household ${found.householdId})` });
        const caseId = openOf.get(m.idNumber);
        if (caseId) errors.push({ path: `members[${i}].idNumber`, message: `${maskIdNumber(m.idNumber)} has an open application (case ${caseId})` });
      });
      const same = rosterOf.get(row.members[0].idNumber);
      if (errors.length) result.rejected.push({ index: row.index, errors });
      else if (same && same.rosterKey === key) result.alreadyPresent.push({ index: row.index, householdId: same.householdId });
      else fresh.push({ ...row, householdId: newHouseholdId(), key });
    }
    if (fresh.length === 0) return result;

    // One multi-row statement per table (unnest of column arrays: a few parameters, not one per cell,
    // which Prisma's createMany needs and which made 1,000 households take seconds). ON CONFLICT DO
    // NOTHING on the active roster key: of two concurrent imports of the same household, one writes it.
    const col = <T>(f: (r: (typeof fresh)[number]) => T) => fresh.map(f);
    const written = await tx.$queryRaw<{ householdId: string }[]>`
      INSERT INTO household (household_id, programme, village_code, township_code, county_code, residence, status, monthly_fen,
        enrolled_on, payment_start_month, review_class, next_review_on, single_person, roster_key, source, imported_from, legacy_id, updated_at)
      SELECT t.id, t.programme, t.village, left(t.village, 9), left(t.village, 6), t.residence, 'active', t.fen,
        t.enrolled, t.start_month, t.class, t.next_review, false, t.key, 'import', ${ctx.source}, t.legacy, now()
      FROM unnest(${col((r) => r.householdId)}::text[], ${col((r) => r.programme)}::text[], ${col((r) => r.villageCode)}::text[],
        ${col((r) => r.residence)}::text[], ${col((r) => r.monthlyFen)}::int[], ${col((r) => r.enrolledOn)}::date[],
        ${col((r) => r.paymentStartMonth)}::text[], ${col((r) => r.reviewClass)}::text[], ${col((r) => r.nextReviewOn)}::date[],
        ${col((r) => r.key)}::text[], ${col((r) => r.legacyId ?? null)}::text[])
        AS t(id, programme, village, residence, fen, enrolled, start_month, class, next_review, key, legacy)
      ON CONFLICT (roster_key) WHERE status = 'active' DO NOTHING
      RETURNING household_id AS "householdId"`;
    const writtenIds = new Set(written.map((w) => w.householdId));
    const kept = fresh.filter((r) => writtenIds.has(r.householdId));
    for (const r of fresh) if (!writtenIds.has(r.householdId)) result.alreadyPresent.push({ index: r.index, householdId: '(written concurrently)' });

    const members = kept.flatMap((r) => r.members.map((m) => ({ householdId: r.householdId, ...m })));
    const mcol = <T>(f: (m: (typeof members)[number]) => T) => members.map(f);
    await tx.$executeRaw`
      INSERT INTO household_member (household_id, id_number, name, relation, birth_date, covered, disability_grade, severe_illness)
      SELECT t.h, t.id, t.name, t.relation, t.birth, true, t.grade, t.ill
      FROM unnest(${mcol((m) => m.householdId)}::text[], ${mcol((m) => m.idNumber)}::text[], ${mcol((m) => m.name)}::text[],
        ${mcol((m) => m.relation)}::text[], ${mcol((m) => m.birthDate)}::date[], ${mcol((m) => m.disabilityGrade ?? null)}::int[],
        ${mcol((m) => m.severeIllness ?? false)}::boolean[])
        AS t(h, id, name, relation, birth, grade, ill)`;
    const acol = <T>(f: (r: (typeof kept)[number]) => T) => kept.map(f);
    await tx.$executeRaw`
      INSERT INTO bank_account (household_id, bank, account_no, holder_id_number, holder_name, registered_on)
      SELECT * FROM unnest(${acol((r) => r.householdId)}::text[], ${acol((r) => r.account.bank)}::text[], ${acol((r) => r.account.accountNo)}::text[],
        ${acol((r) => r.account.holderIdNumber)}::text[], ${acol((r) => r.members.find((m) => m.idNumber === r.account.holderIdNumber)?.name ?? '')}::text[],
        ${acol((r) => r.enrolledOn)}::date[])`;
    result.imported = kept.map((r) => r.householdId);
    if (kept.length) {
      await appendAudit(
        tx,
        [
          {
            key: `roster-import-${crypto.randomUUID()}`,
            at: Date.now(),
            actor: ctx.actor,
            actorRole: ctx.actorRole,
            action: 'roster.imported',
            reason: `legacy roster import: ${ctx.source}`,
            // household ids and rows only: the members' ID numbers stay in the roster tables
            data: { source: ctx.source, count: kept.length, households: kept.map((r) => [r.index, r.householdId]) },
          },
        ],
        { jurisdiction: ctx.jurisdiction },
      );
    }
    return result;
  }, { ...TRANSACTION_OPTIONS, timeout: Math.max(TRANSACTION_OPTIONS.timeout, 60_000) });
}
