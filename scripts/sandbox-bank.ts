// Runs the sandbox agent bank (activities/bank/sandbox-bank.ts) for development.
//   SANDBOX_BANK_PORT (4020)  BANK_API_KEY (sandbox-bank-key)
//   SANDBOX_BANK_SETTLE_MS (5000)  SANDBOX_BANK_STATE (.data/bank-state.json)
import path from 'node:path';
import { startSandboxBank } from '../activities/bank/sandbox-bank';
import { DEV_BANK_KEY } from '../activities/config';
import { SANDBOX_BANK_PORT } from './stack/ports';

const env = (name: string): string | undefined => (process.env[name] === '' ? undefined : process.env[name]);

function intEnv(name: string, fallback: number): number {
  const value = Number(env(name) ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${env(name)}`);
  return value;
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const stateFile = path.resolve(root, env('SANDBOX_BANK_STATE') ?? '.data/bank-state.json');
  const bank = await startSandboxBank({
    port: intEnv('SANDBOX_BANK_PORT', SANDBOX_BANK_PORT),
    host: '127.0.0.1',
    apiKey: env('BANK_API_KEY') ?? DEV_BANK_KEY,
    settleDelayMs: intEnv('SANDBOX_BANK_SETTLE_MS', 5000),
    stateFile,
    // URLs carry references only; bodies (account numbers) are never logged
    log: (line) => console.log(line),
  });
  console.log(`sandbox bank on ${bank.url} (state ${stateFile})`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: closing`);
    bank.close().then(
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
