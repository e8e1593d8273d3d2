// API4: rate limits per user and per address, stricter for intake, failed authentication, the audit
// verification and duplicate refusals (issue 16). Counters live in PostgreSQL (table rate_limit) through
// rate-limiter-flexible's Prisma store, so every API instance shares them. Over a limit: 429 problem+json
// with Retry-After.
import type { Request, RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterPrisma, RateLimiterRes } from 'rate-limiter-flexible';
import type { Prisma } from '../activities/db';
import type { Limit, RateLimitSettings } from '../activities/config';
import { tooManyRequests } from './problems';

export type Bucket = keyof RateLimitSettings;

const addressOf = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

export class RateLimits {
  private readonly limiters: Record<Bucket, RateLimiterPrisma>;
  private readonly settings: RateLimitSettings;

  constructor(prisma: Prisma, settings: RateLimitSettings) {
    this.settings = settings;
    // while PostgreSQL does not answer, the library's insurance limiter counts in this process instead
    const make = (bucket: Bucket, l: Limit) =>
      new RateLimiterPrisma({
        storeClient: prisma,
        tableName: 'rateLimit',
        keyPrefix: `jz-${bucket}`,
        points: l.points,
        duration: l.durationSec,
        clearExpiredByTimeout: true,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: `jz-${bucket}`, points: l.points, duration: l.durationSec }),
      });
    this.limiters = Object.fromEntries((Object.keys(settings) as Bucket[]).map((b) => [b, make(b, settings[b])])) as Record<Bucket, RateLimiterPrisma>;
  }

  /** Counts one request against `bucket` for `key`; 429 when over. */
  async consume(bucket: Bucket, key: string): Promise<void> {
    try {
      await this.limiters[bucket].consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw tooManyRequests(bucket, err.msBeforeNext);
      throw err;
    }
  }

  /** 429 while `key` has used up `bucket` (without counting this request). */
  async refuseIfExhausted(bucket: Bucket, key: string): Promise<void> {
    const res = await this.limiters[bucket].get(key);
    if (res && res.consumedPoints >= this.settings[bucket].points) throw tooManyRequests(bucket, res.msBeforeNext);
  }

  /** Counts an event (a failed authentication, a duplicate refusal) without refusing this request. */
  async count(bucket: Bucket, key: string): Promise<void> {
    await this.limiters[bucket].penalty(key, 1);
  }

  /** Every request, per client address (before authentication). */
  readonly perAddress: RequestHandler = (req, _res, next) => {
    this.consume('address', addressOf(req)).then(() => next(), next);
  };

  /** Every authenticated request, per user. */
  readonly perUser: RequestHandler = (_req, res, next) => {
    this.consume('user', res.locals.user.sub).then(() => next(), next);
  };

  /** A stricter bucket for one endpoint: per user, and per address at four times the user's rate. */
  strict(bucket: 'intake' | 'verify'): RequestHandler {
    return (req, res, next) => {
      this.consume(bucket, `user:${res.locals.user.sub}`)
        .then(() => this.consumeAddress(bucket, addressOf(req)))
        .then(() => next(), next);
    };
  }

  private async consumeAddress(bucket: Bucket, address: string): Promise<void> {
    // an office behind one NAT address holds several caseworkers: the address bucket is wider
    const res = await this.limiters[bucket].get(`addr:${address}`);
    if (res && res.consumedPoints >= this.settings[bucket].points * 4) throw tooManyRequests(bucket, res.msBeforeNext);
    await this.limiters[bucket].penalty(`addr:${address}`, 1);
  }

  /**
   * The hook for authenticate(): only a failing attempt is throttled (429 once its address used up
   * authFailures, else counted). A valid token passes whatever others behind the same NAT or proxy
   * address sent (issue 21 §5.2); behind a reverse proxy set TRUST_PROXY so the address is the client's.
   */
  authHooks() {
    return {
      failed: async (req: Request) => {
        await this.refuseIfExhausted('authFailures', addressOf(req));
        await this.count('authFailures', addressOf(req));
      },
    };
  }
}
