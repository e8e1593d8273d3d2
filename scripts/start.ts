// `make start`: the whole service on embedded defaults, in the foreground, with one log stream.
//   PostgreSQL (.data/pg; as root /var/lib/jiuzhu/<hash>/pg, see stack/postgres-paths.ts) → migrations
//   and reference data → Temporal dev server (.data/temporal.db, Web UI) → sandbox verification agency
//   → sandbox bank (.data/bank-state.json) → worker → API.
// Anything already pointed elsewhere by the environment is used instead of started: DATABASE_URL (an
// external PostgreSQL), TEMPORAL_ADDRESS (a Temporal cluster), VERIFICATION_AGENCY_URL (the real agency),
// BANK_URL (the real agent bank).
// Ctrl-C stops the API, then the worker, then the rest (stack/stop-order.ts); the next start finds every
// case where it was.
import fs from 'node:fs';
import path from 'node:path';
import { applyMigrations } from './migrate';
import { seedReferenceData } from './seed';
import { ensureAuditSigningKey } from './stack/audit-key';
import { ensureActorSigningKey } from './stack/actor-key';
import { startChild, type Child } from './stack/children';
import { ensureDevPayloadKey } from './stack/payload-key';
import { ensureDatabase, startPostgres, type PostgresServer } from './stack/postgres';
import { startTemporalDevServer, type DevServer } from './stack/temporal';
import { SANDBOX_BANK_PORT, waitForPort } from './stack/ports';
import { stopOrder } from './stack/stop-order';
import { loadWorkerSettings } from '../activities/worker-settings';
import { msToNumber } from '@temporalio/common/lib/time';
import { ensureJwtSecret, ensureSecretFile } from './stack/jwt-secret';
import { ensureAppRole } from './stack/app-role';
import { childEnvironments, type StackSecrets } from './stack/child-env';

const ROOT = path.join(__dirname, '..');
const DATA = path.join(ROOT, '.data');
const COLOURS: Record<string, string> = { postgres: '34', temporal: '35', agency: '33', bank: '93', codec: '31', worker: '36', api: '32', start: '1' };

function logger(name: string): (line: string) => void {
  const tag = `\x1b[${COLOURS[name] ?? '0'}m${name.padEnd(8)}\x1b[0m`;
  return (line) => process.stdout.write(`${new Date().toTimeString().slice(0, 8)} ${tag} ${line}\n`);
}

const say = logger('start');
const stops: { name: string; stop: () => Promise<void> }[] = [];
let stopping = false;

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  for (const { stop } of stopOrder(stops)) await stop().catch((err) => say(`stop failed: ${err.message}`));
  say('stopped');
  process.exit(code);
}

async function main(): Promise<void> {
  fs.mkdirSync(DATA, { recursive: true });
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  // `make start` is the development stack (issue 16): JIUZHU_ENV=development unless the operator says otherwise
  process.env.JIUZHU_ENV ??= 'development';
  const env: NodeJS.ProcessEnv = {};
  // payload encryption (issue 11 §3): in development a per-install key; elsewhere the operator's keys
  env.JIUZHU_ENV = process.env.JIUZHU_ENV;
  if (env.JIUZHU_ENV === 'development' && !process.env.PAYLOAD_KEYS && !process.env.PAYLOAD_KEYS_FILE) Object.assign(env, ensureDevPayloadKey(path.join(DATA, 'secrets'), say));
  // a per-install JWT secret (.data/secrets/jwt-secret, 0600) unless one is configured; npm run token reads it.
  // Handed to the API and the codec server only (stack/child-env.ts), never to the worker.
  const jwtSecret = !process.env.JWT_SECRET && !process.env.JWT_PUBLIC_KEY && !process.env.JWT_PUBLIC_KEY_FILE ? ensureJwtSecret() : undefined;

  // PostgreSQL
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const pg: PostgresServer = await startPostgres({ dataDir: path.join(DATA, 'pg'), lifetime: 'persistent', port: Number(process.env.PGPORT ?? 55432), log: logger('postgres') });
    stops.push({ name: 'postgres', stop: () => pg.stop() });
    await ensureDatabase(pg.url('postgres'), 'jiuzhu');
    databaseUrl = pg.url('jiuzhu');
    say(`PostgreSQL on 127.0.0.1:${pg.port} (data in ${path.relative(ROOT, pg.dataDir).startsWith('..') ? pg.dataDir : path.relative(ROOT, pg.dataDir)})`);
  }
  env.DATABASE_URL = databaseUrl;
  const applied = await applyMigrations(databaseUrl, say);
  say(applied.length ? `${applied.length} migration(s) applied` : 'database schema is up to date');
  await seedReferenceData(databaseUrl, { demo: process.env.JIUZHU_ENV === 'development' && process.env.SEED_DEMO !== '0' });
  if (!process.env.DATABASE_URL) {
    // the embedded database: the worker and the API connect as jiuzhu_app, which cannot rewrite the audit trail
    env.DATABASE_URL = await ensureAppRole(databaseUrl, { role: 'jiuzhu_app', password: ensureSecretFile(path.join(DATA, 'secrets', 'db-app-password')) });
    say('worker and API connect as jiuzhu_app (insert-only on the audit trail)');
  }

  // The codec server: the Web UI decrypts payloads through it (scripts/codec-server.ts)
  const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
  const codecPort = Number(process.env.CODEC_SERVER_PORT ?? 8888);
  const origins = process.env.CODEC_CORS_ORIGINS || `http://127.0.0.1:${uiPort},http://localhost:${uiPort}`;
  // it verifies the callers' tokens and audits each decode (issue 21 §5.4): the JWT key and the database
  const codecEnv = childEnvironments(env, { jwtSecret, anchorFile: '' }).codec;
  const codec = startChild('codec', 'scripts/codec-server.ts', { ...codecEnv, CODEC_SERVER_PORT: String(codecPort), CODEC_CORS_ORIGINS: origins }, logger('codec'));
  stops.push({ name: 'codec', stop: () => codec.stop() });
  if ((await Promise.race([waitForPort(codecPort).then(() => 'up'), codec.exited])) !== 'up') throw new Error('the codec server did not start (see its log above)');

  // Temporal
  if (!process.env.TEMPORAL_ADDRESS) {
    const temporal: DevServer = await startTemporalDevServer({
      port: Number(process.env.TEMPORAL_PORT ?? 7233),
      uiPort,
      codecEndpoint: `http://127.0.0.1:${codecPort}`,
      dbFile: path.join(DATA, 'temporal.db'),
      log: logger('temporal'),
    });
    stops.push({ name: 'temporal', stop: () => temporal.stop() });
    env.TEMPORAL_ADDRESS = temporal.address;
    say(`Temporal dev server on ${temporal.address}, Web UI at ${temporal.uiUrl}`);
  }

  // The sandbox verification agency
  if (!process.env.VERIFICATION_AGENCY_URL) {
    const port = Number(process.env.SANDBOX_AGENCY_PORT ?? 4010);
    const agency = startChild('agency', 'scripts/sandbox-agency.ts', { SANDBOX_AGENCY_PORT: String(port), SANDBOX_AGENCY_STATE: path.join(DATA, 'agency-state.json') }, logger('agency'));
    stops.push({ name: 'agency', stop: () => agency.stop() });
    await waitForPort(port);
    env.VERIFICATION_AGENCY_URL = `http://127.0.0.1:${port}`;
  }

  // The sandbox agent bank (R-PAY-01): every transfer kept in .data/bank-state.json across restarts
  if (!process.env.BANK_URL) {
    const port = Number(process.env.SANDBOX_BANK_PORT ?? SANDBOX_BANK_PORT);
    const bank = startChild('bank', 'scripts/sandbox-bank.ts', { SANDBOX_BANK_PORT: String(port), SANDBOX_BANK_STATE: path.join(DATA, 'bank-state.json') }, logger('bank'));
    stops.push({ name: 'bank', stop: () => bank.stop() });
    await waitForPort(port);
    env.BANK_URL = `http://127.0.0.1:${port}`;
  }

  // R-SUP-05: the audit anchoring key, generated once in development; the API gets only the public key,
  // and the anchor file too (its verification compares the table with it)
  const secrets: StackSecrets = { jwtSecret, anchorFile: process.env.AUDIT_ANCHOR_FILE ?? path.join(DATA, 'audit-anchors.jsonl') };
  if (!process.env.AUDIT_SIGNING_KEY && !process.env.AUDIT_SIGNING_KEY_FILE) {
    const keys = ensureAuditSigningKey(path.join(DATA, 'secrets'));
    secrets.auditSigningKeyFile = keys.signingKeyFile;
    secrets.auditVerifyKeysFile = process.env.AUDIT_VERIFY_KEYS_FILE ?? keys.verifyKeysFile;
  }
  // issue 16 API1: the API signs commands with the private key; the worker bakes the public key into the bundle
  if (env.JIUZHU_ENV === 'development' && !process.env.ACTOR_SIGNING_KEY && !process.env.ACTOR_SIGNING_KEY_FILE) {
    const keys = ensureActorSigningKey(path.join(DATA, 'secrets'));
    secrets.actorSigningKeyFile = keys.signingKeyFile;
    secrets.actorVerifyKeysFile = process.env.ACTOR_VERIFY_KEYS_FILE ?? keys.verifyKeysFile;
  }
  const envs = childEnvironments(env, secrets);

  const children: Child[] = [
    startChild('worker', 'worker.ts', envs.worker, logger('worker')),
    startChild('api', 'api/server.ts', envs.api, logger('api')),
  ];
  // stopped in reverse: the API first (it finishes its requests within API_SHUTDOWN_GRACE_MS), then the worker
  const apiGraceMs = Number(process.env.API_SHUTDOWN_GRACE_MS ?? 25_000) + 5_000;
  for (const c of children) {
    // the worker gets its shutdown grace (in-flight activities finish) before it is killed; the API finishes what is in flight
    const grace = c.name === 'worker' ? msToNumber(loadWorkerSettings().shutdownGraceTime) + 10_000 : c.name === 'api' ? apiGraceMs : undefined;
    stops.push({ name: c.name, stop: () => c.stop(grace) });
    void c.exited.then((code) => {
      if (!stopping) {
        say(`${c.name} exited with ${code}: stopping everything`);
        void stopAll(1);
      }
    });
  }
  const port = Number(process.env.PORT ?? 3000);
  await waitForPort(port, '127.0.0.1', 120_000);
  say(`ready: API http://127.0.0.1:${port}  ·  OpenAPI http://127.0.0.1:${port}/openapi.json  ·  Ctrl-C stops everything`);
}

main().catch((err) => {
  say(`start failed: ${err instanceof Error ? err.message : String(err)}`);
  void stopAll(1);
});
