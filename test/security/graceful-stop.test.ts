// The real API process (api/server.ts) as `make start` runs it: it binds HOST (127.0.0.1 by default,
// API8), and on SIGTERM it stops accepting, finishes the requests in flight within
// API_SHUTDOWN_GRACE_MS, then exits (issue 16, "a crash loses nothing, and a retry gets its answer").
import fs from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startChild, type Child } from '../../scripts/stack/children';
import { freePort, waitForPort } from '../../scripts/stack/ports';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createTimeSkippingEnv } from '../helpers/temporal';
import { client, token, TEST_JWT_SECRET } from '../helpers/http';
import { applicationBody } from '../helpers/people';

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let port: number;
const logs: string[] = [];
const children: Child[] = [];

/** The real API process on a free port; no worker polls its queue, so an intake stays in flight until the command deadline. */
async function startApi(log: string[]): Promise<{ api: Child; port: number }> {
  const p = await freePort();
  const child = startChild(
    'api',
    'api/server.ts',
    {
      JIUZHU_ENV: 'development',
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: `graceful-${process.pid}`,
      JWT_SECRET: TEST_JWT_SECRET,
      PORT: String(p),
      HOST: '',
      API_COMMAND_TIMEOUT_MS: '7000',
      API_SHUTDOWN_GRACE_MS: '15000',
    },
    (l) => log.push(l),
  );
  children.push(child);
  await waitForPort(p, '127.0.0.1', 60_000);
  return { api: child, port: p };
}

// the shared API serves the tests that only read; the SIGTERM test stops one of its own, so the tests
// pass in any order
beforeAll(async () => {
  [env, db] = await Promise.all([createTimeSkippingEnv(), createTestDatabase()]);
  ({ port } = await startApi(logs));
});

afterAll(async () => {
  for (const c of children) await c.kill();
  await env?.teardown();
  await db?.drop();
});

/** The local addresses listening on `port`, from the kernel's own tables (hex, as /proc shows them). */
function listeningAddresses(p: number): string[] {
  const hexPort = p.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((f) => f.length > 3 && f[1].endsWith(`:${hexPort}`) && f[3] === '0A')
      .map((f) => f[1].split(':')[0]),
  );
}

it('API8 safe defaults: the API binds HOST, 127.0.0.1 by default, not every interface', () => {
  expect(listeningAddresses(port)).toEqual(['0100007F']);
  expect(logs.join('\n')).toContain(`API listening on http://127.0.0.1:${port}`);
});

it('API8 bad input: a query beyond Node’s 16 KB header limit is a 431 problem+json from the real server, not a bare error', async () => {
  const res = await fetch(`http://127.0.0.1:${port}/v1/audit?caseId=${'x'.repeat(20_000)}`);
  expect(res.status).toBe(431);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(await res.json()).toMatchObject({ status: 431 });
});

it('Graceful stop: on SIGTERM the API refuses new connections, finishes the request in flight within API_SHUTDOWN_GRACE_MS, then exits 0', async () => {
  const own: string[] = [];
  const { api, port } = await startApi(own);
  const http = client(`http://127.0.0.1:${port}`);
  const caseworker = token('zhangmin', 'township_caseworker', '140599100', '张敏');
  const inflight = http.request('POST', '/v1/applications', { token: caseworker, body: applicationBody() });
  await new Promise((r) => setTimeout(r, 1_500)); // the request is now waiting on Temporal
  const signalledAt = Date.now();
  process.kill(-api.process.pid!, 'SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

  // answered in full (the command deadline of 7 s passes first: 503, repeat with the same key), not cut off
  const answer = await inflight;
  expect(answer.status).toBe(503);
  expect(answer.type).toContain('application/problem+json');
  expect(Date.now() - signalledAt).toBeGreaterThan(5_000); // beyond the old fixed 5-second exit
  expect(await api.exited).toBe(0);
  expect(own.join('\n')).toMatch(/API stopping \(SIGTERM\)[\s\S]*API stopped/);
});
