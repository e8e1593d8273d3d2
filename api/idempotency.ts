// Commands are idempotent under the Idempotency-Key header (API.md): the same key and body replays the
// first response; the same key with another body is 422. Keys are scoped to the caller (token sub).
import crypto from 'node:crypto';
import type { Prisma as PrismaNs } from '@prisma/client';
import type { Prisma } from '../activities/db';
import { canonicalJson } from '../activities/audit-log';

/** A request still 'pending' after this long was abandoned (its process died): a retry takes it over. */
const ABANDONED_AFTER_MS = 120_000;

export type Begin =
  | { kind: 'proceed' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'mismatch' }
  | { kind: 'in_progress' };

export function requestHash(method: string, path: string, body: unknown): string {
  return crypto.createHash('sha256').update(`${method} ${path}\n${canonicalJson(body ?? null)}`).digest('hex');
}

export class IdempotencyStore {
  constructor(private readonly prisma: Prisma) {}

  async begin(subject: string, key: string, hash: string): Promise<Begin> {
    const created = await this.prisma.idempotencyKey.createMany({ data: [{ subject, key, requestHash: hash, state: 'pending' }], skipDuplicates: true });
    if (created.count === 1) return { kind: 'proceed' };
    const row = await this.prisma.idempotencyKey.findUnique({ where: { subject_key: { subject, key } } });
    if (!row) return this.begin(subject, key, hash); // removed in between (an abandoned attempt): try again
    if (row.requestHash !== hash) return { kind: 'mismatch' };
    if (row.state === 'done') return { kind: 'replay', status: row.statusCode!, body: row.body };
    if (Date.now() - row.createdAt.getTime() < ABANDONED_AFTER_MS) return { kind: 'in_progress' };
    const taken = await this.prisma.idempotencyKey.updateMany({
      where: { subject, key, state: 'pending', createdAt: row.createdAt },
      data: { createdAt: new Date() },
    });
    return taken.count === 1 ? { kind: 'proceed' } : { kind: 'in_progress' };
  }

  async finish(subject: string, key: string, status: number, body: unknown): Promise<void> {
    await this.prisma.idempotencyKey.update({
      where: { subject_key: { subject, key } },
      data: { state: 'done', statusCode: status, body: body as PrismaNs.InputJsonValue },
    });
  }

  /** The command failed for a reason that may pass (5xx): let a retry run it again. */
  async abandon(subject: string, key: string): Promise<void> {
    await this.prisma.idempotencyKey.deleteMany({ where: { subject, key, state: 'pending' } });
  }
}
