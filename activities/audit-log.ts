// R-SUP-05: the append-only, hash-chained audit trail. Each event's hash covers the previous event's
// hash in its chain and the event itself (canonical JSON), so editing, deleting or reordering any event
// breaks every hash after it. A chain per workflow (else per jurisdiction, else `system`): an append
// locks only its own chain. A database trigger refuses UPDATE/DELETE/TRUNCATE; the chain, checked
// against the signed anchors (activities/audit/anchor.ts), catches what a superuser could still do
// behind the trigger's back, recomputed hashes included.
import crypto from 'node:crypto';
import type { Prisma as PrismaNs } from '@prisma/client';
import type { AuditEntry } from '../workflows/kit/records';
import { hashHex, SUITES, suiteFromEnv, type HashAlg } from './audit/suite';

export const GENESIS_HASH = '0'.repeat(64);
/** rows written before chains existed: one global chain, chain_seq = seq, hashed with eventHash */
export const LEGACY_CHAIN = 'legacy';
/** the first key of the two-key advisory lock: its own lock space, apart from the migrations' lock */
const CHAIN_LOCK_SPACE = 4_242_002;

type Tx = PrismaNs.TransactionClient;

export interface AuditContext {
  workflowId?: string;
  caseId?: string;
  jurisdiction?: string;
}

/** Stable JSON: object keys sorted at every level (jsonb does not keep key order). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface HashedFields {
  seq: bigint;
  at: Date;
  actor: string;
  actorRole: string | null;
  action: string;
  workflowId: string | null;
  caseId: string | null;
  jurisdiction: string | null;
  reason: string | null;
  data: unknown;
  eventKey: string;
}

/** Exactly the hashed fields, whatever else the caller's object carries (a database row has more). */
function hashedBody(e: HashedFields): Record<string, unknown> {
  return {
    seq: e.seq.toString(),
    at: e.at.toISOString(),
    actor: e.actor,
    actorRole: e.actorRole,
    action: e.action,
    workflowId: e.workflowId,
    caseId: e.caseId,
    jurisdiction: e.jurisdiction,
    reason: e.reason,
    data: e.data,
    eventKey: e.eventKey,
  };
}

/** The hash of an event of the legacy global chain (rows written before chains existed). */
export function eventHash(prevHash: string, e: HashedFields): string {
  return crypto.createHash('sha256').update(prevHash).update('\n').update(canonicalJson(hashedBody(e))).digest('hex');
}

export interface ChainedFields extends HashedFields {
  chain: string;
  chainSeq: bigint;
}

/** The hash of an event in a per-workflow chain: the legacy body plus its chain and place in it (canonical JSON sorts the keys). */
export function chainEventHash(alg: HashAlg, prevHash: string, e: ChainedFields): string {
  const body = canonicalJson({ v: 2, chain: e.chain, chainSeq: e.chainSeq.toString(), ...hashedBody(e) });
  return hashHex(alg, prevHash, '\n', body);
}

/** What a stored row's hash must be, whichever format it was written in. */
export function rowHash(prevHash: string, row: ChainedFields & { hashAlg: string }): string {
  if (row.chain === LEGACY_CHAIN) return eventHash(prevHash, row);
  return chainEventHash(row.hashAlg as HashAlg, prevHash, row);
}

/** The chain an event belongs to: its workflow, else its jurisdiction, else `system`. */
export function chainOf(ctx: AuditContext): string {
  if (ctx.workflowId) return ctx.workflowId === LEGACY_CHAIN ? `workflow:${LEGACY_CHAIN}` : ctx.workflowId;
  return ctx.jurisdiction ? `jurisdiction:${ctx.jurisdiction}` : 'system';
}

/** Appends entries inside the caller's transaction. Entries already written (same key) are skipped. */
export async function appendAudit(tx: Tx, entries: AuditEntry[], ctx: AuditContext): Promise<number> {
  if (entries.length === 0) return 0;
  const chain = chainOf(ctx);
  // one writer per chain; other chains append at the same time
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${CHAIN_LOCK_SPACE}::int, hashtext(${chain}))`;
  const existing = await tx.auditEvent.findMany({ where: { eventKey: { in: entries.map((e) => e.key) } }, select: { eventKey: true } });
  const seen = new Set(existing.map((e) => e.eventKey));
  const fresh = entries.filter((e) => !seen.has(e.key));
  if (fresh.length === 0) return 0;
  const tip = await tx.auditEvent.findFirst({ where: { chain }, orderBy: { chainSeq: 'desc' }, select: { chainSeq: true, hash: true } });
  // the global seq comes from a sequence: ordering and cursors, no lock
  const seqs = (
    await tx.$queryRaw<{ seq: bigint }[]>`SELECT nextval('audit_event_seq_seq') AS seq FROM generate_series(1, ${fresh.length}::int)`
  ).map((r) => r.seq).sort((a, b) => (a < b ? -1 : 1));
  const hashAlg = SUITES[suiteFromEnv()].hash;
  let chainSeq = tip?.chainSeq ?? 0n;
  let prev = tip?.hash ?? GENESIS_HASH;
  const rows = fresh.map((e, i) => {
    chainSeq += 1n;
    const fields: ChainedFields = {
      seq: seqs[i],
      chain,
      chainSeq,
      at: new Date(e.at),
      actor: e.actor,
      actorRole: e.actorRole ?? null,
      action: e.action,
      workflowId: ctx.workflowId ?? null,
      caseId: ctx.caseId ?? null,
      jurisdiction: ctx.jurisdiction ?? null,
      reason: e.reason ?? null,
      data: JSON.parse(JSON.stringify(e.data ?? {})),
      eventKey: e.key,
    };
    const hash = chainEventHash(hashAlg, prev, fields);
    const row = { ...fields, data: fields.data as PrismaNs.InputJsonValue, hashAlg, prevHash: prev, hash };
    prev = hash;
    return row;
  });
  await tx.auditEvent.createMany({ data: rows });
  await tx.auditChain.upsert({
    where: { chain },
    create: { chain, jurisdiction: ctx.jurisdiction ?? null, headSeq: chainSeq },
    update: { headSeq: chainSeq },
  });
  return rows.length;
}
