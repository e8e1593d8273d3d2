// OWASP API8:2023 Security Misconfiguration (issue 16, issue 21 §3): bad input is a 400 problem naming the
// parameter, an unknown id a 404, never a 500; answers holding personal data are neither cached nor sniffed.
import fc from 'fast-check';
import type { z } from 'zod';
import { caseIdParams, listQuerySchema } from '../../api/applications/schemas';
import { anchorsQuery, auditQuery, jobIdParams, verifyQuery } from '../../api/audit/schemas';
import { encodeCursor } from '../../api/paging';
import { specialFilingsQuery } from '../../api/special-filings/schemas';
import { householdIdParams, rosterQuerySchema } from '../../api/roster/schemas';
import { reviewIdParams, reviewListQuery } from '../../api/reviews/schemas';
import { directPaymentListQuery, paymentIdParams } from '../../api/direct-payments/schemas';
import { townshipMonthParams } from '../../api/change-reports/schemas';
import { deathStopListQuery, deathStopParams } from '../../api/deaths/schemas';
import { token } from '../helpers/http';
import { appBed, type Bed } from './security-bed';

let bed: Bed;
beforeAll(async () => {
  bed = await appBed();
});
afterAll(async () => bed?.close());

const supervisor = token('hewei', 'supervisor', '1405', '何伟');
const get = (path: string) => bed.http.request('GET', path, { token: supervisor });

/**
 * Percent-encodes every UTF-16 code unit as the bytes a client may really send, lone surrogates
 * included (encodeURIComponent refuses those: a hostile client does not).
 */
function encodeAny(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    const next = s.charCodeAt(i + 1);
    if (cp >= 0xd800 && cp <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      cp = 0x10000 + ((cp - 0xd800) << 10) + (next - 0xdc00);
      i++;
    }
    if (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(cp)) && cp < 0x80) {
      out += String.fromCharCode(cp);
      continue;
    }
    const bytes =
      cp < 0x80 ? [cp]
      : cp < 0x800 ? [0xc0 | (cp >> 6), 0x80 | (cp & 63)]
      : cp < 0x10000 ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)]
      : [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
    out += bytes.map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

/** Hostile values: huge numbers, NUL and control bytes, unpaired surrogates, overlong strings, number edge cases. */
const hostile = fc.oneof(
  fc.bigInt({ min: 10n ** 18n, max: 10n ** 60n }).map(String),
  fc.bigInt({ min: -(10n ** 30n), max: -1n }).map(String),
  fc.constantFrom('1e400', 'NaN', 'Infinity', '-0', '0x10', '1.5', '', ' ', '9223372036854775808', '00000000000000000000000000001', '-16'),
  fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`),
  fc.string({ maxLength: 20 }).map((s) => `\u0001\u001f\u007f${s}\n\r`),
  fc.constantFrom('\uD800', '\uDFFF', 'a\uD83D', '\uDE00b', '\uDBFF\uDBFF'),
  // overlong, within Node's 16 KB header limit (beyond it Node itself answers 431 before the app runs)
  fc.integer({ min: 300, max: 6_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 30, max: 2_000 }).map((n) => '9'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

/**
 * The oracle: each GET's parameters as the API declares them (the schemas its routes validate with, and
 * /openapi.json is generated from), the other parameters a valid request needs, and what a valid request
 * answers here: the bed's database holds no case and no verification job, so a well-formed id is unknown.
 */
const declared: Record<string, { schema: z.ZodType; baseline?: Record<string, string> }> = {
  '/v1/applications': { schema: listQuerySchema },
  '/v1/applications/{caseId}': { schema: caseIdParams },
  '/v1/audit': { schema: auditQuery },
  '/v1/audit/anchors': { schema: anchorsQuery },
  '/v1/audit/verify': { schema: verifyQuery },
  '/v1/audit/verify/jobs/{jobId}': { schema: jobIdParams },
  '/v1/special-filings': { schema: specialFilingsQuery, baseline: { from: '2026-01-01', to: '2026-12-31' } },
  '/v1/roster': { schema: rosterQuerySchema },
  '/v1/households/{householdId}': { schema: householdIdParams },
  // issue 22 §2.7
  '/v1/reviews': { schema: reviewListQuery },
  '/v1/reviews/{reviewId}': { schema: reviewIdParams },
  // issue 22 §2.5: a month of a township's change reports (none recorded here: a well-formed one is unknown)
  '/v1/townships/{townshipCode}/change-reports/{month}': { schema: townshipMonthParams, baseline: { townshipCode: '140599100', month: '2026-03' } },
  // issue 23 §5: direct payments
  '/v1/direct-payments': { schema: directPaymentListQuery },
  '/v1/direct-payments/{paymentId}': { schema: paymentIdParams },
  // issue 23 §4: death stops (none here: a well-formed workflow id is unknown)
  '/v1/death-stops': { schema: deathStopListQuery },
  '/v1/death-stops/{workflowId}': { schema: deathStopParams },
};
/** API.md: an unknown id (or one outside the caller's subtree) → 404 */
const isId = (t: { in: string; name: string }) => t.in === 'path' || t.name === 'caseId';

/**
 * No parameter of this API admits control characters, broken Unicode, whitespace or more than 120
 * characters: the oracle must refuse them, so a schema as lax as "any string up to 64" fails the test.
 */
// eslint-disable-next-line no-control-regex
const neverValid = (v: string) => v.length > 120 || /[\u0000-\u0020\u007f\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(v);

/** The field names (`query.cursor`) an answer's `errors` name, without the part inside a field. */
const named = (errors: { path?: string }[] | undefined) => new Set((errors ?? []).map((e) => /^[a-z]+\.[^.[]+/.exec(e.path ?? '')?.[0] ?? e.path));

describe('API8 no 500 for bad input', () => {
  it('API8 bad input: GET /v1/audit?cursor=<27 digits> is a 400 problem, not a 500', async () => {
    const r = await get(`/v1/audit?cursor=${'9'.repeat(27)}`);
    expect(r.status).toBe(400);
    expect(r.type).toContain('application/problem+json');
    expect(r.body.errors).toEqual([expect.objectContaining({ path: 'query.cursor' })]);
  });

  it('API8 bad input: GET /v1/audit?caseId=%00abc is a 400 problem, not a 500', async () => {
    const r = await get('/v1/audit?caseId=%00abc');
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: 'query.caseId' })]);
  });

  it('API8 bad input: GET /v1/applications?cursor=%00 is a 400 problem, not a 500', async () => {
    const r = await get('/v1/applications?cursor=%00');
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: 'query.cursor' })]);
  });

  it('API8 bad input: broken Unicode in a path parameter is a 400 naming it (not Express\'s bare "Failed to decode param"); in a query parameter too', async () => {
    for (const url of ['/v1/applications/%ED%A0%80', '/v1/applications/a%F0%9F', '/v1/audit/verify/jobs/%ED%BF%BF']) {
      const r = await get(url);
      expect(r.status).toBe(400);
      expect(r.type).toContain('application/problem+json');
      expect(r.body.errors).toEqual([expect.objectContaining({ path: url.includes('jobs') ? 'path.jobId' : 'path.caseId' })]);
    }
    const q = await get('/v1/audit/verify?caseId=%ED%A0%80');
    expect(q.status).toBe(400);
    expect(q.body.errors).toEqual([expect.objectContaining({ path: 'query.caseId' })]);
  });

  it('API8 bad input: a case id outside the id format is a 400 naming it; a well-formed unknown one is a 404', async () => {
    const bad = await get('/v1/applications/-16');
    expect([bad.status, named(bad.body.errors)]).toEqual([400, new Set(['path.caseId'])]);
    for (const id of ['1e400', '9223372036854775808', '140599-unknown']) {
      const r = await get(`/v1/applications/${id}`);
      expect([r.status, r.type]).toEqual([404, expect.stringContaining('application/problem+json')]);
      const a = await get(`/v1/audit/verify?caseId=${id}`);
      expect(a.status).toBe(404);
    }
  });

  it('API8 bad input: the applications cursor is the nextCursor the API issued: it pages on; a guessed or edited one is a 400 naming cursor', async () => {
    for (const caseId of ['140599-api8-a', '140599-api8-b', '140599-api8-c']) {
      await bed.db.prisma.case.create({
        data: { caseId, workflowId: `application-${caseId}`, programme: 'DIBAO', villageCode: '140599100201', townshipCode: '140599100', countyCode: '140599', status: 'open', step: 'investigating', receivedOn: new Date('2026-11-02'), view: {}, revision: 1, createdBy: 'api8' },
      });
    }
    try {
      const first = await get('/v1/applications?limit=2');
      expect(first.body.items.map((i: { caseId: string }) => i.caseId)).toEqual(['140599-api8-a', '140599-api8-b']);
      expect(first.body.nextCursor).toBe(encodeCursor('applications', '140599-api8-b'));
      const second = await get(`/v1/applications?limit=2&cursor=${first.body.nextCursor}`);
      expect([second.status, second.body.items.map((i: { caseId: string }) => i.caseId), second.body.nextCursor]).toEqual([200, ['140599-api8-c'], null]);
      for (const cursor of ['140599-api8-a', '9223372036854775808', `${first.body.nextCursor}A`, first.body.nextCursor.slice(1)]) {
        const r = await get(`/v1/applications?cursor=${cursor}`);
        expect([r.status, named(r.body.errors)]).toEqual([400, new Set(['query.cursor'])]);
      }
    } finally {
      await bed.db.prisma.case.deleteMany({ where: { createdBy: 'api8' } });
    }
  });

  it('API8 bad input (issue 22): the roster and reviews cursors are the one signed pager\'s: a page goes on; a raw household or review id, an edited cursor or another list\'s cursor is a 400 naming cursor', async () => {
    const ids = ['hh-api8-a', 'hh-api8-b', 'hh-api8-c'];
    for (const householdId of ids) {
      await bed.db.prisma.household.create({
        data: { householdId, programme: 'DIBAO', villageCode: '140599100201', townshipCode: '140599100', countyCode: '140599', residence: 'rural', status: 'active', monthlyFen: 50_000, enrolledOn: new Date('2025-06-01'), paymentStartMonth: '2025-07', reviewClass: 'annual', nextReviewOn: new Date('2026-06-01'), source: 'api8' },
      });
    }
    try {
      const first = await get('/v1/roster?jurisdiction=140599&limit=2');
      expect([first.status, first.body.items.map((i: { householdId: string }) => i.householdId)]).toEqual([200, ids.slice(0, 2)]);
      expect(first.body.nextCursor).toBe(encodeCursor('roster', 'hh-api8-b'));
      const second = await get(`/v1/roster?jurisdiction=140599&limit=2&cursor=${first.body.nextCursor}`);
      expect([second.status, second.body.items.map((i: { householdId: string }) => i.householdId), second.body.nextCursor]).toEqual([200, ['hh-api8-c'], null]);
      const [body, mac] = first.body.nextCursor.split('.');
      const edited = `${Buffer.from('hh-api8-a').toString('base64url')}.${mac}`;
      for (const [list, cursor] of [
        ['roster', 'hh-api8-b'], // the raw id the roster used to take
        ['roster', edited], // another position under the same MAC
        ['roster', `${body}.${'A'.repeat(mac.length)}`],
        ['roster', encodeCursor('applications', 'hh-api8-b')], // another list's cursor
        ['reviews', encodeCursor('roster', 'hh-api8-b')],
        ['reviews', Buffer.from(JSON.stringify({ after: 'review-x' })).toString('base64url')], // the old unsigned form
        ['applications', encodeCursor('reviews', '140599-api8-a')],
      ]) {
        const r = await get(`/v1/${list}?cursor=${cursor}`);
        expect([list, cursor, r.status, named(r.body.errors)]).toEqual([list, cursor, 400, new Set(['query.cursor'])]);
      }
      expect((await get(`/v1/reviews?cursor=${encodeCursor('reviews', 'review-x')}`)).status).toBe(200);
    } finally {
      await bed.db.prisma.household.deleteMany({ where: { source: 'api8' } });
    }
  });

  it('API8 bad input: every query and path parameter of every GET in /openapi.json answers a value outside its declared schema with a 400 problem naming it, and a valid one with a 404 (unknown id) or the data, never a 5xx (property test)', async () => {
    const doc = (await bed.http.request('GET', '/openapi.json')).body as { paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }> };
    const targets = Object.entries(doc.paths).flatMap(([path, item]) => (item.get?.parameters ?? []).filter((p) => p.in === 'query' || p.in === 'path').map((p) => ({ path, name: p.name, in: p.in })));
    // the GETs with parameters today: a new one must be declared to the oracle above to join the test
    expect(new Set(targets.map((t) => t.path))).toEqual(new Set(Object.keys(declared)));
    const bad: string[] = [];
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), hostile, fc.boolean(), async (t, raw, repeat) => {
        // an empty path segment would be another route: NUL stands in for it
        const value = t.in === 'path' && raw === '' ? '\u0000' : raw;
        // a client's URL library resolves dot segments before the request leaves it
        fc.pre(!(t.in === 'path' && /^\.{1,2}$/.test(value)));
        const { schema, baseline = {} } = declared[t.path];
        const sent = t.in === 'query' && repeat ? [value, value] : value;
        const oracle = schema.safeParse({ ...baseline, [t.name]: sent });
        if (neverValid(value)) expect(oracle.success).toBe(false);

        const encoded = encodeAny(value);
        let url = t.path.replace(`{${t.name}}`, encoded);
        // the other path parameters of the route take their valid baseline; the rest of the baseline is the query
        for (const [k, v] of Object.entries(baseline)) if (k !== t.name) url = url.replace(`{${k}}`, v);
        const given: [string, string][] = Object.entries(baseline).filter(([k]) => k !== t.name && !t.path.includes(`{${k}}`));
        if (t.in === 'query') given.push(...Array.from({ length: repeat ? 2 : 1 }, () => [t.name, encoded] as [string, string]));
        const query = given.map(([k, v]) => `${k}=${v}`);
        if (query.length) url += `?${query.join('&')}`;
        const r = await get(url);

        const problem = r.type.includes('application/problem+json');
        let fine: boolean;
        if (!oracle.success) {
          refused++;
          const expected = named(oracle.error.issues.map((i) => ({ path: `${t.in}.${i.path.join('.')}` })));
          fine = r.status === 400 && problem && [...named(r.body?.errors)].sort().join() === [...expected].sort().join();
        } else if (isId(t)) {
          fine = r.status === 404 && problem;
        } else {
          // a valid filter or page: the data (a jurisdiction outside the caller's subtree may be a 403)
          fine = (r.status === 200 && !problem) || (r.status === 403 && problem);
        }
        if (!fine) bad.push(`${t.path} ${t.in}.${t.name}=${JSON.stringify(value).slice(0, 60)} repeat=${repeat} valid=${oracle.success}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
      }),
      { numRuns: 300, seed: 16 },
    );
    expect(bad).toEqual([]);
    // the run exercised refusals, not only valid values
    expect(refused).toBeGreaterThan(200);
  });
});

describe('API8 safe defaults', () => {
  it('API8 safe defaults: every /v1 response (data, refusal, error) carries Cache-Control: no-store and X-Content-Type-Options: nosniff', async () => {
    const answers = [
      await get('/v1/applications'),
      await get('/v1/audit'),
      await get('/v1/applications/140599-unknown'),
      await get('/v1/audit?limit=0'),
      await bed.http.request('GET', '/v1/applications'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 404, 400, 401]);
    for (const a of answers) {
      expect(a.headers.get('cache-control')).toBe('no-store');
      expect(a.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});
