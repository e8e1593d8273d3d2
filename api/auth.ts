// JWT bearer authentication. Tokens carry sub, name, role and jurisdiction (API.md "Conventions").
// HS256 with JWT_SECRET in development; RS256/ES256 with JWT_PUBLIC_KEY(_FILE) where the province's
// identity service issues tokens.
import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { ROLES, type Role } from './roles';
import { forbidden, unauthorized } from './problems';
import type { Actor } from '../workflows/rules/types';

export const claimsSchema = z.object({
  sub: z.string().min(1).max(64),
  name: z.string().min(1).max(64),
  role: z.enum(ROLES),
  jurisdiction: z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, 'a 区划代码 of 2, 4, 6, 9 or 12 digits'),
});
export type User = z.infer<typeof claimsSchema>;

export interface JwtSettings {
  secret?: string;
  publicKey?: string;
  issuer?: string;
}

declare module 'express-serve-static-core' {
  interface Locals {
    user: User;
  }
}

export function authenticate(settings: JwtSettings): RequestHandler {
  const key = settings.publicKey ?? settings.secret;
  if (!key) throw new Error('set JWT_SECRET or JWT_PUBLIC_KEY');
  const algorithms: jwt.Algorithm[] = settings.publicKey ? ['RS256', 'ES256'] : ['HS256'];
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    res.set('WWW-Authenticate', 'Bearer');
    if (!match) return next(unauthorized('send Authorization: Bearer <token> (npm run token mints one for development)'));
    let payload: unknown;
    try {
      payload = jwt.verify(match[1], key, { algorithms, issuer: settings.issuer });
    } catch (err) {
      return next(unauthorized(`invalid token: ${(err as Error).message}`));
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) return next(unauthorized(`token claims: ${claims.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`));
    res.removeHeader('WWW-Authenticate');
    res.locals.user = claims.data;
    next();
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

export function signToken(claims: User, secret: string, expiresIn: jwt.SignOptions['expiresIn'] = '8h', issuer?: string): string {
  return jwt.sign(claims, secret, { algorithm: 'HS256', expiresIn, ...(issuer ? { issuer } : {}) });
}
