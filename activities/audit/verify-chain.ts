// R-SUP-05: verification of one chain: consecutive chain seqs from 1, each prevHash the previous hash,
// each hash recomputed; and against every anchor that covers the chain: the anchor is validly signed,
// and the row it anchored still exists with the hash it had then. A superuser who rewrites a row and
// recomputes every later hash of its chain passes the first checks and fails the last.
import type { Prisma } from '../db';
import { GENESIS_HASH, rowHash } from '../audit-log';
import { anchorProblem, type AnchorRecord } from './anchor-statement';
import type { VerifyKey } from './keys';

export interface BrokenAt {
  /** the global seq of the offending row ('' when the row is gone) */
  seq: string;
  chain: string;
  chainSeq: string;
  reason: string;
  anchorId?: string;
}

export interface ChainVerification {
  ok: boolean;
  events: number;
  brokenAt?: BrokenAt;
}

export interface VerifyOptions {
  keys: Map<string, VerifyKey>;
  /** which rows count towards `events` (a caller sees counts of its own subtree only) */
  counts?: (row: { jurisdiction: string | null; caseId: string | null }) => boolean;
  /** anchor id → problem ('' when sound): each anchor is checked once per job */
  anchorCache?: Map<string, string>;
  batch?: number;
  /** after each batch of rows: a long chain (the legacy one) keeps its job's heartbeat going */
  onBatch?: () => Promise<void>;
}

type AnchorRow = { id: bigint; anchored_at: Date; root: string; prev_root: string; suite: string; key_id: string; signature: string; heads: AnchorRecord['heads'] };

export function toAnchorRecord(r: AnchorRow): AnchorRecord {
  return { id: r.id.toString(), anchoredAt: r.anchored_at.toISOString(), root: r.root, prevRoot: r.prev_root, suite: r.suite, keyId: r.key_id, signature: r.signature, heads: r.heads };
}

export async function anchorsCovering(prisma: Prisma, chain: string): Promise<AnchorRecord[]> {
  const rows = await prisma.$queryRaw<AnchorRow[]>`
    SELECT id, anchored_at, root, prev_root, suite, key_id, signature, heads FROM audit_anchor
    WHERE heads @> ${JSON.stringify([{ chain }])}::jsonb ORDER BY id`;
  return rows.map(toAnchorRecord);
}

export async function verifyChain(prisma: Prisma, chain: string, o: VerifyOptions): Promise<ChainVerification> {
  const counts = o.counts ?? (() => true);
  const cache = o.anchorCache ?? new Map<string, string>();
  // chainSeq → [anchor id, anchored hash]
  const anchored = new Map<string, { anchorId: string; hash: string }[]>();
  for (const a of await anchorsCovering(prisma, chain)) {
    if (!cache.has(a.id)) cache.set(a.id, anchorProblem(a, o.keys) ?? '');
    const problem = cache.get(a.id);
    const head = a.heads.find((h) => h.chain === chain)!;
    if (problem) return { ok: false, events: 0, brokenAt: { seq: '', chain, chainSeq: head.chainSeq, reason: problem, anchorId: a.id } };
    anchored.set(head.chainSeq, [...(anchored.get(head.chainSeq) ?? []), { anchorId: a.id, hash: head.hash }]);
  }

  let prev = GENESIS_HASH;
  let expected = 1n;
  let events = 0;
  for (;;) {
    const rows = await prisma.auditEvent.findMany({ where: { chain, chainSeq: { gte: expected } }, orderBy: { chainSeq: 'asc' }, take: o.batch ?? 2_000 });
    if (rows.length === 0) break;
    await o.onBatch?.();
    for (const r of rows) {
      const broken = (reason: string, anchorId?: string): ChainVerification => ({
        ok: false,
        events,
        brokenAt: { seq: r.seq.toString(), chain, chainSeq: r.chainSeq.toString(), reason, ...(anchorId ? { anchorId } : {}) },
      });
      if (r.chainSeq !== expected) return { ok: false, events, brokenAt: { seq: '', chain, chainSeq: expected.toString(), reason: 'event missing' } };
      if (r.prevHash !== prev) return broken('prevHash does not match the previous event');
      if (rowHash(prev, r) !== r.hash) return broken('event content does not match its hash');
      for (const a of anchored.get(r.chainSeq.toString()) ?? []) {
        if (a.hash !== r.hash) return broken(`the hash differs from the one signed in anchor ${a.anchorId}: the event or one before it was rewritten`, a.anchorId);
      }
      prev = r.hash;
      expected += 1n;
      if (counts(r)) events++;
    }
  }
  // an anchored head beyond the last row: newest events were deleted after the anchor
  for (const [chainSeq, list] of anchored) {
    if (BigInt(chainSeq) >= expected) {
      return { ok: false, events, brokenAt: { seq: '', chain, chainSeq, reason: `event missing: anchor ${list[0].anchorId} signed this chain up to ${chainSeq}`, anchorId: list[0].anchorId } };
    }
  }
  return { ok: true, events };
}

/** Several chains as one answer: events summed, the first break reported. */
export async function verifyChains(prisma: Prisma, chains: string[], o: VerifyOptions): Promise<ChainVerification> {
  let events = 0;
  for (const chain of chains) {
    const r = await verifyChain(prisma, chain, o);
    events += r.events;
    if (!r.ok) return { ok: false, events, brokenAt: r.brokenAt };
  }
  return { ok: true, events };
}
