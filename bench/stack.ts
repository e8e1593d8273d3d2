// The real stack for a benchmark, on fresh data in a temp dir: embedded PostgreSQL (migrated and seeded
// as development), the Temporal CLI dev server (its SQLite file, as `make start` runs it; --memory for
// the in-memory store), the sandbox agency, the worker and the API, each in its own process as deployed
// (scripts/stack/children.ts). Secrets are throwaway: a payload key, an actor signing pair, a JWT secret.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { applyMigrations } from '../scripts/migrate';
import { seedReferenceData } from '../scripts/seed';
import { startChild, type Child } from '../scripts/stack/children';
import { ensureDatabase, startPostgres, type PostgresServer } from '../scripts/stack/postgres';
import { freePort, waitForPort } from '../scripts/stack/ports';
import { startTemporalDevServer, type DevServer } from '../scripts/stack/temporal';
import { dataConverterFromEnv } from '../activities/crypto/data-converter';
import { createPrisma, type Prisma } from '../activities/db';
import { throwawayActorKeys } from '../test/helpers/actor-keys';
import { TEST_JWT_SECRET } from '../test/helpers/http';

export const BENCH_TASK_QUEUE = 'jiuzhu-bench';

export interface BenchStack {
  dir: string;
  databaseUrl: string;
  prisma: Prisma;
  temporalAddress: string;
  /** a client with the service's data converter (same payload codec as the worker and the API) */
  client: Client;
  apiUrl: string;
  /** the environment every service process got (payload key, database, Temporal) */
  env: Record<string, string>;
  /** starts another process on the stack (a bench-only worker); resolves once a line contains `ready` */
  startProcess(name: string, entry: string, env: Record<string, string>, ready: string): Promise<Child>;
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  /** the dev server's in-memory store instead of its SQLite file */
  memory?: boolean;
  /** more settings of the API process */
  apiEnv?: Record<string, string>;
  progress(line: string): void;
}

export async function startBenchStack(o: BenchStackOptions): Promise<BenchStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-bench-'));
  const logs: string[] = [];
  const keep = (name: string) => (l: string) => void logs.push(`[${name}] ${l}`);
  const children: Child[] = [];
  let pg: PostgresServer | undefined;
  let temporal: DevServer | undefined;
  let connection: Connection | undefined;
  let prisma: Prisma | undefined;

  const stop = async () => {
    await Promise.all(children.map((c) => c.stop()));
    await connection?.close().catch(() => undefined);
    await prisma?.$disconnect().catch(() => undefined);
    await temporal?.stop();
    await pg?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const startProcess = (name: string, entry: string, env: Record<string, string>, ready: string) =>
    new Promise<Child>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${logs.slice(-30).join('\n')}`)), 180_000);
      const child = startChild(name, entry, env, (line) => {
        logs.push(`[${name}] ${line}`);
        if (line.includes(ready)) {
          clearTimeout(timer);
          resolve(child);
        }
      });
      children.push(child);
      void child.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code}:\n${logs.slice(-30).join('\n')}`));
      });
    });

  try {
    process.env.JIUZHU_ENV = 'development'; // the demo staff and training county are seeded (as in the tests)
    o.progress('starting PostgreSQL and the Temporal dev server…');
    const [pgPort, temporalPort] = [await freePort(), await freePort()];
    [pg, temporal] = await Promise.all([
      startPostgres({ dataDir: path.join(dir, 'pg'), port: pgPort, log: keep('postgres') }),
      startTemporalDevServer({ port: temporalPort, dbFile: o.memory ? undefined : path.join(dir, 'temporal.db'), log: keep('temporal') }),
    ]);
    // chosen once the dev server holds its own random ports (its HTTP API, its metrics), never before
    const [agencyPort, apiPort] = [await freePort(), await freePort()];
    await ensureDatabase(pg.url('postgres'), 'jiuzhu');
    const databaseUrl = pg.url('jiuzhu');
    await applyMigrations(databaseUrl);
    await seedReferenceData(databaseUrl);

    const keyId = `bench-${crypto.randomBytes(3).toString('hex')}`;
    process.env.PAYLOAD_KEYS = `${keyId}:${crypto.randomBytes(32).toString('base64')}`;
    process.env.PAYLOAD_KEY_ID = keyId;
    throwawayActorKeys('bench'); // ACTOR_SIGNING_KEY (API), ACTOR_VERIFY_KEYS (the worker's bundle)
    const env: Record<string, string> = {
      JIUZHU_ENV: 'development',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: BENCH_TASK_QUEUE,
      PAYLOAD_KEYS: process.env.PAYLOAD_KEYS,
      PAYLOAD_KEY_ID: keyId,
      LOG_LEVEL: 'WARN',
    };
    const agencyUrl = `http://127.0.0.1:${agencyPort}`;
    o.progress('starting the sandbox agency, the worker (it bundles the workflows) and the API…');
    const agency = startChild('agency', 'scripts/sandbox-agency.ts', { SANDBOX_AGENCY_PORT: String(agencyPort), VERIFICATION_AGENCY_API_KEY: 'bench', SANDBOX_AGENCY_STATE: path.join(dir, 'agency.json') }, keep('agency'));
    children.push(agency);
    const api = startChild('api', 'api/server.ts', { ...env, PORT: String(apiPort), JWT_SECRET: TEST_JWT_SECRET, ...o.apiEnv }, keep('api'));
    children.push(api);
    await Promise.all([
      startProcess('worker', 'worker.ts', { ...env, VERIFICATION_AGENCY_URL: agencyUrl, VERIFICATION_AGENCY_API_KEY: 'bench' }, 'worker polling task queue'),
      waitForPort(agencyPort),
      waitForPort(apiPort),
    ]);
    connection = await Connection.connect({ address: temporal.address });
    prisma = createPrisma(databaseUrl);
    return {
      dir,
      databaseUrl,
      prisma,
      temporalAddress: temporal.address,
      client: new Client({ connection, dataConverter: dataConverterFromEnv() }),
      apiUrl: `http://127.0.0.1:${apiPort}`,
      env,
      startProcess,
      stop,
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
