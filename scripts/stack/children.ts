// Child processes of `make start` (and of end-to-end tests): TypeScript entry points run by node with
// tsx's loader (`node --import tsx`: one process, not the tsx CLI, whose signal relay SIGKILLs a child
// that does not acknowledge SIGTERM within 30 ms, i.e. any busy worker), their output prefixed with their
// name, stopped with SIGTERM (then SIGKILL after a grace period). Each runs in its own process group.
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
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-proc.pid!, sig); // the whole group: anything the entry point started too
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
