// OWASP API4:2023 Unrestricted Resource Consumption (issue 16): limits per user and per address,
// stricter for intake, failed authentication and the audit verification; 429 problem+json with
// Retry-After; counters in PostgreSQL, shared by every API instance.
import { DEFAULT_RATE_LIMITS, type RateLimitSettings } from '../../activities/config';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { token } from '../helpers/http';
import { applicationBody } from '../helpers/people';
import { appBed, rateLimits as limits, type Bed } from './security-bed';


let db: TestDatabase;
const beds: Bed[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const b of beds) await b.close();
  await db?.drop();
});
beforeEach(async () => {
  await db.prisma.rateLimit.deleteMany();
});

async function bed(rateLimits: RateLimitSettings) {
  const b = await appBed({ rateLimits }, db);
  beds.push(b);
  return b.http;
}

function expect429(r: { status: number; type: string; headers: Headers; body: { status: number } }) {
  expect(r.status).toBe(429);
  expect(r.type).toContain('application/problem+json');
  expect(r.body.status).toBe(429);
  expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
}

const caseworker = token('zhangmin', 'township_caseworker', '140599100', '张敏');
const supervisor = token('hewei', 'supervisor', '1405', '何伟');

describe('API4 rate limits', () => {
  it('API4 rate limits: the defaults are stricter for intake, failed authentication and verify than for ordinary requests', () => {
    const perMinute = (l: { points: number; durationSec: number }) => (l.points * 60) / l.durationSec;
    const ordinary = perMinute(DEFAULT_RATE_LIMITS.user);
    for (const strict of ['intake', 'authFailures', 'verify', 'duplicateRefusals'] as const) expect(perMinute(DEFAULT_RATE_LIMITS[strict])).toBeLessThan(ordinary);
  });

  it('API4 rate limits: intake beyond its per-user limit answers 429 problem+json with Retry-After, while reads go on', async () => {
    const http = await bed(limits({ intake: { points: 2, durationSec: 60 } }));
    // invalid bodies count too: the limit runs before any work
    const body = { ...applicationBody(), programme: 'NOT-A-PROGRAMME' };
    for (let i = 0; i < 2; i++) expect((await http.request('POST', '/v1/applications', { token: caseworker, body })).status).toBe(400);
    expect429(await http.request('POST', '/v1/applications', { token: caseworker, body }));
    expect((await http.request('GET', '/v1/applications', { token: caseworker })).status).toBe(200);
    // another caseworker has her own allowance
    const other = token('liqiang', 'township_caseworker', '140599100', '李强');
    expect((await http.request('POST', '/v1/applications', { token: other, body })).status).toBe(400);
  });

  it('API4 rate limits: failed authentications from one address beyond the limit answer 429, while a valid token still passes (issue 21 §5.2)', async () => {
    const http = await bed(limits({ authFailures: { points: 3, durationSec: 900 } }));
    for (let i = 0; i < 3; i++) expect((await http.request('GET', '/v1/audit', { token: `forged.${i}.token` })).status).toBe(401);
    expect429(await http.request('GET', '/v1/audit', { token: 'forged.4.token' }));
    expect((await http.request('GET', '/v1/audit', { token: supervisor })).status).toBe(200);
  });

  it('API4 rate limits: GET /v1/audit/verify is limited per user', async () => {
    const http = await bed(limits({ verify: { points: 1, durationSec: 3600 } }));
    expect((await http.request('GET', '/v1/audit/verify', { token: supervisor })).status).toBe(200);
    expect429(await http.request('GET', '/v1/audit/verify', { token: supervisor }));
    expect((await http.request('GET', '/v1/audit', { token: supervisor })).status).toBe(200);
  });

  it('API4 rate limits: per user, counted in PostgreSQL across two API instances', async () => {
    const settings = limits({ user: { points: 4, durationSec: 60 } });
    const [a, b] = [await bed(settings), await bed(settings)];
    for (const http of [a, b, a, b]) expect((await http.request('GET', '/v1/audit', { token: supervisor })).status).toBe(200);
    expect429(await a.request('GET', '/v1/audit', { token: supervisor }));
    expect429(await b.request('GET', '/v1/audit', { token: supervisor }));
    expect(await db.prisma.rateLimit.count({ where: { key: { contains: 'hewei' } } })).toBeGreaterThan(0);
  });

  it('API4 rate limits: per address, whoever the caller is', async () => {
    const http = await bed(limits({ address: { points: 3, durationSec: 60 } }));
    const users = ['hewei', 'zhaolei', 'sunli'].map((sub) => token(sub, 'supervisor', '1405', sub));
    for (const t of users) expect((await http.request('GET', '/v1/audit', { token: t })).status).toBe(200);
    expect429(await http.request('GET', '/v1/audit', { token: token('liuyang', 'supervisor', '1405', 'liuyang') }));
  });
});
