// Issue 22 §2.1: importing a legacy roster. When a file has good and bad rows, then every bad row is
// reported with its index and field paths and the good ones are imported; when the same file comes
// again, then nothing new is imported; when a chunk fails half way, then nothing of it stays.
import { RosterImporter } from '../../api/roster/import';
import { createRosterActivities } from '../../activities/roster';
import { chinaDate } from '../../workflows/rules/dates';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { token, type HttpClient } from '../helpers/http';
import { idNumberFor } from '../helpers/people';
import { legacyHousehold, QINSHUI_VILLAGE, rosterApp } from '../helpers/roster';

let db: TestDatabase;
let http: HttpClient;
const county = token('zhaolei', 'county_caseworker', '140599');
const today = chinaDate(Date.now());
const importRows = (households: unknown[], extra: Record<string, unknown> = {}) => http.request('POST', '/v1/roster/import', { token: county, body: { households, ...extra } });

beforeAll(async () => {
  db = await createTestDatabase();
  http = await rosterApp(db);
});
afterAll(async () => {
  await http?.close();
  await db?.drop();
});

/** Three good rows and eight bad ones, each bad in one field. */
function mixedFile() {
  const good = [
    legacyHousehold({ legacyId: 'L-001' }),
    legacyHousehold({ programme: 'TEKUN', reviewClass: 'annual', legacyId: 'L-002' }),
    legacyHousehold({ reviewClass: 'quarterly', lastReviewOn: '2026-10-15', legacyId: 'L-003' }),
  ];
  const badId = legacyHousehold();
  (badId.members as { idNumber: string }[])[1] = { ...(badId.members as object[])[1], idNumber: '140599196007210000' } as never;
  const holder = legacyHousehold();
  return {
    good,
    rows: [
      good[0],
      badId, // 1: check digit
      legacyHousehold({ villageCode: QINSHUI_VILLAGE }), // 2: another county
      legacyHousehold({ villageCode: '140599100299' }), // 3: not a registered village
      good[1],
      legacyHousehold({ monthlyFen: -5 }), // 5
      legacyHousehold({ monthlyFen: 120.5 }), // 6
      legacyHousehold({ reviewClass: 'monthly' }), // 7
      legacyHousehold({ programme: 'TEKUN', reviewClass: 'quarterly' }), // 8: R-REV-01
      { ...holder, account: { ...holder.account, holderIdNumber: idNumberFor('1990-01-01') } }, // 9: R-PAY-01
      legacyHousehold({ enrolledOn: '2099-01-01' }), // 10
      good[2],
      legacyHousehold({ members: [] }), // 12
    ],
  };
}

describe('POST /v1/roster/import', () => {
  it('R-APP-14, R-REV-01: when a file has good and bad rows, then every bad row is reported with its index and field, and the good ones are on the roster with their next review', async () => {
    const { rows, good } = mixedFile();
    const r = await importRows(rows, { source: 'legacy-2026-12.json' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ received: 13, imported: 3, alreadyPresent: 0 });
    const paths = Object.fromEntries(r.body.rejected.map((x: { index: number; errors: { path: string }[] }) => [x.index, x.errors.map((e) => e.path)]));
    expect(paths).toEqual({
      1: ['members[1].idNumber'],
      2: ['villageCode'],
      3: ['villageCode'],
      5: ['monthlyFen'],
      6: ['monthlyFen'],
      7: ['reviewClass'],
      8: ['reviewClass'],
      9: ['account.holderIdNumber'],
      10: ['enrolledOn'],
      12: ['members', 'members', 'account.holderIdNumber'], // empty, so no applicant and no holder either
    });
    // the roster's households with anyone of this file (other tests import into the same database): the good three
    const inFile = rows.flatMap((row) => (row.members as { idNumber: string }[]).map((m) => m.idNumber));
    const households = await db.prisma.household.findMany({ where: { members: { some: { idNumber: { in: inFile } } } }, include: { members: true, account: true }, orderBy: { legacyId: 'asc' } });
    expect(households.map((h) => h.legacyId)).toEqual(['L-001', 'L-002', 'L-003']);
    expect(households.every((h) => h.source === 'import' && h.importedFrom === 'legacy-2026-12.json' && h.status === 'active' && h.countyCode === '140599')).toBe(true);
    expect(households[0].members.map((m) => m.idNumber).sort()).toEqual(good[0].members.map((m) => m.idNumber).sort());
    expect(households[0].account).toMatchObject({ accountNo: '6228480000012345678', holderName: '赵大山' });
    expect(households[0].residence).toBe('rural'); // village 201: a 村民委员会
    // R-REV-01: annual from 2021-04-10, next on or after today; quarterly from the last review
    const next = (i: number) => households[i].nextReviewOn.toISOString().slice(0, 10);
    expect(next(0) >= today && next(0).endsWith('-04-10')).toBe(true);
    expect(next(0) <= `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`).toBe(true);
    expect(next(2)).toBe('2027-01-15');
    const audit = await db.prisma.auditEvent.findMany({ where: { action: 'roster.imported', data: { path: ['source'], equals: 'legacy-2026-12.json' } } });
    expect(audit).toHaveLength(1); // this file's import, once
    expect(audit[0]).toMatchObject({ actor: 'zhaolei', jurisdiction: '140599', data: { source: 'legacy-2026-12.json', count: 3 } });
  });

  it('R-APP-14: when the same file comes again, then nothing new is imported and the same bad rows are reported', async () => {
    const before = await db.prisma.household.count();
    const { rows } = mixedFile();
    const once = await importRows(rows);
    const twice = await importRows(rows);
    expect(once.body.imported).toBe(3);
    expect(twice.body).toMatchObject({ imported: 0, alreadyPresent: 3 });
    expect(twice.body.rejected).toEqual(once.body.rejected);
    expect(await db.prisma.household.count()).toBe(before + 3);
  });

  it('R-APP-06, R-APP-14: a household sharing a member with another household on the roster, or a person in two rows, is a bad row', async () => {
    const a = legacyHousehold();
    await importRows([a]);
    const other = legacyHousehold({ members: [{ ...a.members[1], relation: 'self' }], account: { ...a.account, holderIdNumber: a.members[1].idNumber } });
    const twin = legacyHousehold();
    const r = await importRows([other, twin, legacyHousehold({ members: [twin.members[0], { ...legacyHousehold().members[1] }], account: twin.account })]);
    expect(r.body.imported).toBe(1);
    expect(r.body.rejected).toEqual([
      { index: 0, errors: [{ path: 'members[0].idNumber', message: expect.stringMatching(/already on the roster \(household H-I[0-9a-f]+\)/) }] },
      { index: 2, errors: [{ path: 'members[0].idNumber', message: 'is also in row 1 of this import' }] },
    ]);
  });

  it('R-APP-14: enrolment writes the same roster: an enrolled household imported again is already present, a member of it in another household is refused', async () => {
    const enrolled = legacyHousehold();
    await createRosterActivities(db.prisma).enrolHousehold({
      householdId: 'H-C-enrolled-1',
      caseId: 'C-enrolled-1',
      programme: 'DIBAO',
      villageCode: enrolled.villageCode,
      residence: 'rural',
      members: enrolled.members.map((m) => ({ ...m, relation: m.relation as 'self' | 'spouse', covered: true })),
      monthlyFen: 60000,
      enrolledOn: '2026-11-02',
      paymentStartMonth: '2026-12',
      reviewClass: 'annual',
      nextReviewOn: '2027-11-02',
      singlePerson: false,
      account: enrolled.account,
    });
    const alone = legacyHousehold({ members: [{ ...enrolled.members[1], relation: 'self' }], account: { ...enrolled.account, holderIdNumber: enrolled.members[1].idNumber } });
    expect((await importRows([enrolled])).body).toMatchObject({ imported: 0, alreadyPresent: 1, rejected: [] });
    const r = await importRows([alone]);
    expect(r.body).toMatchObject({ imported: 0, alreadyPresent: 0 });
    expect(r.body.rejected).toEqual([{ index: 0, errors: [{ path: 'members[0].idNumber', message: expect.stringContaining('already on the roster (household H-C-enrolled-1)') }] }]);
  });

  it('R-APP-14: firstIndex makes the indices those of the file a part came from', async () => {
    const r = await importRows([legacyHousehold({ monthlyFen: -1 })], { firstIndex: 5000 });
    expect(r.body.rejected.map((x: { index: number }) => x.index)).toEqual([5000]);
  });

  it('API8: bad input as a whole is 400 problem+json naming the field, never a 500', async () => {
    const cases: [unknown, string][] = [
      [{ households: 'all of them' }, 'households'],
      [{ households: [] }, 'households'],
      [{ households: [legacyHousehold()], extra: true }, '(body)'],
      [{ households: [legacyHousehold()], firstIndex: -1 }, 'firstIndex'],
      [{ households: Array.from({ length: 5001 }, () => ({})) }, 'households'],
    ];
    for (const [body, path] of cases) {
      const r = await http.request('POST', '/v1/roster/import', { token: county, body });
      expect(r.status).toBe(400);
      expect(r.type).toContain('application/problem+json');
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const malformed = await http.request('POST', '/v1/roster/import', { token: county, raw: '{"households": [' });
    expect(malformed.status).toBe(400);
    expect(malformed.type).toContain('application/problem+json');
  });

  it('R-SEC-01: only a county caseworker imports', async () => {
    const r = await http.request('POST', '/v1/roster/import', { token: token('zhangmin', 'township_caseworker', '140599100'), body: { households: [legacyHousehold()] } });
    expect(r.status).toBe(403);
    expect(r.type).toContain('application/problem+json');
  });
});

describe('chunks', () => {
  it('R-APP-14: when a chunk fails half way, then the chunks before it stay whole and nothing of it is written; a rerun completes the file', async () => {
    const rows = Array.from({ length: 6 }, (_, i) => legacyHousehold({ legacyId: `chunk-${i}`, account: undefined }));
    rows.forEach((r, i) => (r.account = { bank: '农行', accountNo: `62000000000000000${i}`, holderIdNumber: r.members[0].idNumber }));
    // the database refuses the fourth household's account: the second chunk (rows 2, 3) fails after its households were inserted
    await db.prisma.$executeRawUnsafe(`CREATE FUNCTION fail_account() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`);
    await db.prisma.$executeRawUnsafe(`CREATE TRIGGER fail_account BEFORE INSERT ON bank_account FOR EACH ROW WHEN (NEW.account_no = '620000000000000003') EXECUTE FUNCTION fail_account()`);
    const importer = new RosterImporter(db.prisma);
    const o = { actor: { sub: 'operator', jurisdiction: '140599' }, source: 'chunks.json', today, chunkSize: 2 };
    await expect(importer.import(rows, o)).rejects.toThrow(/disk full/);
    const written = async () => (await db.prisma.household.findMany({ where: { legacyId: { startsWith: 'chunk-' } }, select: { legacyId: true } })).map((h) => h.legacyId).sort();
    expect(await written()).toEqual(['chunk-0', 'chunk-1']);
    expect(await db.prisma.householdMember.count({ where: { idNumber: { in: rows.slice(2).flatMap((r) => r.members.map((m) => m.idNumber)) } } })).toBe(0);

    await db.prisma.$executeRawUnsafe('DROP TRIGGER fail_account ON bank_account');
    const rerun = await importer.import(rows, o);
    expect(rerun).toMatchObject({ imported: 4, alreadyPresent: 2, rejected: [], chunks: 3 });
    expect(await written()).toEqual(['chunk-0', 'chunk-1', 'chunk-2', 'chunk-3', 'chunk-4', 'chunk-5']);
  });
});
