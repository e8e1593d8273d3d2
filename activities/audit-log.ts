// R-SUP-05: the append-only, hash-chained audit trail. Each event's hash covers the previous event's
// hash and the event itself (canonical JSON), so editing, deleting or reordering any event breaks every
// hash after it. A database trigger refuses UPDATE/DELETE/TRUNCATE; the chain catches what a superuser
// could still do behind the trigger's back.
import crypto from 'node:crypto';
import type { Prisma as PrismaNs } from '@prisma/client';
import type { Prisma } from './db';
import type { AuditEntry } from '../workflows/kit/records';

export const GENESIS_HASH = '0'.repeat(64);
const AUDIT_LOCK_ID = 4_242_002;

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

export function eventHash(prevHash: string, e: HashedFields): string {
  // exactly these fields, whatever else the caller's object carries (a database row has more)
  const body = canonicalJson({
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
  });
  return crypto.createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** Appends entries inside the caller's transaction. Entries already written (same key) are skipped. */
export async function appendAudit(tx: Tx, entries: AuditEntry[], ctx: AuditContext): Promise<number> {
  if (entries.length === 0) return 0;
  // one writer at a time: the chain has a single tip
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${AUDIT_LOCK_ID}::bigint)`;
  const existing = await tx.auditEvent.findMany({ where: { eventKey: { in: entries.map((e) => e.key) } }, select: { eventKey: true } });
  const seen = new Set(existing.map((e) => e.eventKey));
  const fresh = entries.filter((e) => !seen.has(e.key));
  if (fresh.length === 0) return 0;
  const tip = await tx.auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
  let seq = tip?.seq ?? 0n;
  let prev = tip?.hash ?? GENESIS_HASH;
  const rows = fresh.map((e) => {
    seq += 1n;
    const fields: HashedFields = {
      seq,
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
    const hash = eventHash(prev, fields);
    const row = { ...fields, data: fields.data as PrismaNs.InputJsonValue, prevHash: prev, hash };
    prev = hash;
    return row;
  });
  await tx.auditEvent.createMany({ data: rows });
  return rows.length;
}

export interface ChainVerification {
  ok: boolean;
  events: number;
  brokenAt?: { seq: string; reason: string };
}

/** Walks the whole chain in order, recomputing every hash. */
export async function verifyAuditChain(prisma: Prisma, batch = 2_000): Promise<ChainVerification> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1n;
  let events = 0;
  for (;;) {
    const rows = await prisma.auditEvent.findMany({ where: { seq: { gte: expectedSeq } }, orderBy: { seq: 'asc' }, take: batch });
    if (rows.length === 0) return { ok: true, events };
    for (const r of rows) {
      const broken = (reason: string): ChainVerification => ({ ok: false, events, brokenAt: { seq: r.seq.toString(), reason } });
      if (r.seq !== expectedSeq) return { ok: false, events, brokenAt: { seq: expectedSeq.toString(), reason: 'event missing' } };
      if (r.prevHash !== prev) return broken('prevHash does not match the previous event');
      if (eventHash(prev, r) !== r.hash) return broken('event content does not match its hash');
      prev = r.hash;
      expectedSeq += 1n;
      events++;
    }
  }
}
