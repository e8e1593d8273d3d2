// R-SUP-05 (issue 11 §4, issue 16 "Bounded work"): GET /v1/audit/verify by case at once, by subtree as
// a background job scoped to the caller; GET /v1/audit/anchors. Real app, real PostgreSQL; no Temporal
// is needed (the audit endpoints never call it), so the client is a lazy one that never connects.
import crypto from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { AuditVerifyJobs } from '../../api/audit/verify-jobs';
import { anchorAuditHeads } from '../../activities/audit/anchor';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { listen, token, TEST_JWT_SECRET, type HttpClient } from '../helpers/http';
import { append, keysOf, newSigner, rewriteAndRecompute, tempAnchorFile } from '../activities/audit-fixtures';

let db: TestDatabase;
let http: HttpClient;
const signer = newSigner();
const qinshui = token('qs-sup', 'supervisor', '140521', '沁水监管');
const training = token('tr-sup', 'supervisor', '140599', '培训监管');
const city = token('jc-aud', 'auditor', '1405', '晋城审计');

async function addCase(caseId: string, villageCode: string, events: number) {
  const workflowId = `application-${caseId}`;
  await db.prisma.case.create({
    data: { caseId, workflowId, programme: 'DIBAO', villageCode, townshipCode: villageCode.slice(0, 9), countyCode: villageCode.slice(0, 6), status: 'open', step: 'investigating', receivedOn: new Date('2026-11-02'), view: {}, revision: 1, createdBy: 'zhangmin' },
  });
  await append(db.prisma, { workflowId, caseId, jurisdiction: villageCode }, events);
}

/** Starts (or joins) the job for a scope and waits for its result. */
async function verifyScope(tok: string, query = '') {
  for (let i = 0; i < 400; i++) {
    const r = await http.request('GET', `/v1/audit/verify${query}`, { token: tok });
    expect(r.status).toBe(200);
    if (r.body.job) {
      for (;;) {
        const j = await http.request('GET', `/v1/audit/verify/jobs/${r.body.job.jobId}`, { token: tok });
        if (j.body.status !== 'running') return j.body;
        await new Promise((res) => setTimeout(res, 20));
      }
    }
    await new Promise((res) => setTimeout(res, 25)); // another scope's job runs
  }
  throw new Error('no job');
}

// Each test on its own database and app: a scope's verification counts every chain of the scope, so a
// test must see only the chains it (and this set-up) wrote, whatever order the tests run in.
beforeAll(() => {
  process.env.AUDIT_VERIFY_KEYS = signer.publicKeyPem;
});
beforeEach(async () => {
  db = await createTestDatabase();
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  http = await listen(createApp({ prisma: db.prisma, client, taskQueue: 'unused', jwt: { secret: TEST_JWT_SECRET } }));
  await addCase('qs-1', '140521100201', 2);
  await addCase('qs-2', '140521100202', 2);
  await addCase('qs-3', '140521100201', 2);
  await addCase('tr-1', '140599100001', 3);
  await addCase('tr-2', '140599100001', 3);
  await append(db.prisma, {}, 1); // a system event: nobody's county
  await anchorAuditHeads(db.prisma, { signer, file: tempAnchorFile() });
});

afterEach(async () => {
  await http?.close();
  await db?.drop();
});
afterAll(() => {
  delete process.env.AUDIT_VERIFY_KEYS;
});

describe('R-SUP-05 §4 audit / issue 16 API4: verification scoped to the caller', () => {
  it('R-SUP-05 issue 16: a county supervisor’s verify covers only the county, never widens, and a tampered row elsewhere stays elsewhere', async () => {
    const done = await verifyScope(qinshui);
    expect(done).toMatchObject({ scope: '140521', status: 'done', progress: { chainsTotal: 3, chainsDone: 3, events: 6 }, result: { ok: true, events: 6 } });
    const again = await http.request('GET', '/v1/audit/verify', { token: qinshui });
    expect(again.body.last).toMatchObject({ jobId: done.jobId, ok: true, events: 6 });

    expect((await http.request('GET', '/v1/audit/verify?jurisdiction=14', { token: qinshui })).status).toBe(403);
    expect((await http.request('GET', '/v1/audit/verify?jurisdiction=140599', { token: qinshui })).status).toBe(403);
    expect((await http.request('GET', `/v1/audit/verify/jobs/${done.jobId}`, { token: training })).status).toBe(404);
    expect((await http.request('GET', '/v1/audit/verify?caseId=tr-1', { token: qinshui })).status).toBe(404);

    // a training-county row rewritten with recomputed hashes: that county's verify finds it, Qinshui's does not see it
    await rewriteAndRecompute(db.prisma, 'application-tr-1', 2n, 'someone-else');
    expect(await verifyScope(training)).toMatchObject({ scope: '140599', result: { ok: false, brokenAt: { chain: 'application-tr-1', chainSeq: '3' } } });
    expect((await verifyScope(qinshui)).result).toEqual({ ok: true, events: 6 });
    // narrowed to one township of the county
    expect(await verifyScope(qinshui, '?jurisdiction=140521100')).toMatchObject({ scope: '140521100', result: { ok: true, events: 6 } });
    expect(await http.request('GET', '/v1/audit/verify?caseId=qs-1', { token: qinshui })).toMatchObject({ status: 200, body: { ok: true, events: 2 } });
    expect(await http.request('GET', '/v1/audit/verify?caseId=tr-1', { token: training })).toMatchObject({ status: 200, body: { ok: false, brokenAt: { chain: 'application-tr-1' } } });
  });

  it('R-SUP-05 issue 16: the job reports progress while it runs, and only one job runs at a time', async () => {
    // a training-county row rewritten with recomputed hashes: the job counts that chain up to its break
    await rewriteAndRecompute(db.prisma, 'application-tr-1', 2n, 'someone-else');
    for (let i = 0; i < 150; i++) await append(db.prisma, { workflowId: `application-many-${i}`, caseId: `many-${i}`, jurisdiction: '140521100201' }, 1);
    const jobs = new AuditVerifyJobs(db.prisma, () => keysOf(signer), { heartbeatMs: 0 });
    const job = await jobs.start('1405', 'jc-aud');
    expect(job.status).toBe('running');
    // a second start, from this process or from the API (another process would do the same), joins it
    expect((await jobs.start('140521', 'qs-sup')).id).toBe(job.id);
    const busy = await http.request('GET', '/v1/audit/verify', { token: qinshui });
    expect(busy.body.job).toBeNull();
    expect(busy.headers.get('retry-after')).toBe('30');
    await expect(db.prisma.auditVerifyJob.create({ data: { id: crypto.randomUUID(), scope: '140599', status: 'running', requestedBy: 'x' } })).rejects.toThrow();

    const seen: { chainsDone: number; chainsTotal: number }[] = [];
    for (;;) {
      const j = (await jobs.get(job.id))!;
      seen.push({ chainsDone: j.chainsDone, chainsTotal: j.chainsTotal });
      if (j.status !== 'running') break;
      await new Promise((res) => setTimeout(res, 5));
    }
    expect(seen.some((s) => s.chainsDone > 0 && s.chainsDone < s.chainsTotal)).toBe(true);
    const finished = await http.request('GET', `/v1/audit/verify/jobs/${job.id}`, { token: city });
    expect(finished.body).toMatchObject({ status: 'done', progress: { chainsTotal: 155, chainsDone: 155 }, result: { ok: false, brokenAt: { chain: 'application-tr-1' } } });
    // every chain counted; the rewritten one up to its break (2 of 3)
    expect(finished.body.result.events).toBe(6 + 150 + 2 + 3);
  });

  it('R-SUP-05 §4 audit: GET /v1/audit/anchors lists the signed roots with the heads of the caller’s subtree and the public keys', async () => {
    const r = await http.request('GET', '/v1/audit/anchors', { token: qinshui });
    expect(r.status).toBe(200);
    const [a] = r.body.items;
    expect(a).toMatchObject({ id: expect.any(String), suite: 'ed25519-sha256', keyId: signer.keyId, headCount: 6 });
    expect(a.heads.map((h: { chain: string }) => h.chain)).toEqual(['application-qs-1', 'application-qs-2', 'application-qs-3']);
    expect(r.body.keys).toEqual([{ keyId: signer.keyId, suite: 'ed25519-sha256', publicKey: process.env.AUDIT_VERIFY_KEYS }]);
    expect((await http.request('GET', '/v1/audit/anchors', { token: token('cw', 'township_caseworker', '140521100') })).status).toBe(403);
    const paths = Object.keys((await http.request('GET', '/openapi.json')).body.paths);
    for (const p of ['/v1/audit/verify', '/v1/audit/verify/jobs/{jobId}', '/v1/audit/anchors']) expect(paths).toContain(p);
  });
});
