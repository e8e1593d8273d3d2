// JWT bearer authentication. Tokens carry sub, name, role and jurisdiction (API.md "Conventions").
// HS256 with JWT_SECRET (≥ 32 bytes); RS256/ES256 with JWT_PUBLIC_KEY(_FILE) where the province's
// identity service issues tokens. Every token carries exp within a maximum lifetime and the audience
// (issue 16, API2); every refusal answers the same 401.
import type { Request, RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { ROLES, type Role } from './roles';
import { MIN_SECRET_BYTES, PUBLIC_SECRETS } from '../activities/config';
import { forbidden, unauthorized } from './problems';
import type { Actor } from '../workflows/rules/types';
import type { Prisma } from '../activities/db';
import { canonicalStaffId } from '../workflows/rules/recusal';

// eslint-disable-next-line no-control-regex
const UNSAFE_TEXT = /[\u0000-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const claimsSchema = z.object({
  // a safe character set: a newline or a space in `sub` would forge log lines and audit actors
  sub: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'letters, digits and . _ @ - (at most 64)'),
  name: z
    .string()
    .min(1)
    .max(64)
    .refine((v) => !UNSAFE_TEXT.test(v), 'no control characters or broken Unicode'),
  role: z.enum(ROLES),
  jurisdiction: z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, 'a 区划代码 of 2, 4, 6, 9 or 12 digits'),
});
export type User = z.infer<typeof claimsSchema>;

export interface JwtSettings {
  secret?: string;
  publicKey?: string;
  issuer?: string;
  /** the `aud` every token must carry (default jiuzhu) */
  audience?: string;
  /** the longest lifetime accepted, exp − iat and exp − now, in seconds (default 12 h) */
  maxLifetimeSec?: number;
}

export const DEFAULT_AUDIENCE = 'jiuzhu';
export const DEFAULT_MAX_LIFETIME_SEC = 12 * 3600;
const CLOCK_TOLERANCE_SEC = 30;
/** The one answer to every failed authentication: the reason goes to the log only (issue 16, API2). */
export const UNAUTHORIZED_DETAIL = 'a valid bearer token is required';

declare module 'express-serve-static-core' {
  interface Locals {
    user: User;
  }
}

export interface AuthHooks {
  /** where the reason for a refusal goes (never to the client) */
  log?: (line: string) => void;
  /**
   * After a refused token only: count it, or throw (429) when the address used up its failures. A token
   * that verifies is never refused for what others sent from the same address (issue 21 §5.2).
   */
  failed?: (req: Request) => Promise<void>;
  /** After the token verified: why this user may not act now (e.g. deactivated in the register), else undefined. */
  refuse?: (user: User) => Promise<string | undefined>;
}

/** Why a token is refused, or its claims. */
export function verifyToken(token: string, settings: JwtSettings, nowSec = Math.floor(Date.now() / 1000)): { ok: true; user: User } | { ok: false; reason: string } {
  const key = settings.publicKey ?? settings.secret!;
  const algorithms: jwt.Algorithm[] = settings.publicKey ? ['RS256', 'ES256'] : ['HS256'];
  const maxLifetime = settings.maxLifetimeSec ?? DEFAULT_MAX_LIFETIME_SEC;
  let payload: jwt.JwtPayload;
  try {
    const p = jwt.verify(token, key, { algorithms, issuer: settings.issuer, audience: settings.audience ?? DEFAULT_AUDIENCE, clockTolerance: CLOCK_TOLERANCE_SEC });
    if (typeof p === 'string') return { ok: false, reason: 'payload is not a JSON object' };
    payload = p;
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  if (typeof payload.exp !== 'number') return { ok: false, reason: 'no exp' };
  if (payload.exp - nowSec > maxLifetime + CLOCK_TOLERANCE_SEC) return { ok: false, reason: `exp is more than ${maxLifetime}s away` };
  if (payload.iat !== undefined) {
    if (typeof payload.iat !== 'number') return { ok: false, reason: 'iat is not a number' };
    if (payload.iat > nowSec + CLOCK_TOLERANCE_SEC) return { ok: false, reason: 'iat is in the future' };
    if (payload.exp - payload.iat > maxLifetime) return { ok: false, reason: `lifetime exp − iat exceeds ${maxLifetime}s` };
  }
  const claims = claimsSchema.safeParse({ sub: payload.sub, name: payload.name, role: payload.role, jurisdiction: payload.jurisdiction });
  if (!claims.success) return { ok: false, reason: `claims: ${claims.error.issues.map((i) => i.path.join('.')).join(', ')}` };
  return { ok: true, user: claims.data };
}

export function authenticate(settings: JwtSettings, hooks: AuthHooks = {}): RequestHandler {
  if (!settings.publicKey && !settings.secret) throw new Error('set JWT_SECRET or JWT_PUBLIC_KEY');
  if (settings.secret && !settings.publicKey) {
    if (Buffer.byteLength(settings.secret) < MIN_SECRET_BYTES) throw new Error(`JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes`);
    if (PUBLIC_SECRETS.includes(settings.secret)) throw new Error('JWT_SECRET is a secret published in the repository');
  }
  const log = hooks.log ?? ((line: string) => console.warn(line));
  return async (req, res, next) => {
    res.set('WWW-Authenticate', 'Bearer');
    const match = /^Bearer ([^\s]+)$/i.exec(req.get('authorization') ?? '');
    const result = match ? verifyToken(match[1], settings) : ({ ok: false, reason: 'no bearer token' } as const);
    if (!result.ok) {
      // JSON.stringify: a reason quoting the token cannot break the log line
      log(`authentication refused for ${req.method} ${req.path} from ${req.ip}: ${JSON.stringify(result.reason)}`);
      try {
        await hooks.failed?.(req);
      } catch (err) {
        return next(err);
      }
      return next(unauthorized(UNAUTHORIZED_DETAIL));
    }
    let refusal: string | undefined;
    try {
      refusal = await hooks.refuse?.(result.user);
    } catch (err) {
      return next(err);
    }
    if (refusal) {
      // a valid token of someone who may no longer act: not counted as a failure (nothing was guessed)
      log(`authentication refused for ${req.method} ${req.path} from ${req.ip}: ${JSON.stringify(refusal)}`);
      return next(unauthorized(UNAUTHORIZED_DETAIL));
    }
    res.removeHeader('WWW-Authenticate');
    res.locals.user = result.user;
    next();
  };
}

/**
 * Issue 21 §5.5: a member deactivated in the staff register loses access at once, not when the token
 * expires. A primary-key lookup per request (no cache: "at once" means the next request). Tokens of
 * people the register does not list (a supervisor of the province's identity service) pass here; acting
 * on a case still requires active registered staff (ApplicationService.registeredActor).
 */
export function deactivatedStaff(prisma: Prisma): (user: User) => Promise<string | undefined> {
  return async (user) => {
    const staff = await prisma.staffMember.findUnique({ where: { staffId: canonicalStaffId(user.sub) }, select: { active: true } });
    return staff && !staff.active ? `${user.sub} is deactivated in the staff register` : undefined;
  };
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    const { role } = res.locals.user;
    if (!roles.includes(role)) return next(forbidden(`role ${role} may not do this (allowed: ${roles.join(', ')})`));
    next();
  };
}

/** R-SEC-01: a user acts only inside their jurisdiction subtree. */
export function inSubtree(user: User, code: string): boolean {
  return code.startsWith(user.jurisdiction);
}

export function actorOf(user: User): Actor {
  return { id: user.sub, name: user.name, role: user.role, jurisdiction: user.jurisdiction };
}

export function signToken(claims: User, secret: string, expiresIn: jwt.SignOptions['expiresIn'] = '8h', issuer?: string, audience = DEFAULT_AUDIENCE): string {
  return jwt.sign(claims, secret, { algorithm: 'HS256', expiresIn, audience, ...(issuer ? { issuer } : {}) });
}
