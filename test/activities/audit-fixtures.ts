// Test helpers for the audit trail: events, a signing key, and what a database superuser could do
// behind the append-only trigger (disable it, rewrite, recompute every later hash, re-enable).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Prisma } from '../../activities/db';
import { appendAudit, chainEventHash, type AuditContext } from '../../activities/audit-log';
import { signerFromPem, verifyKeyOf, type AuditSigner, type VerifyKey } from '../../activities/audit/keys';
import type { HashAlg } from '../../activities/audit/suite';
import type { AuditEntry } from '../../workflows/kit/records';

let n = 0;
export function entry(action = 'application.note', data: Record<string, unknown> = {}): AuditEntry {
  n++;
  return { key: `test-${process.pid}-${n}`, at: Date.parse('2026-11-02T02:00:00Z') + n * 1000, actor: 'zhangmin', actorRole: 'township_caseworker', action, data };
}

export function append(prisma: Prisma, ctx: AuditContext, count = 1): Promise<number> {
  return prisma.$transaction((tx) => appendAudit(tx, Array.from({ length: count }, () => entry()), ctx));
}

export function newSigner(kind: 'ed25519' | 'sm2' = 'ed25519'): AuditSigner {
  const { privateKey } = kind === 'ed25519' ? crypto.generateKeyPairSync('ed25519') : crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' });
  return signerFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }));
}

export function keysOf(...signers: AuditSigner[]): Map<string, VerifyKey> {
  return new Map(signers.map((s) => [s.keyId, verifyKeyOf(s)]));
}

export function tempAnchorFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-anchors-')), 'audit-anchors.jsonl');
}

/** As a superuser: trigger off, rewrite a row's actor, recompute every later hash of its chain, trigger on. */
export async function rewriteAndRecompute(prisma: Prisma, chain: string, chainSeq: bigint, actor: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_or_delete');
    const rows = await tx.auditEvent.findMany({ where: { chain, chainSeq: { gte: chainSeq } }, orderBy: { chainSeq: 'asc' } });
    let prev = rows[0].prevHash;
    for (const r of rows) {
      const changed = r.chainSeq === chainSeq ? { ...r, actor } : r;
      const hash = chainEventHash(r.hashAlg as HashAlg, prev, changed);
      await tx.$executeRaw`UPDATE audit_event SET actor = ${changed.actor}, prev_hash = ${prev}, hash = ${hash} WHERE seq = ${r.seq}`;
      prev = hash;
    }
    await tx.$executeRawUnsafe('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_or_delete');
  });
}

/** As a superuser: delete a chain's newest event. */
export async function deleteNewest(prisma: Prisma, chain: string): Promise<bigint> {
  const newest = await prisma.auditEvent.findFirstOrThrow({ where: { chain }, orderBy: { chainSeq: 'desc' } });
  await prisma.$transaction([
    prisma.$executeRawUnsafe('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_or_delete'),
    prisma.$executeRaw`DELETE FROM audit_event WHERE seq = ${newest.seq}`,
    prisma.$executeRawUnsafe('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_or_delete'),
  ]);
  return newest.chainSeq;
}
