// OWASP API2:2023 Broken Authentication (issue 16): no secret from the repository, tokens that expire,
// for this audience, with a safe subject, and one answer for every refusal.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import jwt from 'jsonwebtoken';
import { assertDeployable, loadSettings, SettingsError } from '../../activities/config';
import { authenticate, verifyToken } from '../../api/auth';
import { applyMigrations } from '../../scripts/migrate';
import { seedReferenceData } from '../../scripts/seed';
import { ensureJwtSecret } from '../../scripts/stack/jwt-secret';
import { TEST_JWT_SECRET } from '../helpers/http';
import { appBed, claims, rawToken, runEntry, type Bed } from './security-bed';

/** The development default that used to be written in activities/config.ts. */
const OLD_REPOSITORY_SECRET = 'jiuzhu-development-secret-change-me';
const now = () => Math.floor(Date.now() / 1000);

let bed: Bed;
beforeAll(async () => {
  bed = await appBed({ jwt: { secret: TEST_JWT_SECRET, issuer: 'sx-idp' } });
});
afterAll(async () => bed?.close());

const audit = (token?: string) => bed.http.request('GET', '/v1/audit', { token });
const good = (extra: jwt.SignOptions = {}) => jwt.sign(claims, TEST_JWT_SECRET, { algorithm: 'HS256', expiresIn: '1h', audience: 'jiuzhu', issuer: 'sx-idp', ...extra });

describe('API2 authentication: no secret from the repository', () => {
  it('API2 authentication: the API refuses to start outside development without JWT_SECRET (the repository default is gone)', async () => {
    const run = await runEntry('api/server.ts', { JIUZHU_ENV: 'production', TEMPORAL_ADDRESS: '127.0.0.1:1', DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' });
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/refusing to start[\s\S]*JWT_SECRET/);
  });

  it('API2 authentication: a JWT_SECRET shorter than 32 bytes, or the old repository default, is refused outside development', () => {
    for (const secret of ['short-secret', OLD_REPOSITORY_SECRET]) {
      expect(() => assertDeployable(loadSettings({ JIUZHU_ENV: 'production', JWT_SECRET: secret }), ['jwt'])).toThrow(SettingsError);
    }
    expect(() => authenticate({ secret: 'short-secret' })).toThrow(/32 bytes/);
    expect(() => authenticate({ secret: OLD_REPOSITORY_SECRET })).toThrow(/published/);
    expect(() => assertDeployable(loadSettings({ JIUZHU_ENV: 'production', JWT_SECRET: crypto.randomBytes(32).toString('hex') }), ['jwt'])).not.toThrow();
  });

  it('API2 authentication: the worker refuses to start outside development without the agency key, or with plain http to a remote agency', async () => {
    const secret = crypto.randomBytes(32).toString('hex');
    const noKey = await runEntry('worker.ts', { JIUZHU_ENV: 'production', JWT_SECRET: secret, VERIFICATION_AGENCY_URL: 'https://agency.example.cn', TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(noKey.code).toBe(2);
    expect(noKey.output).toMatch(/VERIFICATION_AGENCY_API_KEY/);
    const http = () => assertDeployable(loadSettings({ JIUZHU_ENV: 'production', JWT_SECRET: secret, VERIFICATION_AGENCY_API_KEY: 'k'.repeat(40), VERIFICATION_AGENCY_URL: 'http://agency.example.cn' }), ['jwt', 'agency']);
    expect(http).toThrow(/https/);
    const sandbox = () => assertDeployable(loadSettings({ JIUZHU_ENV: 'production', JWT_SECRET: secret, VERIFICATION_AGENCY_API_KEY: 'sandbox-key', VERIFICATION_AGENCY_URL: 'https://agency.example.cn' }), ['agency']);
    expect(sandbox).toThrow(/sandbox/);
    const loopback = () => assertDeployable(loadSettings({ JIUZHU_ENV: 'production', JWT_SECRET: secret, VERIFICATION_AGENCY_API_KEY: 'k'.repeat(40), VERIFICATION_AGENCY_URL: 'http://127.0.0.1:4010' }), ['jwt', 'agency']);
    expect(loopback).not.toThrow();
  });

  it('API2 authentication, R-PAY-01: outside development the worker needs the bank key too: the sandbox bank key and plain http to a remote bank are refused', () => {
    const bank = (e: Record<string, string>) => () => assertDeployable(loadSettings({ JIUZHU_ENV: 'production', ...e }), ['bank']);
    expect(bank({ BANK_URL: 'https://bank.example.cn' })).toThrow(/BANK_API_KEY/);
    expect(bank({ BANK_URL: 'https://bank.example.cn', BANK_API_KEY: 'sandbox-bank-key' })).toThrow(/sandbox/);
    expect(bank({ BANK_URL: 'http://bank.example.cn', BANK_API_KEY: 'k'.repeat(40) })).toThrow(/https/);
    expect(bank({ BANK_URL: 'https://bank.example.cn', BANK_API_KEY: 'k'.repeat(40) })).not.toThrow();
    expect(bank({ BANK_URL: 'http://127.0.0.1:4020', BANK_API_KEY: 'k'.repeat(40) })).not.toThrow();
  });

  it('API2 authentication: npm run token refuses outside development without JWT_SECRET, and in development signs with the per-install secret (0600)', async () => {
    const args = ['--sub', 'hewei', '--role', 'supervisor', '--jurisdiction', '1405'];
    // (a file that is not there stands for a clone where `make start` never ran)
    const refused = await runEntry('scripts/token.ts', { JIUZHU_ENV: 'production', JWT_SECRET_FILE: '/nonexistent/jwt-secret' }, args);
    expect(refused.code).toBe(2);
    expect(refused.output).toMatch(/refusing to start[\s\S]*JWT_SECRET/);

    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-secret-')), 'secrets', 'jwt-secret');
    const secret = ensureJwtSecret(file);
    expect(Buffer.byteLength(secret)).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(ensureJwtSecret(file)).toBe(secret); // a second start keeps it
    const minted = await runEntry('scripts/token.ts', { JIUZHU_ENV: 'development', JWT_SECRET_FILE: file }, args);
    expect(minted.code).toBe(0);
    const r = verifyToken(minted.output.trim(), { secret });
    expect(r).toMatchObject({ ok: true, user: { sub: 'hewei', role: 'supervisor' } });
  });

  it('API2 authentication: the demo staff are seeded only in development', async () => {
    const admin = new Client({ connectionString: process.env.JIUZHU_TEST_PG_ADMIN_URL });
    await admin.connect();
    const name = `t_seed_${crypto.randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = process.env.JIUZHU_TEST_PG_ADMIN_URL!.replace(/\/postgres$/, `/${name}`);
    const previous = process.env.JIUZHU_ENV;
    try {
      await applyMigrations(url);
      process.env.JIUZHU_ENV = 'production';
      await expect(seedReferenceData(url, { demo: true })).rejects.toThrow(/only in development/);
      await seedReferenceData(url);
      const c = new Client({ connectionString: url });
      await c.connect();
      const staff = await c.query('SELECT count(*)::int AS n FROM staff_member');
      const policies = await c.query('SELECT count(*)::int AS n FROM policy_profile');
      await c.end();
      expect(staff.rows[0].n).toBe(0);
      expect(policies.rows[0].n).toBe(1); // the national defaults only
    } finally {
      process.env.JIUZHU_ENV = previous;
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});

describe('API2 authentication: tokens', () => {
  it('API2 authentication: a token without exp is refused', async () => {
    const r = await audit(rawToken({ ...claims, aud: 'jiuzhu', iss: 'sx-idp' }));
    expect(r.status).toBe(401);
  });

  it('API2 authentication: a token living longer than JWT_MAX_LIFETIME (12 h) is refused', async () => {
    expect((await audit(good({ expiresIn: '13h' }))).status).toBe(401);
    // no iat to measure from: exp itself too far from now
    expect((await audit(rawToken({ ...claims, aud: 'jiuzhu', iss: 'sx-idp', exp: now() + 30 * 86_400 }))).status).toBe(401);
    expect((await audit(good({ expiresIn: '11h' }))).status).toBe(200);
  });

  it('API2 authentication: the audience is checked (JWT_AUDIENCE, default jiuzhu), and the issuer when JWT_ISSUER is set', async () => {
    expect((await audit(good())).status).toBe(200); // the control: right audience and issuer
    expect((await audit(good({ audience: 'another-system' }))).status).toBe(401);
    expect((await audit(jwt.sign(claims, TEST_JWT_SECRET, { algorithm: 'HS256', expiresIn: '1h', issuer: 'sx-idp' }))).status).toBe(401);
    expect((await audit(good({ issuer: 'somebody-else' }))).status).toBe(401);
  });

  it('API2 authentication: a sub outside the safe character set (a newline forges log lines) is refused', async () => {
    for (const sub of ['hewei\n200 GET /v1/audit admin', 'he wei', 'hewei\u0000', '../hewei']) {
      const r = await audit(jwt.sign({ ...claims, sub }, TEST_JWT_SECRET, { algorithm: 'HS256', expiresIn: '1h', audience: 'jiuzhu', issuer: 'sx-idp' }));
      expect(r.status).toBe(401);
    }
    expect(bed.logs.join('\n')).not.toMatch(/\n200 GET \/v1\/audit admin/);
  });

  it('API2 authentication: every 401 answers one fixed message; the reason goes to the log only', async () => {
    const answers = await Promise.all([
      audit(),
      audit('not-a-jwt'),
      audit(good({ expiresIn: -60 })),
      audit(rawToken({ ...claims, role: 'emperor', aud: 'jiuzhu', iss: 'sx-idp', exp: now() + 60 })),
      audit(rawToken({ ...claims, aud: 'jiuzhu', iss: 'sx-idp' })),
    ]);
    const details = new Set(answers.map((a) => a.body.detail));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expect(answers.every((a) => a.type.includes('application/problem+json'))).toBe(true);
    expect(details.size).toBe(1);
    const body = JSON.stringify(answers.map((a) => a.body));
    for (const leak of ['township_caseworker', 'expired', 'role', 'exp']) expect(body).not.toContain(leak);
    const log = bed.logs.join('\n');
    expect(log).toMatch(/authentication refused .*jwt expired/);
    expect(log).toMatch(/authentication refused .*no exp/);
    expect(log).toMatch(/authentication refused .*claims: role/);
  });
});
