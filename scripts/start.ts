// `make start`: the whole service on embedded defaults, in the foreground, with one log stream.
//   PostgreSQL (.data/pg) → migrations and reference data → Temporal dev server (.data/temporal.db,
//   Web UI) → sandbox verification agency → worker → API.
// Anything already pointed elsewhere by the environment is used instead of started: DATABASE_URL (an
// external PostgreSQL), TEMPORAL_ADDRESS (a Temporal cluster), VERIFICATION_AGENCY_URL (the real agency).
// Ctrl-C stops everything in reverse order; the next start finds every case where it was.
import fs from 'node:fs';
import path from 'node:path';
import { applyMigrations } from './migrate';
import { seedReferenceData } from './seed';
import { startChild, type Child } from './stack/children';
import { ensureDatabase, startPostgres, type PostgresServer } from './stack/postgres';
import { startTemporalDevServer, type DevServer } from './stack/temporal';
import { waitForPort } from './stack/ports';
import { ensureJwtSecret, ensureSecretFile } from './stack/jwt-secret';
import { ensureAppRole } from './stack/app-role';

const ROOT = path.join(__dirname, '..');
const DATA = path.join(ROOT, '.data');
const COLOURS: Record<string, string> = { postgres: '34', temporal: '35', agency: '33', worker: '36', api: '32', start: '1' };

function logger(name: string): (line: string) => void {
  const tag = `\x1b[${COLOURS[name] ?? '0'}m${name.padEnd(8)}\x1b[0m`;
  return (line) => process.stdout.write(`${new Date().toTimeString().slice(0, 8)} ${tag} ${line}\n`);
}

const say = logger('start');
const stops: (() => Promise<void>)[] = [];
let stopping = false;

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  for (const stop of stops.reverse()) await stop().catch((err) => say(`stop failed: ${err.message}`));
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
  // a per-install JWT secret (.data/secrets/jwt-secret, 0600) unless one is configured; npm run token reads it
  if (!process.env.JWT_SECRET && !process.env.JWT_PUBLIC_KEY && !process.env.JWT_PUBLIC_KEY_FILE) env.JWT_SECRET = ensureJwtSecret();

  // PostgreSQL
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const pg: PostgresServer = await startPostgres({ dataDir: path.join(DATA, 'pg'), port: Number(process.env.PGPORT ?? 55432), log: logger('postgres') });
    stops.push(() => pg.stop());
    await ensureDatabase(pg.url('postgres'), 'jiuzhu');
    databaseUrl = pg.url('jiuzhu');
    say(`PostgreSQL on 127.0.0.1:${pg.port} (data in .data/pg)`);
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

  // Temporal
  if (!process.env.TEMPORAL_ADDRESS) {
    const temporal: DevServer = await startTemporalDevServer({
      port: Number(process.env.TEMPORAL_PORT ?? 7233),
      uiPort: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
      dbFile: path.join(DATA, 'temporal.db'),
      log: logger('temporal'),
    });
    stops.push(() => temporal.stop());
    env.TEMPORAL_ADDRESS = temporal.address;
    say(`Temporal dev server on ${temporal.address}, Web UI at ${temporal.uiUrl}`);
  }

  // The sandbox verification agency
  if (!process.env.VERIFICATION_AGENCY_URL) {
    const port = Number(process.env.SANDBOX_AGENCY_PORT ?? 4010);
    const agency = startChild('agency', 'scripts/sandbox-agency.ts', { SANDBOX_AGENCY_PORT: String(port), SANDBOX_AGENCY_STATE: path.join(DATA, 'agency-state.json') }, logger('agency'));
    stops.push(() => agency.stop());
    await waitForPort(port);
    env.VERIFICATION_AGENCY_URL = `http://127.0.0.1:${port}`;
  }

  const children: Child[] = [
    startChild('worker', 'worker.ts', env, logger('worker')),
    startChild('api', 'api/server.ts', env, logger('api')),
  ];
  // stopped in reverse: the API first (it finishes its requests within API_SHUTDOWN_GRACE_MS), then the worker
  const apiGraceMs = Number(process.env.API_SHUTDOWN_GRACE_MS ?? 25_000) + 5_000;
  for (const c of children) {
    stops.push(() => c.stop(c.name === 'api' ? apiGraceMs : undefined));
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
