// OWASP API1:2023 Broken Object Level Authorization and API5:2023 Broken Function Level Authorization,
// through the Idempotency-Key (issue 16): a replay never outlives the caller's rights, stored answers
// expire, "still being processed" is never stored, case ids are random and survive a retry, and the
// duplicate refusal is audited and rate-limited. Real PostgreSQL, real Temporal (time-skipping server).
import crypto from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createApp } from '../../api/app';
import { IdempotencyStore } from '../../api/idempotency';
import { maskIdNumber } from '../../workflows/rules/id-number';
import { chinaDate } from '../../workflows/rules/dates';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createTestWorker, createTimeSkippingEnv, pinWallClock, type TestWorkers, realActivities, startTestAgency, type TestAgency } from '../helpers/temporal';
import { listen, token, TEST_JWT_SECRET, type HttpClient } from '../helpers/http';
import { applicationBody } from '../helpers/people';
import { rateLimits } from './security-bed';

// The API takes "today" from this process's clock (an intake's date): pinned to TEST_EPOCH, as the
// workflow's server starts there, before any token below is signed.
pinWallClock();

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let agency: TestAgency;
const workers: { worker: TestWorkers; running: Promise<void> }[] = [];
const apps: HttpClient[] = [];
let http: HttpClient;

const QUEUE = `security-idem-${process.pid}`;
const LATE_QUEUE = `${QUEUE}-late`; // its worker starts only after the first attempt gave up
const IDLE_QUEUE = `${QUEUE}-idle`; // no worker ever: a request stays in flight until its deadline
// duplicate refusals are audited and rate-limited (2 an hour here); nothing else is limited
const limits = rateLimits({ duplicateRefusals: { points: 2, durationSec: 3600 } });

const caseworker = token('zhangmin', 'township_caseworker', '140599100', '张敏');
/** The same person after a move to another township of the county. */
const movedCaseworker = token('zhangmin', 'township_caseworker', '140599200', '张敏');
const otherCaseworker = token('liqiang', 'township_caseworker', '140599100', '李强');

async function app(taskQueue: string, commandTimeoutMs: number): Promise<HttpClient> {
  const h = await listen(createApp({ prisma: db.prisma, client: env.client, taskQueue, jwt: { secret: TEST_JWT_SECRET }, commandTimeoutMs, rateLimits: limits, log: () => undefined }));
  apps.push(h);
  return h;
}

async function startWorker(taskQueue: string): Promise<void> {
  const worker = await createTestWorker(env, realActivities(db, agency), taskQueue);
  workers.push({ worker, running: worker.run() });
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  [env, db, agency] = await Promise.all([createTimeSkippingEnv(), createTestDatabase(), startTestAgency()]);
  await startWorker(QUEUE);
  http = await app(QUEUE, 15_000);
});

afterAll(async () => {
  for (const h of apps) await h.close();
  for (const w of workers) w.worker.shutdown();
  await Promise.all(workers.map((w) => w.running));
  await env?.teardown();
  await agency?.close();
  await db?.drop();
});

describe('API1 authorization before any replay', () => {
  it('API1 authorization: a replayed command answers 404 once the caller may no longer see the case (moved to another township)', async () => {
    const created = await http.request('POST', '/v1/applications', { token: caseworker, body: applicationBody() });
    expect(created.status).toBe(201);
    const path = `/v1/applications/${created.body.caseId}/withdrawal`;
    const headers = { 'Idempotency-Key': `withdraw-${crypto.randomUUID()}` };
    const body = { reason: '申请人撤回' };
    const first = await http.request('POST', path, { token: caseworker, body, headers });
    expect(first.status).toBe(200);
    const replay = await http.request('POST', path, { token: caseworker, body, headers });
    expect(replay).toMatchObject({ status: 200 });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    const moved = await http.request('POST', path, { token: movedCaseworker, body, headers });
    expect(moved.status).toBe(404);
    expect(moved.headers.get('idempotent-replayed')).toBeNull();
    expect(JSON.stringify(moved.body)).not.toContain('household');
  });

  it('API1 authorization: a replayed intake answers 403 once the village is outside the caller’s jurisdiction', async () => {
    const body = applicationBody();
    const headers = { 'Idempotency-Key': `intake-${crypto.randomUUID()}` };
    expect((await http.request('POST', '/v1/applications', { token: caseworker, body, headers })).status).toBe(201);
    const moved = await http.request('POST', '/v1/applications', { token: movedCaseworker, body, headers });
    expect(moved.status).toBe(403);
    expect(moved.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('API1 idempotency: what is stored, and for how long', () => {
  it('API1 idempotency: stored answers expire after IDEMPOTENCY_TTL_HOURS (72 by default) and their bodies are dropped', async () => {
    const created = await http.request('POST', '/v1/applications', { token: caseworker, body: applicationBody(), headers: { 'Idempotency-Key': `ttl-${crypto.randomUUID()}` } });
    expect(created.status).toBe(201);
    const key = `ttl-withdraw-${crypto.randomUUID()}`;
    const path = `/v1/applications/${created.body.caseId}/withdrawal`;
    const body = { reason: '申请人撤回' };
    expect((await http.request('POST', path, { token: caseworker, body, headers: { 'Idempotency-Key': key } })).status).toBe(200);
    const stored = await db.prisma.idempotencyKey.findUniqueOrThrow({ where: { subject_key: { subject: 'zhangmin', key } } });
    expect(stored).toMatchObject({ state: 'done', statusCode: 200 });
    expect(stored.body).not.toBeNull();

    // 73 hours later: the key is no longer a replay (the case, withdrawn, refuses a second withdrawal)
    await db.prisma.idempotencyKey.update({ where: { subject_key: { subject: 'zhangmin', key } }, data: { finishedAt: new Date(Date.now() - 73 * 3_600_000) } });
    const late = await http.request('POST', path, { token: caseworker, body, headers: { 'Idempotency-Key': key } });
    expect(late.headers.get('idempotent-replayed')).toBeNull();
    expect(late.status).toBe(409);

    // the periodic purge drops every expired answer, body and all
    await db.prisma.idempotencyKey.update({ where: { subject_key: { subject: 'zhangmin', key } }, data: { finishedAt: new Date(Date.now() - 73 * 3_600_000) } });
    expect(await new IdempotencyStore(db.prisma, { ttlHours: 72 }).purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await db.prisma.idempotencyKey.findUnique({ where: { subject_key: { subject: 'zhangmin', key } } })).toBeNull();
  });

  it('API1 idempotency: "still being processed" is 409 with Retry-After, and never stored as the answer', async () => {
    const idle = await app(IDLE_QUEUE, 4_000);
    const key = `inflight-${crypto.randomUUID()}`;
    const body = applicationBody();
    const first = idle.request('POST', '/v1/applications', { token: caseworker, body, headers: { 'Idempotency-Key': key } });
    await until('the first attempt to be pending', () => db.prisma.idempotencyKey.findFirst({ where: { subject: 'zhangmin', key, state: 'pending' } }));
    const second = await idle.request('POST', '/v1/applications', { token: caseworker, body, headers: { 'Idempotency-Key': key } });
    expect(second.status).toBe(409);
    expect(second.type).toContain('application/problem+json');
    expect(second.body.type).toMatch(/in-progress$/);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await first).status).toBe(503);
    const row = await db.prisma.idempotencyKey.findUniqueOrThrow({ where: { subject_key: { subject: 'zhangmin', key } } });
    expect(row).toMatchObject({ state: 'retry', statusCode: null, body: null });
    if (row.caseId) await env.client.workflow.getHandle(`application-${row.caseId}`).terminate('test finished').catch(() => undefined);
  });
});

describe('API1 idempotency: case ids', () => {
  it('API1 idempotency: case ids are random: neither derived from the caller and the key nor from the date', async () => {
    const key = 'guessable-key-0001';
    const r = await http.request('POST', '/v1/applications', { token: caseworker, body: applicationBody(), headers: { 'Idempotency-Key': key } });
    expect(r.status).toBe(201);
    const oldDerivation = crypto.createHash('sha256').update(`zhangmin\n${key}`).digest('hex').slice(0, 10);
    expect(r.body.caseId).toMatch(/^140599-[0-9a-f]{16}$/);
    expect(r.body.caseId).not.toContain(oldDerivation);
    expect(r.body.caseId).not.toContain(chinaDate(Date.now()).replace(/-/g, ''));
    const row = await db.prisma.idempotencyKey.findUniqueOrThrow({ where: { subject_key: { subject: 'zhangmin', key } } });
    expect(row.caseId).toBe(r.body.caseId);
  });

  it('API1 idempotency: an intake whose first attempt timed out at the API (503), retried with the same Idempotency-Key once the worker is back, answers 201 with the caseId chosen for the first attempt, and no second case exists', async () => {
    const impatient = await app(LATE_QUEUE, 1_500);
    const patient = await app(LATE_QUEUE, 15_000);
    const body = applicationBody();
    const headers = { 'Idempotency-Key': `retry-${crypto.randomUUID()}` };
    const first = await impatient.request('POST', '/v1/applications', { token: caseworker, body, headers });
    expect(first.status).toBe(503);
    const row = await db.prisma.idempotencyKey.findUniqueOrThrow({ where: { subject_key: { subject: 'zhangmin', key: headers['Idempotency-Key'] } } });
    expect(row.caseId).toMatch(/^140599-/);

    // the worker comes back and the first attempt's case takes its members' locks
    await startWorker(LATE_QUEUE);
    const head = body.household.members[0].idNumber;
    await until('the first attempt’s case to hold its lock', () => db.prisma.openApplication.findFirst({ where: { idNumber: head, caseId: row.caseId! } }));

    const retry = await patient.request('POST', '/v1/applications', { token: caseworker, body, headers });
    expect(retry.status).toBe(201);
    expect(retry.body.caseId).toBe(row.caseId);
    expect(await db.prisma.caseMember.count({ where: { idNumber: head } })).toBe(1);
    expect(await db.prisma.openApplication.count({ where: { idNumber: head } })).toBe(1);
  });
});

describe('API1 duplicate refusal', () => {
  it('API1 duplicate refusal: refusing an intake because an ID number has an open application is audited with the caller and the masked ID number, and rate-limited per user', async () => {
    const body = applicationBody();
    expect((await http.request('POST', '/v1/applications', { token: caseworker, body })).status).toBe(201);
    const head = body.household.members[0].idNumber;
    for (let i = 0; i < 2; i++) {
      const refused = await http.request('POST', '/v1/applications', { token: otherCaseworker, body });
      expect(refused.status).toBe(409);
    }
    const events = await db.prisma.auditEvent.findMany({ where: { action: 'intake.duplicate_refused', actor: 'liqiang' } });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ actorRole: 'township_caseworker', jurisdiction: body.villageCode, data: expect.objectContaining({ idNumber: maskIdNumber(head), found: 'open_application' }) });
    expect(JSON.stringify(events.map((e) => ({ ...e, seq: String(e.seq), chainSeq: String(e.chainSeq) })))).not.toContain(head);
    // the third refusal in the hour is not answered: the ID-number oracle is rate-limited
    const third = await http.request('POST', '/v1/applications', { token: otherCaseworker, body });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
