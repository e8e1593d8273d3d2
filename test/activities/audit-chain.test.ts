// R-SUP-05 (issue 11 §4): a chain per workflow, anchored with a signed Merkle root, against a real
// PostgreSQL; tampering is done as a superuser would, behind the append-only trigger.
import fs from 'node:fs';
import { appendAudit, rowHash, GENESIS_HASH } from '../../activities/audit-log';
import { anchorAuditHeads } from '../../activities/audit/anchor';
import { anchorStatement } from '../../activities/audit/anchor-statement';
import { EMPTY_ROOT, merkleRoot } from '../../activities/audit/merkle';
import { verifyChain } from '../../activities/audit/verify-chain';
import { checkAnchorFile } from '../../activities/audit/anchor-file';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { append, deleteNewest, entry, keysOf, newSigner, rewriteAndRecompute, tempAnchorFile } from './audit-fixtures';

// Anchors cover every chain of a database and go to one file: each test gets its own database and
// anchor file, so no test sees another's chains or anchors, whatever order they run in.
let db: TestDatabase;
let file: string;
const signer = newSigner();
const keys = keysOf(signer);
const anchor = () => anchorAuditHeads(db.prisma, { signer, file });

beforeEach(async () => {
  db = await createTestDatabase();
  file = tempAnchorFile();
});
afterEach(async () => {
  await db?.drop();
});

/** One event on `chain` and an anchor over it put in the table only, signed by `forger` under the real key's id. */
async function forgeTableOnlyAnchor(chain: string, forger = newSigner()) {
  await append(db.prisma, ctx(chain), 1);
  const head = await db.prisma.auditEvent.findFirstOrThrow({ where: { chain } });
  const heads = [{ chain, chainSeq: '1', hash: head.hash, jurisdiction: '140521100001' }];
  const unsigned = { anchoredAt: new Date().toISOString(), root: merkleRoot('sha256', heads), prevRoot: EMPTY_ROOT, suite: 'ed25519-sha256', keyId: signer.keyId };
  return db.prisma.auditAnchor.create({
    data: { ...unsigned, anchoredAt: new Date(unsigned.anchoredAt), heads, signature: forger.sign(anchorStatement(unsigned)) },
  });
}

const ctx = (workflowId: string) => ({ workflowId, caseId: workflowId.replace('application-', ''), jurisdiction: '140521100001' });

describe('R-SUP-05 §4 audit: one chain per workflow', () => {
  it('R-SUP-05 §4 audit: appends to two chains do not wait on each other (both hold their chain locks at once); the same chain waits', async () => {
    let releaseA!: () => void;
    const holdA = new Promise<void>((r) => (releaseA = r));
    let signalA!: () => void;
    const aHoldsLock = new Promise<void>((r) => (signalA = r));
    const txA = db.prisma.$transaction(
      async (tx) => {
        await appendAudit(tx, [entry()], ctx('application-lock-a'));
        signalA();
        await holdA;
      },
      { timeout: 30_000 },
    );
    await aHoldsLock;

    // B appends to its own chain and commits while A still holds A's lock (counting this database's locks
    // only: pg_locks is the whole server's, and other test files append to their own databases meanwhile)
    const heldAtOnce = await db.prisma.$transaction(async (tx) => {
      await appendAudit(tx, [entry()], ctx('application-lock-b'));
      const [r] = await tx.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = 4242002 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
      return r.n;
    });
    expect(heldAtOnce).toBe(2n);

    // C appends to A's chain: it waits for A
    let cDone = false;
    const txC = append(db.prisma, ctx('application-lock-a')).then(() => (cDone = true));
    await new Promise((r) => setTimeout(r, 500));
    expect(cDone).toBe(false);
    releaseA();
    await Promise.all([txA, txC]);
    const a = await db.prisma.auditEvent.findMany({ where: { chain: 'application-lock-a' }, orderBy: { chainSeq: 'asc' } });
    expect(a.map((e) => e.chainSeq)).toEqual([1n, 2n]);
    expect(a[1].prevHash).toBe(a[0].hash);
    expect(a[0].prevHash).toBe(GENESIS_HASH);
  });

  it('R-SUP-05 §4 audit: events without a workflow go to their jurisdiction’s chain, else to `system`; a retried append writes nothing twice', async () => {
    const e = entry();
    await db.prisma.$transaction((tx) => appendAudit(tx, [e], { jurisdiction: '140521' }));
    expect(await db.prisma.$transaction((tx) => appendAudit(tx, [e], { jurisdiction: '140521' }))).toBe(0);
    await db.prisma.$transaction((tx) => appendAudit(tx, [entry()], {}));
    expect(await db.prisma.auditEvent.count({ where: { chain: 'jurisdiction:140521' } })).toBe(1);
    expect(await db.prisma.auditEvent.count({ where: { chain: 'system' } })).toBe(1);
    expect((await verifyChain(db.prisma, 'system', { keys })).ok).toBe(true);
  });
});

describe('R-SUP-05 §4 audit: anchors', () => {
  it('R-SUP-05 §4 audit: an anchor covers exactly the heads that moved, chains to the previous root, and is written to the append-only file too', async () => {
    // an earlier anchor over another chain, which does not move afterwards
    await append(db.prisma, ctx('application-still'), 1);
    const earlier = (await anchor())!;
    expect(await anchor()).toBeNull();
    await append(db.prisma, ctx('application-moved'), 2);
    const a = (await anchor())!;
    const row = await db.prisma.auditAnchor.findUniqueOrThrow({ where: { id: BigInt(a.anchorId) } });
    const head = await db.prisma.auditEvent.findFirstOrThrow({ where: { chain: 'application-moved' }, orderBy: { chainSeq: 'desc' } });
    expect(row.heads).toEqual([{ chain: 'application-moved', chainSeq: '2', hash: head.hash, jurisdiction: '140521100001' }]);
    // the leaf holds the jurisdiction too (issue 21 §5.3)
    expect(row.root).toBe(merkleRoot('sha256', [{ chain: 'application-moved', chainSeq: '2', hash: head.hash, jurisdiction: '140521100001' }]));
    const before = await db.prisma.auditAnchor.findFirstOrThrow({ where: { id: { lt: row.id } }, orderBy: { id: 'desc' } });
    expect(before.id.toString()).toBe(earlier.anchorId);
    expect(row.prevRoot).toBe(before.root);
    expect(row.suite).toBe('ed25519-sha256');
    expect(row.keyId).toBe(signer.keyId);

    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-1)).toEqual({ id: a.anchorId, anchoredAt: row.anchoredAt.toISOString(), root: row.root, prevRoot: row.prevRoot, suite: row.suite, keyId: row.keyId, signature: row.signature, heads: row.heads });
    expect(lines.map((l) => l.id)).toEqual([earlier.anchorId, a.anchorId]);
    expect(lines[0].prevRoot).toBe(EMPTY_ROOT);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    await expect(db.prisma.$executeRawUnsafe(`UPDATE audit_anchor SET root = 'x' WHERE id = ${row.id}`)).rejects.toThrow(/append-only/);
  });

  it('R-SUP-05 §4 audit: a row rewritten by a superuser, with every later hash of its chain recomputed, is found against the signed anchor, naming the chain and seq', async () => {
    const chain = 'application-rewritten';
    await append(db.prisma, ctx(chain), 2);
    await anchor();
    await append(db.prisma, ctx(chain), 2);
    const second = (await anchor())!;
    expect(await verifyChain(db.prisma, chain, { keys })).toEqual({ ok: true, events: 4 });

    await rewriteAndRecompute(db.prisma, chain, 3n, 'someone-else');
    // the chain on its own is consistent again: only the anchor can tell
    const rows = await db.prisma.auditEvent.findMany({ where: { chain }, orderBy: { chainSeq: 'asc' } });
    expect(rows[2].actor).toBe('someone-else');
    rows.forEach((r, i) => expect(rowHash(i ? rows[i - 1].hash : GENESIS_HASH, r)).toBe(r.hash));

    expect(await verifyChain(db.prisma, chain, { keys })).toEqual({
      ok: false,
      events: 3,
      brokenAt: { seq: rows[3].seq.toString(), chain, chainSeq: '4', anchorId: second.anchorId, reason: expect.stringMatching(/differs from the one signed in anchor/) },
    });
  });

  it('R-SUP-05 §4 audit: a forged anchor (signed with another key) is refused', async () => {
    const chain = 'application-forged';
    const forger = newSigner();
    const forged = await forgeTableOnlyAnchor(chain, forger);
    const r = await verifyChain(db.prisma, chain, { keys });
    expect(r).toMatchObject({ ok: false, brokenAt: { chain, chainSeq: '1', anchorId: forged.id.toString(), reason: expect.stringMatching(/signature does not verify/) } });
    // verified with the forger's key alone, the same anchor passes: the refusal is the key's doing
    expect((await verifyChain(db.prisma, chain, { keys: new Map([[signer.keyId, keysOf(forger).get(forger.keyId)!]]) })).ok).toBe(true);
  });

  it('R-SUP-05 §4 audit: the newest event deleted after an anchor is detected', async () => {
    const chain = 'application-truncated';
    await append(db.prisma, ctx(chain), 3);
    const a = (await anchor())!;
    expect((await verifyChain(db.prisma, chain, { keys })).ok).toBe(true);
    expect(await deleteNewest(db.prisma, chain)).toBe(3n);
    expect(await verifyChain(db.prisma, chain, { keys })).toEqual({
      ok: false,
      events: 2,
      brokenAt: { seq: '', chain, chainSeq: '3', anchorId: a.anchorId, reason: expect.stringMatching(/event missing/) },
    });
  });

  it('R-SUP-05 §4 audit: the anchor file holds what the table holds; an anchor deleted from the table, or a forged one added, is found against the file', async () => {
    await append(db.prisma, ctx('application-file'), 1);
    await anchor();
    // a forged anchor put in the table only (signed with another key): nothing else differs
    const forged = await forgeTableOnlyAnchor('application-forged-here');
    await append(db.prisma, ctx('application-file'), 1);
    await anchor();
    const addedOnly = { anchorId: forged.id.toString(), reason: `anchor ${forged.id} is in the database but not in the anchor file` };
    const before = await checkAnchorFile(db.prisma, file, keys);
    expect(before).toEqual({ ok: false, anchors: (await db.prisma.auditAnchor.count()) - 1, problems: [addedOnly] });

    // as a superuser: the newest anchor deleted (to hide what it signed)
    const newest = await db.prisma.auditAnchor.findFirstOrThrow({ orderBy: { id: 'desc' } });
    await db.prisma.$transaction([
      db.prisma.$executeRawUnsafe('ALTER TABLE audit_anchor DISABLE TRIGGER audit_anchor_no_update_or_delete'),
      db.prisma.$executeRaw`DELETE FROM audit_anchor WHERE id = ${newest.id}`,
      db.prisma.$executeRawUnsafe('ALTER TABLE audit_anchor ENABLE TRIGGER audit_anchor_no_update_or_delete'),
    ]);
    const after = await checkAnchorFile(db.prisma, file, keys);
    expect(after.problems).toEqual([{ anchorId: newest.id.toString(), reason: `anchor ${newest.id} is in the anchor file but not in the database` }, addedOnly]);
  });
});
