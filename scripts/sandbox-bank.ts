// Runs the sandbox agent bank (activities/bank/sandbox-bank.ts) for development.
//   SANDBOX_BANK_PORT (4020)  BANK_API_KEY (sandbox-bank-key)
//   SANDBOX_BANK_SETTLE_MS (5000)  SANDBOX_BANK_STATE (.data/bank-state.json)
import path from 'node:path';
import { startSandboxBank } from '../activities/bank/sandbox-bank';
import { DEV_BANK_KEY } from '../activities/config';
import { SANDBOX_BANK_PORT } from './stack/ports';
import { env, intEnv, root, runSandbox } from './sandbox-runner';

const stateFile = path.resolve(root, env('SANDBOX_BANK_STATE') ?? '.data/bank-state.json');
runSandbox(
  () =>
    startSandboxBank({
      port: intEnv('SANDBOX_BANK_PORT', SANDBOX_BANK_PORT),
      host: '127.0.0.1',
      apiKey: env('BANK_API_KEY') ?? DEV_BANK_KEY,
      settleDelayMs: intEnv('SANDBOX_BANK_SETTLE_MS', 5000),
      stateFile,
      // URLs carry references only; bodies (account numbers) are never logged
      log: (line) => console.log(line),
    }),
  (url) => `sandbox bank on ${url} (state ${stateFile})`,
);
