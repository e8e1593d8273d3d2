// R-SUP-05: anchoring. Every chain head that moved since the last anchor becomes a leaf of a Merkle
// tree; the root, chained to the previous anchor's root, is signed with a key the database does not
// hold, and kept twice: in audit_anchor (append-only) and in an append-only JSON-lines file
// (AUDIT_ANCHOR_FILE). A database owner who rewrites events cannot make them match a signed root.
import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import type { Prisma } from '../db';
import { anchorStatement, type AnchorRecord } from './anchor-statement';
import { loadAuditSigner, type AuditSigner } from './keys';
import { EMPTY_ROOT, merkleRoot, sortHeads } from './merkle';
import { SUITES } from './suite';

const ANCHOR_LOCK_ID = 4_242_004; // one anchor at a time: each names the previous one's root
export const DEFAULT_ANCHOR_FILE = path.join(__dirname, '..', '..', '.data', 'audit-anchors.jsonl');

export interface AnchorSummary {
  anchorId: string;
  root: string;
  heads: number;
  /** more moved heads are waiting than one anchor takes */
  more: boolean;
}

export interface AnchorOptions {
  signer: AuditSigner;
  file: string;
  maxHeads?: number;
}

/** Appends one line and syncs it: opened for append only, never rewritten. */
export function appendAnchorLine(file: string, record: AnchorRecord): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'a', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(record) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export async function anchorAuditHeads(prisma: Prisma, o: AnchorOptions): Promise<AnchorSummary | null> {
  const max = o.maxHeads ?? 10_000;
  return prisma.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${ANCHOR_LOCK_ID}::bigint)`;
      // the hash is read from the event itself: audit_chain is an index, not evidence
      const rows = await tx.$queryRaw<{ chain: string; jurisdiction: string | null; chain_seq: bigint; hash: string }[]>`
        SELECT c.chain, c.jurisdiction, e.chain_seq, e.hash
        FROM audit_chain c JOIN audit_event e ON e.chain = c.chain AND e.chain_seq = c.head_seq
        WHERE c.head_seq > c.anchored_seq ORDER BY c.chain LIMIT ${max + 1}`;
      if (rows.length === 0) return null;
      const heads = sortHeads(rows.slice(0, max).map((r) => ({ chain: r.chain, chainSeq: r.chain_seq.toString(), hash: r.hash, jurisdiction: r.jurisdiction })));
      const previous = await tx.auditAnchor.findFirst({ orderBy: { id: 'desc' }, select: { root: true } });
      const { suite, keyId } = o.signer;
      const unsigned = { anchoredAt: new Date().toISOString(), root: merkleRoot(SUITES[suite].hash, heads), prevRoot: previous?.root ?? EMPTY_ROOT, suite, keyId };
      const signature = o.signer.sign(anchorStatement(unsigned));
      const row = await tx.auditAnchor.create({ data: { ...unsigned, anchoredAt: new Date(unsigned.anchoredAt), signature, heads } });
      await tx.$executeRaw`
        UPDATE audit_chain c SET anchored_seq = GREATEST(c.anchored_seq, h.seq)
        FROM unnest(${heads.map((h) => h.chain)}::text[], ${heads.map((h) => h.chainSeq)}::bigint[]) AS h(chain, seq)
        WHERE c.chain = h.chain`;
      // the file line is written before the commit: a failed commit leaves an extra line (an anchor the
      // table lacks, easy to tell), never an anchor in the table that the file lacks
      appendAnchorLine(o.file, { id: row.id.toString(), ...unsigned, signature, heads });
      return { anchorId: row.id.toString(), root: unsigned.root, heads: heads.length, more: rows.length > max };
    },
    { timeout: 60_000 },
  );
}

/** The activity, with the key and file from the environment unless a test hands its own. */
export function createAuditActivities(prisma: Prisma, o: { signer?: AuditSigner; file?: string; maxHeads?: number } = {}) {
  return {
    async anchorAuditHeads(): Promise<AnchorSummary | null> {
      const signer = o.signer ?? loadAuditSigner();
      if (!signer) throw ApplicationFailure.create({ type: 'AuditSigningKeyMissing', message: 'set AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE', nonRetryable: true });
      return anchorAuditHeads(prisma, { signer, file: o.file ?? process.env.AUDIT_ANCHOR_FILE ?? DEFAULT_ANCHOR_FILE, maxHeads: o.maxHeads });
    },
  };
}

export type AuditActivities = ReturnType<typeof createAuditActivities>;
