// R-SUP-05 (issue 11 §4): an existing database upgrades cleanly. Rows written by the global-chain code
// before the migration become the chain `legacy`, keep their recorded hashes and keep verifying; new
// events chain per workflow; the first anchor covers the legacy head, so a later rewrite is found.
import crypto from 'node:crypto';
import { Client } from 'pg';
import { applyMigrations, listMigrations } from '../../scripts/migrate';
import { createPrisma, type Prisma } from '../../activities/db';
import { eventHash, GENESIS_HASH, LEGACY_CHAIN, type HashedFields } from '../../activities/audit-log';
import { anchorAuditHeads } from '../../activities/audit/anchor';
import { verifyChain } from '../../activities/audit/verify-chain';
import { append, keysOf, newSigner, tempAnchorFile } from './audit-fixtures';

const MIGRATION = '_audit_chains_and_anchors';
const adminUrl = () => process.env.JIUZHU_TEST_PG_ADMIN_URL!;
const name = `t_upgrade_${crypto.randomBytes(4).toString('hex')}`;
let url: string;
let prisma: Prisma;

async function sql(connectionString: string, text: string, values: unknown[] = []) {
  const c = new Client({ connectionString });
  await c.connect();
  try {
    return await c.query(text, values);
  } finally {
    await c.end();
  }
}

/** The rows the old appendAudit wrote: one global chain over seq. */
function legacyRows(count: number) {
  let prev = GENESIS_HASH;
  return Array.from({ length: count }, (_, i) => {
    const f: HashedFields = {
      seq: BigInt(i + 1),
      at: new Date(Date.parse('2026-10-01T02:00:00Z') + i * 60_000),
      actor: 'zhangmin',
      actorRole: 'township_caseworker',
      action: 'application.accepted',
      workflowId: `application-old-${i % 2}`,
      caseId: `old-${i % 2}`,
      jurisdiction: '140521100001',
      reason: null,
      data: { n: i },
      eventKey: `old/${i}`,
    };
    const hash = eventHash(prev, f);
    const row = { ...f, prevHash: prev, hash };
    prev = hash;
    return row;
  });
}

beforeAll(async () => {
  await sql(adminUrl(), `CREATE DATABASE "${name}"`);
  url = adminUrl().replace(/\/postgres$/, `/${name}`);
  // the database as it was before this migration, as the old runner left it
  await sql(url, `CREATE TABLE schema_migration (name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  for (const m of listMigrations().filter((m) => m.name < listMigrations().find((x) => x.name.endsWith(MIGRATION))!.name)) {
    await sql(url, m.sql);
    await sql(url, 'INSERT INTO schema_migration (name, checksum) VALUES ($1, $2)', [m.name, m.checksum]);
  }
  for (const r of legacyRows(5)) {
    await sql(
      url,
      `INSERT INTO audit_event (seq, at, actor, actor_role, action, workflow_id, case_id, jurisdiction, reason, data, event_key, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [r.seq.toString(), r.at, r.actor, r.actorRole, r.action, r.workflowId, r.caseId, r.jurisdiction, r.reason, JSON.stringify(r.data), r.eventKey, r.prevHash, r.hash],
    );
  }
  expect((await applyMigrations(url)).some((n) => n.endsWith(MIGRATION))).toBe(true);
  prisma = createPrisma(url);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await sql(adminUrl(), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

it('R-SUP-05 §4 audit: rows written before the migration become the legacy chain, keep their hashes and still verify; new events chain per workflow after them', async () => {
  const signer = newSigner();
  const keys = keysOf(signer);
  const old = await prisma.auditEvent.findMany({ orderBy: { seq: 'asc' } });
  expect(old.map((r) => [r.chain, r.chainSeq])).toEqual([1n, 2n, 3n, 4n, 5n].map((s) => [LEGACY_CHAIN, s]));
  expect(old.map((r) => r.hash)).toEqual(legacyRows(5).map((r) => r.hash));
  expect(await verifyChain(prisma, LEGACY_CHAIN, { keys })).toEqual({ ok: true, events: 5 });

  await append(prisma, { workflowId: 'application-new', caseId: 'new', jurisdiction: '140521100001' }, 2);
  const fresh = await prisma.auditEvent.findMany({ where: { chain: 'application-new' }, orderBy: { chainSeq: 'asc' } });
  expect(fresh.map((r) => [r.seq, r.chainSeq])).toEqual([
    [6n, 1n],
    [7n, 2n],
  ]);
  expect(fresh[0].prevHash).toBe(GENESIS_HASH);

  // the first anchor covers the legacy head too
  const a = (await anchorAuditHeads(prisma, { signer, file: tempAnchorFile() }))!;
  const row = await prisma.auditAnchor.findUniqueOrThrow({ where: { id: BigInt(a.anchorId) } });
  expect((row.heads as { chain: string }[]).map((h) => h.chain)).toEqual(['application-new', LEGACY_CHAIN]);

  // a legacy row rewritten with every later legacy hash recomputed the old way: found against the anchor
  await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_or_delete');
    let prev = old[1].hash;
    for (const r of old.slice(2)) {
      const changed = r.seq === 3n ? { ...r, actor: 'someone-else' } : r;
      const hash = eventHash(prev, changed);
      await tx.$executeRaw`UPDATE audit_event SET actor = ${changed.actor}, prev_hash = ${prev}, hash = ${hash} WHERE seq = ${r.seq}`;
      prev = hash;
    }
    await tx.$executeRawUnsafe('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_or_delete');
  });
  expect(await verifyChain(prisma, LEGACY_CHAIN, { keys })).toMatchObject({ ok: false, brokenAt: { chain: LEGACY_CHAIN, chainSeq: '5', seq: '5', anchorId: a.anchorId } });
  expect(await verifyChain(prisma, 'application-new', { keys })).toEqual({ ok: true, events: 2 });
});
