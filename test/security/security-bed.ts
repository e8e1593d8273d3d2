// What the security suite shares: an app on a real test database (a lazy Temporal client for tests
// that never reach Temporal), tokens signed any way an attacker might, and child processes of the real
// entry points with an environment of the test's choosing.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from '@temporalio/client';
import jwt from 'jsonwebtoken';
import { createApp, type AppDependencies } from '../../api/app';
import type { RateLimitSettings } from '../../activities/config';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { listen, TEST_JWT_SECRET, type HttpClient } from '../helpers/http';

export const ROOT = path.join(__dirname, '..', '..');

export interface Bed {
  db: TestDatabase;
  http: HttpClient;
  logs: string[];
  close(): Promise<void>;
}

/** An app on its own database; Temporal is never called by what these tests send. */
export async function appBed(overrides: Partial<AppDependencies> = {}, db?: TestDatabase): Promise<Bed> {
  const database = db ?? (await createTestDatabase());
  const logs: string[] = [];
  // a lazy client: it connects on first use, and these tests never use it
  const client = new Client();
  const http = await listen(createApp({ prisma: database.prisma, client, taskQueue: 'security-unused', jwt: { secret: TEST_JWT_SECRET }, log: (l) => logs.push(l), ...overrides }));
  return {
    db: database,
    http,
    logs,
    async close() {
      await http.close();
      if (!db) await database.drop();
    },
  };
}

/** Signs any payload as-is (no exp, no aud unless given): what a forger or a careless issuer sends. */
export function rawToken(payload: Record<string, unknown>, secret = TEST_JWT_SECRET): string {
  return jwt.sign(payload, secret, { algorithm: 'HS256', noTimestamp: payload.iat === undefined });
}

export const claims = { sub: 'hewei', name: '何伟', role: 'supervisor', jurisdiction: '1405' };

export interface Run {
  code: number | null;
  output: string;
}

/** Runs a TypeScript entry point with exactly this environment (plus PATH and HOME); kills it after `timeoutMs`. */
export function runEntry(entry: string, env: Record<string, string>, args: string[] = [], timeoutMs = 30_000): Promise<Run> {
  return new Promise((resolve) => {
    const proc = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, entry), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    proc.stdout.on('data', (b) => (output += b));
    proc.stderr.on('data', (b) => (output += b));
    const timer = setTimeout(() => {
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }, timeoutMs);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Rate limits no test reaches, but for the buckets a test names (its own, lower ones). */
export function rateLimits(o: Partial<RateLimitSettings> = {}): RateLimitSettings {
  const generous: RateLimitSettings = {
    user: { points: 10_000, durationSec: 60 },
    address: { points: 10_000, durationSec: 60 },
    intake: { points: 10_000, durationSec: 60 },
    authFailures: { points: 10_000, durationSec: 900 },
    verify: { points: 10_000, durationSec: 3600 },
    duplicateRefusals: { points: 10_000, durationSec: 3600 },
    export: { points: 10_000, durationSec: 3600 },
  };
  return { ...generous, ...o };
}
