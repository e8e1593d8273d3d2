// Commands are idempotent under the Idempotency-Key header (API.md): the same key and body replays the
// first response; the same key with another body is 422. Keys are scoped to the caller (token sub).
// Issue 16: only final answers are stored; they expire (IDEMPOTENCY_TTL_HOURS) and their bodies are
// dropped then; a request still running answers 409 with Retry-After; an intake's case id is chosen
// once per key and survives a failed attempt, so a retry reaches the same case.
import crypto from 'node:crypto';
import type { Prisma as PrismaNs } from '@prisma/client';
import type { Prisma } from '../activities/db';
import { canonicalJson } from '../activities/audit-log';

export type Begin =
  /** `resumed`: an earlier attempt under this key began and did not finish (it failed, or its process died) */
  | { kind: 'proceed'; resumed?: boolean }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'mismatch' }
  | { kind: 'in_progress'; retryAfterSec: number };

export interface IdempotencyOptions {
  /** stored answers are dropped this long after they were stored */
  ttlHours?: number;
  /** a request still 'pending' after this long was abandoned (its process died): a retry takes it over */
  abandonedAfterMs?: number;
}

export function requestHash(method: string, path: string, body: unknown): string {
  return crypto.createHash('sha256').update(`${method} ${path}\n${canonicalJson(body ?? null)}`).digest('hex');
}

export class IdempotencyStore {
  private readonly ttlMs: number;
  private readonly abandonedAfterMs: number;

  constructor(
    private readonly prisma: Prisma,
    options: IdempotencyOptions = {},
  ) {
    this.ttlMs = (options.ttlHours ?? 72) * 3_600_000;
    this.abandonedAfterMs = options.abandonedAfterMs ?? 120_000;
  }

  async begin(subject: string, key: string, hash: string): Promise<Begin> {
    // createdAt from this process's clock, the one its age is measured by (not the database's now())
    const created = await this.prisma.idempotencyKey.createMany({ data: [{ subject, key, requestHash: hash, state: 'pending', createdAt: new Date() }], skipDuplicates: true });
    if (created.count === 1) return { kind: 'proceed' };
    const row = await this.prisma.idempotencyKey.findUnique({ where: { subject_key: { subject, key } } });
    if (!row) return this.begin(subject, key, hash); // removed in between (expired): try again
    if (row.state === 'done' && this.expired(row.finishedAt ?? row.createdAt)) {
      // an expired answer is forgotten: the key starts afresh
      await this.prisma.idempotencyKey.deleteMany({ where: { subject, key, state: 'done', createdAt: row.createdAt } });
      return this.begin(subject, key, hash);
    }
    if (row.requestHash !== hash) return { kind: 'mismatch' };
    if (row.state === 'done') return { kind: 'replay', status: row.statusCode!, body: row.body };
    const age = Date.now() - row.createdAt.getTime();
    if (row.state === 'pending' && age < this.abandonedAfterMs) return { kind: 'in_progress', retryAfterSec: Math.min(30, (this.abandonedAfterMs - age) / 1000) };
    // 'retry' (an earlier attempt failed and let go) or an abandoned 'pending': take it over, keeping its case id
    const taken = await this.prisma.idempotencyKey.updateMany({
      where: { subject, key, state: row.state, createdAt: row.createdAt },
      data: { state: 'pending', createdAt: new Date() },
    });
    return taken.count === 1 ? { kind: 'proceed', resumed: true } : { kind: 'in_progress', retryAfterSec: 1 };
  }

  /**
   * The case id an intake under this key creates: chosen once (`fresh`), then the same on every retry
   * with the same key and body, so the update-with-start finds the case the first attempt started.
   */
  async caseIdFor(subject: string, key: string, fresh: string): Promise<string> {
    // one round trip (issue 21 §4): the row's lock makes a concurrent attempt read the id this one set
    const rows = await this.prisma.$queryRaw<{ case_id: string | null }[]>`
      UPDATE idempotency_key SET case_id = COALESCE(case_id, ${fresh}) WHERE subject = ${subject} AND key = ${key} RETURNING case_id`;
    return rows[0]?.case_id ?? fresh;
  }

  async finish(subject: string, key: string, status: number, body: unknown): Promise<void> {
    await this.prisma.idempotencyKey.update({
      where: { subject_key: { subject, key } },
      data: { state: 'done', statusCode: status, body: body as PrismaNs.InputJsonValue, finishedAt: new Date() },
    });
  }

  /** The command failed for a reason that may pass (5xx, or a refusal with Retry-After): let a retry run it again. */
  async abandon(subject: string, key: string): Promise<void> {
    // kept (not deleted): the case id chosen for this key must survive for the retry
    await this.prisma.idempotencyKey.updateMany({ where: { subject, key, state: 'pending' }, data: { state: 'retry' } });
  }

  /** Drops every stored answer past its time, bodies included (run periodically by the API server). */
  async purgeExpired(): Promise<number> {
    const cutoff = new Date(Date.now() - this.ttlMs);
    // answers by when they were stored; rows of attempts that never finished by when they began
    const r = await this.prisma.idempotencyKey.deleteMany({ where: { OR: [{ finishedAt: { lt: cutoff } }, { finishedAt: null, createdAt: { lt: cutoff } }] } });
    return r.count;
  }

  private expired(storedAt: Date): boolean {
    return Date.now() - storedAt.getTime() > this.ttlMs;
  }
}
