// Issue 21 §5: the security review's findings, each proved against the real app and database: who may
// mint tokens, failed-auth throttling that never refuses a valid token, deactivated staff, the audited
// and limited special-filings export, and problem details that name no internal host or database error.
import crypto from 'node:crypto';
import { ServiceError } from '@temporalio/client';
import { AuditVerifyJobs, jobView } from '../../api/audit/verify-jobs';
import { fromWorkflowFailure } from '../../api/problems';
import { childEnvironments } from '../../scripts/stack/child-env';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { token } from '../helpers/http';
import { appBed, rateLimits as limits, runEntry, type Bed } from './security-bed';

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

async function bed(o: Parameters<typeof appBed>[0] = {}) {
  const b = await appBed({ rateLimits: limits(), ...o }, db);
  beds.push(b);
  return b;
}

const supervisor = token('hewei', 'supervisor', '1405', '何伟');
const secret = crypto.randomBytes(32).toString('hex');

describe('issue 21 §5.1: tokens are minted for a development stack only; the worker holds no JWT secret', () => {
  it('API2 §5.1: npm run token refuses outside development even with JWT_SECRET set', async () => {
    const run = await runEntry('scripts/token.ts', { JIUZHU_ENV: 'production', JWT_SECRET: secret }, ['--sub', 'hewei', '--role', 'supervisor', '--jurisdiction', '1405']);
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/development/);
    expect(run.output).not.toMatch(/^ey/m); // no token printed
  });

  it('API2 §5.1, R-SUP-05 §5.3: make start gives the JWT secret to the API and the codec server, never to the worker; the anchor file to both worker and API', () => {
    const envs = childEnvironments(
      { DATABASE_URL: 'postgresql://app@127.0.0.1/jiuzhu', JIUZHU_ENV: 'development' },
      { jwtSecret: secret, anchorFile: '/data/audit-anchors.jsonl', auditSigningKeyFile: '/s/audit.key', auditVerifyKeysFile: '/s/audit.pub', actorSigningKeyFile: '/s/actor.key', actorVerifyKeysFile: '/s/actor.pub' },
    );
    expect(envs.api.JWT_SECRET).toBe(secret);
    expect(envs.codec.JWT_SECRET).toBe(secret);
    // explicitly unset: the worker does not inherit one from make start's own environment either
    expect('JWT_SECRET' in envs.worker && envs.worker.JWT_SECRET === undefined).toBe(true);
    expect(envs.worker.JWT_SECRET_FILE).toBeUndefined();
    expect(Object.values(envs.worker)).not.toContain(secret);
    expect(envs.api.AUDIT_ANCHOR_FILE).toBe('/data/audit-anchors.jsonl');
    expect(envs.worker.AUDIT_ANCHOR_FILE).toBe('/data/audit-anchors.jsonl');
    expect(envs.api.AUDIT_SIGNING_KEY_FILE).toBeUndefined();
    expect(envs.worker.AUDIT_SIGNING_KEY_FILE).toBe('/s/audit.key');
    expect(envs.worker.ACTOR_SIGNING_KEY_FILE).toBeUndefined();
    expect(envs.api.ACTOR_SIGNING_KEY_FILE).toBe('/s/actor.key');
  });

  it('API2 §5.1: the worker starts outside development without any JWT key (it never verifies tokens)', async () => {
    const run = await runEntry('worker.ts', {
      JIUZHU_ENV: 'production',
      VERIFICATION_AGENCY_URL: 'https://agency.example.cn',
      VERIFICATION_AGENCY_API_KEY: 'k'.repeat(40),
      BANK_URL: 'https://bank.example.cn',
      BANK_API_KEY: 'b'.repeat(40),
      WORKFLOW_BUNDLE: '/nonexistent/bundle.js',
      PAYLOAD_KEYS: process.env.PAYLOAD_KEYS ?? '',
      PAYLOAD_KEY_ID: process.env.PAYLOAD_KEY_ID ?? '',
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none',
    });
    // it gets past its settings and fails only on the unreachable Temporal
    expect(run.output).not.toMatch(/refusing to start/);
    expect(run.output).not.toMatch(/JWT/);
    expect(run.code).toBe(1);
  });
});

describe('issue 21 §5.2: failed authentication never locks out a valid token', () => {
  it('API4 §5.2: after an address used up its failures, forged tokens get 429 but a valid token from the same address still passes', async () => {
    const { http } = await bed({ rateLimits: limits({ authFailures: { points: 3, durationSec: 900 } }) });
    for (let i = 0; i < 3; i++) expect((await http.request('GET', '/v1/audit', { token: `forged.${i}.token` })).status).toBe(401);
    expect((await http.request('GET', '/v1/audit', { token: 'forged.4.token' })).status).toBe(429);
    expect((await http.request('GET', '/v1/audit', { token: supervisor })).status).toBe(200);
    expect((await http.request('GET', '/v1/audit')).status).toBe(429); // no token is a failure too
  });
});

describe('issue 21 §5.5: deactivated staff lose access at once', () => {
  it('API2 §5.5: a staff member deactivated in the register is refused on the next request, before the token expires', async () => {
    const { http } = await bed();
    await db.prisma.staffMember.create({ data: { staffId: 'deact-sup', name: '停用', role: 'supervisor', jurisdiction: '1405' } });
    const t = token('deact-sup', 'supervisor', '1405', '停用');
    expect((await http.request('GET', '/v1/audit', { token: t })).status).toBe(200);
    await db.prisma.staffMember.update({ where: { staffId: 'deact-sup' }, data: { active: false } });
    const r = await http.request('GET', '/v1/audit', { token: t });
    expect(r.status).toBe(401);
    expect(r.type).toContain('application/problem+json');
    // the register compares ids canonically: a re-cased sub is the same deactivated person
    expect((await http.request('GET', '/v1/audit', { token: token('DEACT-SUP', 'supervisor', '1405', '停用') })).status).toBe(401);
  });
});

describe('issue 21 §5.6: the special-filings export is audited and limited', () => {
  it('R-SUP-06 §5.6: each export writes an audit event (who, scope, format, rows) and the export has its own per-user limit', async () => {
    const { http } = await bed({ rateLimits: limits({ export: { points: 2, durationSec: 3600 } }) });
    await db.prisma.specialFiling.create({
      data: { countyCode: '140521', villageCode: '140521100201', caseId: 'sf-1', householdId: 'h-1', programme: 'DIBAO', reason: 'consumer_vehicle', applicantName: '王某', applicantIdNumber: '140521197001010011', staffIds: [], relations: [], visitors: ['a', 'b'], monthlyFen: 50000, enrolledOn: new Date('2026-11-20') },
    });
    const q = '/v1/special-filings?from=2026-11-01&to=2026-11-30&format=csv';
    expect((await http.request('GET', q, { token: supervisor })).status).toBe(200);
    expect((await http.request('GET', q.replace('csv', 'xlsx'), { token: supervisor })).status).toBe(200);
    const over = await http.request('GET', q, { token: supervisor });
    expect(over.status).toBe(429);
    expect(over.body.detail).toContain('export');
    const events = await db.prisma.auditEvent.findMany({ where: { action: 'special_filings.exported' }, orderBy: { seq: 'asc' } });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ actor: 'hewei', actorRole: 'supervisor', jurisdiction: '1405', data: { scope: '1405', format: 'csv', rows: 1, from: '2026-11-01', to: '2026-11-30' } });
    expect(events[1].data).toMatchObject({ format: 'xlsx', rows: 1 });
    // the JSON pages stay under the ordinary limit
    expect((await http.request('GET', '/v1/special-filings?from=2026-11-01&to=2026-11-30', { token: supervisor })).status).toBe(200);
  });
});

describe('issue 21 §5.7: problem details name no internal host and no database error; security headers', () => {
  it('API8 §5.7: a Temporal outage answers 503 without the Temporal address', () => {
    const p = fromWorkflowFailure(new ServiceError('14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 10.20.30.40:7233'));
    expect(p?.status).toBe(503);
    expect(p!.message).not.toMatch(/10\.20\.30\.40|7233|ECONNREFUSED/);
  });

  it('API8 §5.7: a failed verify job shows no raw database error', async () => {
    const jobs = new AuditVerifyJobs(db.prisma, () => {
      throw new Error('Invalid `prisma.auditEvent.findMany()` invocation: relation "audit_event" does not exist at db-internal.example:5432');
    });
    await db.prisma.auditVerifyJob.deleteMany();
    const job = await jobs.start('1405', 'hewei');
    await Promise.all(jobs.runs.values());
    const view = jobView((await jobs.get(job.id))!);
    expect(view.status).toBe('failed');
    expect(view.error).toBeTruthy();
    expect(JSON.stringify(view)).not.toMatch(/prisma|relation|db-internal|5432/);
  });

  it('API8 §5.7: every answer carries the usual security headers (helmet)', async () => {
    const { http } = await bed();
    for (const r of [await http.request('GET', '/openapi.json'), await http.request('GET', '/v1/audit', { token: supervisor }), await http.request('GET', '/v1/audit')]) {
      expect(r.headers.get('strict-transport-security')).toMatch(/max-age=/);
      expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('cache-control')).toBe('no-store');
    }
  });
});
