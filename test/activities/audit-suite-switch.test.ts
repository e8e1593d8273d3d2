// Issue 16 "National cryptography", R-SUP-05: AUDIT_CRYPTO_SUITE=sm2-sm3 hashes events with SM3 and
// signs anchors with SM2; anchors record suite and key id, so after a switch back (or forth) the old
// anchors still verify with the old key listed in AUDIT_VERIFY_KEYS.
import crypto from 'node:crypto';
import { anchorAuditHeads } from '../../activities/audit/anchor';
import { loadAuditSigner } from '../../activities/audit/keys';
import { merkleRoot } from '../../activities/audit/merkle';
import { verifyChain } from '../../activities/audit/verify-chain';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { append, keysOf, newSigner, rewriteAndRecompute, tempAnchorFile } from './audit-fixtures';

let db: TestDatabase;
const saved = { ...process.env };

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  process.env = saved;
  await db?.drop();
});

const ctx = (workflowId: string) => ({ workflowId, caseId: workflowId, jurisdiction: '140521100201' });

it('issue 16 R-SUP-05: events hashed with SM3 and anchored with SM2, then the suite switched to Ed25519: both anchors verify, each with its own key', async () => {
  const sm2 = newSigner('sm2');
  const ed = newSigner('ed25519');
  const file = tempAnchorFile();

  process.env.AUDIT_CRYPTO_SUITE = 'sm2-sm3';
  await append(db.prisma, ctx('application-gm'), 2);
  const first = (await anchorAuditHeads(db.prisma, { signer: sm2, file }))!;
  const rows = await db.prisma.auditEvent.findMany({ where: { chain: 'application-gm' }, orderBy: { chainSeq: 'asc' } });
  expect(rows.map((r) => r.hashAlg)).toEqual(['sm3', 'sm3']);
  const a1 = await db.prisma.auditAnchor.findUniqueOrThrow({ where: { id: BigInt(first.anchorId) } });
  expect(a1).toMatchObject({ suite: 'sm2-sm3', keyId: sm2.keyId, root: merkleRoot('sm3', [{ chain: 'application-gm', chainSeq: '2', hash: rows[1].hash, jurisdiction: '140521100201' }]) });

  delete process.env.AUDIT_CRYPTO_SUITE; // back to the default suite
  await append(db.prisma, ctx('application-gm'), 1);
  const second = (await anchorAuditHeads(db.prisma, { signer: ed, file }))!;
  expect(await db.prisma.auditAnchor.findUniqueOrThrow({ where: { id: BigInt(second.anchorId) } })).toMatchObject({ suite: 'ed25519-sha256', keyId: ed.keyId, prevRoot: a1.root });
  expect((await db.prisma.auditEvent.findFirstOrThrow({ where: { chain: 'application-gm', chainSeq: 3n } })).hashAlg).toBe('sha256');

  expect(await verifyChain(db.prisma, 'application-gm', { keys: keysOf(sm2, ed) })).toEqual({ ok: true, events: 3 });
  // the old SM2 key left out of the verification keys: its anchor can no longer be trusted
  expect(await verifyChain(db.prisma, 'application-gm', { keys: keysOf(ed) })).toMatchObject({ ok: false, brokenAt: { anchorId: first.anchorId, reason: expect.stringMatching(/not a configured sm2-sm3/) } });

  // an SM3 row rewritten with recomputed hashes is found against the SM2-signed anchor
  await rewriteAndRecompute(db.prisma, 'application-gm', 1n, 'someone-else');
  expect(await verifyChain(db.prisma, 'application-gm', { keys: keysOf(sm2, ed) })).toMatchObject({ ok: false, brokenAt: { chain: 'application-gm', chainSeq: '2', anchorId: first.anchorId } });
});

it('issue 16 R-SUP-05: a signing key of the other suite than AUDIT_CRYPTO_SUITE is refused at load', () => {
  process.env.AUDIT_CRYPTO_SUITE = 'sm2-sm3';
  process.env.AUDIT_SIGNING_KEY = '';
  process.env.AUDIT_SIGNING_KEY_FILE = '';
  expect(loadAuditSigner()).toBeUndefined();
  const edPem = crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  process.env.AUDIT_SIGNING_KEY = edPem;
  expect(() => loadAuditSigner()).toThrow(/AUDIT_CRYPTO_SUITE is sm2-sm3 but the audit signing key is a ed25519-sha256 key/);
  process.env.AUDIT_CRYPTO_SUITE = 'sm9';
  expect(() => loadAuditSigner()).toThrow(/AUDIT_CRYPTO_SUITE=sm9/);
});
