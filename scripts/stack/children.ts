// Child processes of `make start` (and of end-to-end tests): TypeScript entry points run with tsx,
// their output prefixed with their name, stopped with SIGTERM (then SIGKILL after a grace period).
// Each runs in its own process group: tsx starts node as a child of its own, and a signal must reach both.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

export interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number | null>;
  stop(graceMs?: number): Promise<void>;
  kill(): Promise<void>;
}

export function startChild(name: string, entry: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Child {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const proc = spawn(tsx, [path.join(ROOT, entry)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-proc.pid!, sig); // the whole group: tsx and the node process it runs
    } catch {
      // already gone
    }
  };
  const relay = (b: Buffer) => b.toString().split('\n').forEach((l) => l.trim() && log(l));
  proc.stdout!.on('data', relay);
  proc.stderr!.on('data', relay);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return {
    name,
    process: proc,
    exited,
    async stop(graceMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      signal('SIGKILL');
      await exited;
    },
  };
}
