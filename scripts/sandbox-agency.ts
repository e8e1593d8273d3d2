// Runs the sandbox verification agency (activities/verification/sandbox-agency.ts) for development.
//   SANDBOX_AGENCY_PORT (4010)  VERIFICATION_AGENCY_API_KEY (sandbox-key)
//   SANDBOX_AGENCY_LATENCY_MS (2000)  SANDBOX_AGENCY_STATE (.data/agency-state.json)
import path from 'node:path';
import { startSandboxAgency } from '../activities/verification/sandbox-agency';
import { env, intEnv, root, runSandbox } from './sandbox-runner';

const stateFile = path.resolve(root, env('SANDBOX_AGENCY_STATE') ?? '.data/agency-state.json');
runSandbox(
  () =>
    startSandboxAgency({
      port: intEnv('SANDBOX_AGENCY_PORT', 4010),
      host: '127.0.0.1',
      apiKey: env('VERIFICATION_AGENCY_API_KEY') ?? 'sandbox-key',
      latencyMs: intEnv('SANDBOX_AGENCY_LATENCY_MS', 2000),
      stateFile,
      fixturesFile: path.join(root, 'activities', 'verification', 'sandbox-fixtures.json'),
      // The request logger masks ID numbers in URLs; bodies are never logged.
      log: (line) => console.log(line),
    }),
  (url) => `sandbox verification agency on ${url} (state ${stateFile})`,
);
