// Runs the sandbox verification agency (activities/verification/sandbox-agency.ts) for development.
//   SANDBOX_AGENCY_PORT (4010)  VERIFICATION_AGENCY_API_KEY (sandbox-key)
//   SANDBOX_AGENCY_LATENCY_MS (2000)  SANDBOX_AGENCY_STATE (.data/agency-state.json)
import path from 'node:path';
import { startSandboxAgency } from '../activities/verification/sandbox-agency';

const env = (name: string): string | undefined => (process.env[name] === '' ? undefined : process.env[name]);

function intEnv(name: string, fallback: number): number {
  const value = Number(env(name) ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${env(name)}`);
  return value;
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const stateFile = path.resolve(root, env('SANDBOX_AGENCY_STATE') ?? '.data/agency-state.json');
  const agency = await startSandboxAgency({
    port: intEnv('SANDBOX_AGENCY_PORT', 4010),
    host: '127.0.0.1',
    apiKey: env('VERIFICATION_AGENCY_API_KEY') ?? 'sandbox-key',
    latencyMs: intEnv('SANDBOX_AGENCY_LATENCY_MS', 2000),
    stateFile,
    fixturesFile: path.join(root, 'activities', 'verification', 'sandbox-fixtures.json'),
    // The request logger masks ID numbers in URLs; bodies are never logged.
    log: (line) => console.log(line),
  });
  console.log(`sandbox verification agency on ${agency.url} (state ${stateFile})`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: closing`);
    agency.close().then(
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
