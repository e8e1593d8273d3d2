// GET /v1/roster and GET /v1/households/{id} (issue 22 §2.7, API.md "Roster and households"): households
// with their next review date, paged, scoped by the caller's jurisdiction subtree (R-SEC-01).
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { token, type HttpClient } from '../helpers/http';
import { legacyHousehold, QINSHUI_VILLAGE, rosterApp } from '../helpers/roster';

let db: TestDatabase;
let http: HttpClient;
const training = token('zhaolei', 'county_caseworker', '140599');
const qinshui = token('wanggang', 'county_caseworker', '140521');
const supervisor = token('jiandu', 'supervisor', '1405');
let trainingIds: string[];
let head: { idNumber: string };

beforeAll(async () => {
  db = await createTestDatabase();
  http = await rosterApp(db);
  const rows = [legacyHousehold(), legacyHousehold({ programme: 'TEKUN' }), legacyHousehold({ reviewClass: 'quarterly', lastReviewOn: '2026-10-15' })];
  head = rows[0].members[0];
  const r = await http.request('POST', '/v1/roster/import', { token: training, body: { households: rows } });
  expect(r.body.imported).toBe(3);
  const q = await http.request('POST', '/v1/roster/import', { token: qinshui, body: { households: [legacyHousehold({ villageCode: QINSHUI_VILLAGE }, '140521')] } });
  expect(q.body.imported).toBe(1);
  trainingIds = (await db.prisma.household.findMany({ where: { countyCode: '140599' }, orderBy: { householdId: 'asc' } })).map((h) => h.householdId);
});
afterAll(async () => {
  await http?.close();
  await db?.drop();
});

describe('GET /v1/roster', () => {
  it('R-REV-01: lists the households of the caller’s subtree with monthly amounts and next review dates, paged', async () => {
    const first = await http.request('GET', '/v1/roster?limit=2', { token: training });
    expect(first.status).toBe(200);
    expect(first.body.items.map((h: { householdId: string }) => h.householdId)).toEqual(trainingIds.slice(0, 2));
    expect(first.body.items[0]).toMatchObject({ villageCode: '140599100201', status: 'active', monthlyFen: 84000, source: 'import', nextReviewOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const second = await http.request('GET', `/v1/roster?limit=2&cursor=${first.body.nextCursor}`, { token: training });
    expect(second.body).toEqual({ items: [expect.objectContaining({ householdId: trainingIds[2] })], nextCursor: null });
  });

  it('R-REV-01: filters by programme and by the next review date', async () => {
    const tekun = await http.request('GET', '/v1/roster?programme=TEKUN', { token: training });
    expect(tekun.body.items).toEqual([expect.objectContaining({ programme: 'TEKUN', reviewClass: 'annual' })]);
    const due = await http.request('GET', '/v1/roster?dueBefore=2027-01-15', { token: training });
    expect(due.body.items).toEqual([expect.objectContaining({ reviewClass: 'quarterly', nextReviewOn: '2027-01-15' })]);
  });

  it('R-SEC-01: a supervisor of the city sees both counties; a county sees only its own; another county’s jurisdiction is 403 naming the field', async () => {
    const city = await http.request('GET', '/v1/roster', { token: supervisor });
    expect(city.body.items).toHaveLength(4);
    const own = await http.request('GET', '/v1/roster', { token: qinshui });
    expect(own.body.items.map((h: { villageCode: string }) => h.villageCode)).toEqual([QINSHUI_VILLAGE]);
    const other = await http.request('GET', '/v1/roster?jurisdiction=140599', { token: qinshui });
    expect(other.status).toBe(403);
    expect(other.type).toContain('application/problem+json');
    expect(other.body.errors).toEqual([{ path: 'query.jurisdiction', message: 'outside your jurisdiction' }]);
  });

  it('API8: a bad query is 400 problem+json naming the field', async () => {
    for (const [query, path] of [
      ['limit=501', 'query.limit'],
      ['programme=LINSHI', 'query.programme'],
      ['cursor=%00', 'query.cursor'],
      ['dueBefore=2027-02-30', 'query.dueBefore'],
    ]) {
      const r = await http.request('GET', `/v1/roster?${query}`, { token: training });
      expect(r.status).toBe(400);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
    }
  });

  it('R-SEC-01: the bank (a machine client) does not read the roster', async () => {
    expect((await http.request('GET', '/v1/roster', { token: token('bank1', 'bank', '140599') })).status).toBe(403);
  });
});

describe('GET /v1/households/{householdId}', () => {
  it('R-PAY-01: the household with its members, review class, next review and a masked account', async () => {
    const r = await http.request('GET', `/v1/households/${trainingIds[0]}`, { token: training });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ householdId: trainingIds[0], reviewClass: expect.any(String), nextReviewOn: expect.any(String), payments: [] });
    expect(r.body.account.accountNo).toMatch(/^\*+\d{4}$/);
    expect(JSON.stringify(r.body)).not.toContain('6228480000012345678');
    // a county caseworker acts on the household: full ID numbers
    expect(r.body.members.map((m: { idNumber: string }) => m.idNumber).every((id: string) => /^\d{17}[\dX]$/.test(id))).toBe(true);
  });

  it('R-SUP-04: a supervisor reads ID numbers masked', async () => {
    const households = await Promise.all(trainingIds.map((id) => http.request('GET', `/v1/households/${id}`, { token: supervisor })));
    const ids = households.flatMap((h) => h.body.members.map((m: { idNumber: string }) => m.idNumber));
    expect(ids.every((id) => /^\d{6}\*{10}[\dX]{2}$/.test(id))).toBe(true);
    expect(JSON.stringify(households.map((h) => h.body))).not.toContain(head.idNumber);
  });

  it('R-SEC-01: a household outside the caller’s subtree is 404, like one that does not exist', async () => {
    const outside = await http.request('GET', `/v1/households/${trainingIds[0]}`, { token: qinshui });
    const unknown = await http.request('GET', '/v1/households/H-nothing', { token: qinshui });
    expect([outside.status, unknown.status]).toEqual([404, 404]);
    expect(outside.body.detail).toBe(`no household ${trainingIds[0]}`);
    expect(outside.type).toContain('application/problem+json');
  });
});

describe('GET /openapi.json', () => {
  it('describes the roster endpoints and the import row from their zod schemas', async () => {
    const doc = (await http.request('GET', '/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/roster', '/v1/roster/import', '/v1/households/{householdId}']));
    expect(doc.components.schemas.ImportHousehold.required).toEqual(expect.arrayContaining(['programme', 'villageCode', 'enrolledOn', 'monthlyFen', 'reviewClass', 'members', 'account']));
  });
});
