// R-SUP-05, issue 21 §5.3: what a database superuser could do to the signed anchors themselves, without
// an anchor file at hand (the API of a deployment that cannot read the worker's disk): delete an anchor,
// or re-tag a head's jurisdiction so that a county's verification no longer looks at it. Either is
// reported by GET /v1/audit/verify, for a case and for a subtree, never `ok: true`.
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { anchorAuditHeads } from '../../activities/audit/anchor';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { listen, token, TEST_JWT_SECRET, type HttpClient } from '../helpers/http';
import { append, newSigner, tempAnchorFile } from '../activities/audit-fixtures';

let db: TestDatabase;
let http: HttpClient;
const signer = newSigner();
const city = token('jc-aud', 'auditor', '1405', '晋城审计');
const previousAnchorFile = process.env.AUDIT_ANCHOR_FILE;

async function addCase(caseId: string, villageCode: string) {
  const workflowId = `application-${caseId}`;
  await db.prisma.case.create({
    data: { caseId, workflowId, programme: 'DIBAO', villageCode, townshipCode: villageCode.slice(0, 9), countyCode: villageCode.slice(0, 6), status: 'open', step: 'investigating', receivedOn: new Date('2026-11-02'), view: {}, revision: 1, createdBy: 'zhangmin' },
  });
  await append(db.prisma, { workflowId, caseId, jurisdiction: villageCode }, 2);
}

async function verifyScope(tok: string) {
  for (let i = 0; i < 400; i++) {
    const r = await http.request('GET', '/v1/audit/verify', { token: tok });
    expect(r.status).toBe(200);
    if (r.body.job) {
      for (;;) {
        const j = await http.request('GET', `/v1/audit/verify/jobs/${r.body.job.jobId}`, { token: tok });
        if (j.body.status !== 'running') return j.body;
        await new Promise((res) => setTimeout(res, 20));
      }
    }
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error('no job');
}

/** As a superuser: the anchor table's trigger off for one statement. */
async function behindTheTrigger(sql: string) {
  await db.prisma.$transaction([
    db.prisma.$executeRawUnsafe('ALTER TABLE audit_anchor DISABLE TRIGGER audit_anchor_no_update_or_delete'),
    db.prisma.$executeRawUnsafe(sql),
    db.prisma.$executeRawUnsafe('ALTER TABLE audit_anchor ENABLE TRIGGER audit_anchor_no_update_or_delete'),
  ]);
}

// each test tampers with its own database: what one breaks, the other never sees, in whatever order they run
beforeEach(async () => {
  db = await createTestDatabase();
  process.env.AUDIT_VERIFY_KEYS = signer.publicKeyPem;
  delete process.env.AUDIT_ANCHOR_FILE; // no anchor file: the table alone must betray the tampering
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  http = await listen(createApp({ prisma: db.prisma, client, taskQueue: 'unused', jwt: { secret: TEST_JWT_SECRET } }));
});

afterEach(async () => {
  await http?.close();
  await db?.drop();
});

afterAll(() => {
  delete process.env.AUDIT_VERIFY_KEYS;
  if (previousAnchorFile !== undefined) process.env.AUDIT_ANCHOR_FILE = previousAnchorFile;
});

describe('R-SUP-05 issue 21 §5.3: the anchors themselves are checked', () => {
  it('R-SUP-05 §5.3: an anchor deleted from the table breaks the next anchor’s prevRoot: the subtree and the case verification report it', async () => {
    const file = tempAnchorFile();
    await addCase('del-1', '140521100201');
    const first = (await anchorAuditHeads(db.prisma, { signer, file }))!;
    await addCase('del-2', '140521100202');
    const second = (await anchorAuditHeads(db.prisma, { signer, file }))!;
    await append(db.prisma, { workflowId: 'application-del-2', caseId: 'del-2', jurisdiction: '140521100202' }, 1);
    const third = (await anchorAuditHeads(db.prisma, { signer, file }))!;
    expect((await verifyScope(city)).result).toEqual({ ok: true, events: 5 }); // the control

    await behindTheTrigger(`DELETE FROM audit_anchor WHERE id = ${second.anchorId}`);
    const done = await verifyScope(city);
    expect(done.result).toMatchObject({ ok: false, brokenAt: { anchorId: third.anchorId, reason: expect.stringMatching(/prevRoot/) } });
    const byCase = await http.request('GET', '/v1/audit/verify?caseId=del-1', { token: city });
    expect(byCase.body).toMatchObject({ ok: false, brokenAt: { anchorId: third.anchorId } });
    expect(first.anchorId).not.toBe(third.anchorId);
  });

  it('R-SUP-05 §5.3: a head re-tagged to another jurisdiction in a signed anchor no longer matches the signed root', async () => {
    await addCase('tag-1', '140521100201');
    const a = (await anchorAuditHeads(db.prisma, { signer, file: tempAnchorFile() }))!;
    await behindTheTrigger(
      `UPDATE audit_anchor SET heads = (SELECT jsonb_agg(CASE WHEN h->>'chain' = 'application-tag-1' THEN jsonb_set(h, '{jurisdiction}', '"140599100001"') ELSE h END) FROM jsonb_array_elements(heads) h) WHERE id = ${a.anchorId}`,
    );
    const byCase = await http.request('GET', '/v1/audit/verify?caseId=tag-1', { token: city });
    expect(byCase.status).toBe(200);
    expect(byCase.body).toMatchObject({ ok: false, brokenAt: { chain: 'application-tag-1', anchorId: a.anchorId, reason: expect.stringMatching(/Merkle root/) } });
  });
});
