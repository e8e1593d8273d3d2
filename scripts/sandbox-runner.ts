// What the scripts that run a sandbox of an external system share (issue 23 "fix the kit, don't copy"):
// reading its settings from the environment, and running it until SIGINT/SIGTERM closes it.
import path from 'node:path';
import type { RunningSandbox } from '../activities/http/sandbox-server';

/** The repository's root, where `.data/` (the sandboxes' state) lives. */
export const root = path.resolve(__dirname, '..');

/** An environment variable; set but empty counts as unset. */
export const env = (name: string): string | undefined => (process.env[name] === '' ? undefined : process.env[name]);

export function intEnv(name: string, fallback: number): number {
  const value = Number(env(name) ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${env(name)}`);
  return value;
}

/** Starts the sandbox, says where it listens, and closes it on the first SIGINT/SIGTERM. */
export function runSandbox(start: () => Promise<RunningSandbox>, describe: (url: string) => string): void {
  async function main(): Promise<void> {
    const sandbox = await start();
    console.log(describe(sandbox.url));

    let closing = false;
    const shutdown = (signal: string) => {
      if (closing) return;
      closing = true;
      console.log(`${signal}: closing`);
      sandbox.close().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(err);
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  }

  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
