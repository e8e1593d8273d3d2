// OWASP API8:2023 Security Misconfiguration (issue 16): bad input is a 4xx problem, never a 500; answers
// holding personal data are neither cached nor sniffed.
import fc from 'fast-check';
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
  fc.constantFrom('1e400', 'NaN', 'Infinity', '-0', '0x10', '1.5', '', ' ', '9223372036854775808', '00000000000000000000000000001'),
  fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`),
  fc.string({ maxLength: 20 }).map((s) => `\u0001\u001f\u007f${s}\n\r`),
  fc.constantFrom('\uD800', '\uDFFF', 'a\uD83D', '\uDE00b', '\uDBFF\uDBFF'),
  // overlong, within Node's 16 KB header limit (beyond it Node itself answers 431 before the app runs)
  fc.integer({ min: 300, max: 6_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 30, max: 2_000 }).map((n) => '9'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

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

  it('API8 bad input: every query and path parameter of every GET in /openapi.json answers hostile values with a 4xx problem+json, never a 5xx (property test)', async () => {
    const doc = (await bed.http.request('GET', '/openapi.json')).body as { paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }> };
    const targets = Object.entries(doc.paths).flatMap(([path, item]) => (item.get?.parameters ?? []).filter((p) => p.in === 'query' || p.in === 'path').map((p) => ({ path, name: p.name, in: p.in })));
    // the GETs with parameters today: a new one joins the property test by itself
    expect(new Set(targets.map((t) => t.path))).toEqual(
      new Set(['/v1/applications', '/v1/applications/{caseId}', '/v1/audit', '/v1/audit/anchors', '/v1/audit/verify', '/v1/audit/verify/jobs/{jobId}', '/v1/special-filings', '/v1/roster', '/v1/households/{householdId}']),
    );
    const seen: number[] = [];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), hostile, fc.boolean(), async (t, value, repeat) => {
        const encoded = encodeAny(value);
        let url = t.path.replace(/\{(\w+)\}/g, (_m, name) => (name === t.name ? encoded : 'x'));
        if (t.in === 'path' && encoded === '') url = t.path.replace(`{${t.name}}`, '%00');
        if (t.in === 'query') url += `?${t.name}=${encoded}${repeat ? `&${t.name}=${encoded}` : ''}`;
        const r = await get(url);
        seen.push(r.status);
        expect(r.status).toBeLessThan(500);
        if (r.status >= 400) expect(r.type).toContain('application/problem+json');
      }),
      { numRuns: 300, seed: 16 },
    );
    expect(seen.filter((s) => s >= 400 && s < 500).length).toBeGreaterThan(200);
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
