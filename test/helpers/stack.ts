// The stack as deployed, for end-to-end tests: the Temporal CLI dev server, the sandbox agency, the API
// and the worker each in their own process (scripts/stack/children.ts), on a test database. The worker
// and the API can be killed and started again; their output is kept in `logs` for failure messages.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startChild, type Child } from '../../scripts/stack/children';
import { startTemporalDevServer, type DevServer } from '../../scripts/stack/temporal';
import { freePort, waitForPort } from '../../scripts/stack/ports';
import type { TestDatabase } from './db';
import { client as httpClient, TEST_JWT_SECRET } from './http';

export const AGENCY_KEY = 'e2e-key';
export const BANK_KEY = 'e2e-bank-key';

/**
 * The test database's training county 140599 with a publicity of `seconds`, so a case reaches the county's
 * decision within a test (R-POL: only a flagged training jurisdiction may shorten it below 7 days).
 */
export async function shortPublicity(db: TestDatabase, seconds: number): Promise<void> {
  await db.prisma.policyProfile.create({
    data: {
      jurisdiction: '140599',
      effectiveFrom: new Date('2026-01-02T00:00:00Z'),
      params: { trainingJurisdiction: true, publicityDays: seconds / 86_400 },
      createdBy: 'e2e',
      note: 'e2e: short publicity',
    },
  });
}

export interface StackOptions {
  db: TestDatabase;
  /** the sandbox agency's answer time (SANDBOX_AGENCY_LATENCY_MS) */
  agencyLatencyMs?: number;
  /** more settings of the API process (API_COMMAND_TIMEOUT_MS, rate limits…) */
  apiEnv?: Record<string, string>;
}

export interface Stack {
  temporal: DevServer;
  agencyUrl: string;
  /** the sandbox bank (R-PAY-01), its own process with its state file, as under make start */
  bankUrl: string;
  apiPort: number;
  api: Child;
  worker?: Child;
  http: ReturnType<typeof httpClient>;
  logs: string[];
  /** starts a worker process and resolves once it polls its task queue */
  startWorker(): Promise<Child>;
  /** starts the API process on the same port (with `env` over the stack's settings) and resolves once it accepts connections */
  startApi(env?: Record<string, string>): Promise<Child>;
  stop(): Promise<void>;
}

export async function startStack(o: StackOptions): Promise<Stack> {
  const logs: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-e2e-'));
  // The dev server takes random free ports of its own (its HTTP API, its metrics): ours are chosen once it
  // holds them, or the API's port could be the one its HTTP gateway then takes (and answers 404 on).
  const temporal = await startTemporalDevServer({ port: await freePort(), log: (l) => logs.push(`[temporal] ${l}`) });
  const [agencyPort, bankPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const agencyUrl = `http://127.0.0.1:${agencyPort}`;
  const agency = startChild(
    'agency',
    'scripts/sandbox-agency.ts',
    {
      SANDBOX_AGENCY_PORT: String(agencyPort),
      VERIFICATION_AGENCY_API_KEY: AGENCY_KEY,
      SANDBOX_AGENCY_LATENCY_MS: String(o.agencyLatencyMs ?? 3000),
      SANDBOX_AGENCY_STATE: path.join(dir, 'agency.json'),
    },
    (l) => logs.push(`[agency] ${l}`),
  );
  const bankUrl = `http://127.0.0.1:${bankPort}`;
  const bank = startChild(
    'bank',
    'scripts/sandbox-bank.ts',
    { SANDBOX_BANK_PORT: String(bankPort), BANK_API_KEY: BANK_KEY, SANDBOX_BANK_SETTLE_MS: '0', SANDBOX_BANK_STATE: path.join(dir, 'bank.json') },
    (l) => logs.push(`[bank] ${l}`),
  );
  // the test run's payload key (global setup): worker and API encrypt what they hand to Temporal (§3)
  const payloadKeys = { PAYLOAD_KEYS: process.env.PAYLOAD_KEYS, PAYLOAD_KEY_ID: process.env.PAYLOAD_KEY_ID };
  const common = { DATABASE_URL: o.db.url, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: 'jiuzhu-e2e', LOG_LEVEL: 'WARN', ...payloadKeys };
  const workerEnv = { ...common, VERIFICATION_AGENCY_URL: agencyUrl, VERIFICATION_AGENCY_API_KEY: AGENCY_KEY, BANK_URL: bankUrl, BANK_API_KEY: BANK_KEY, WORKFLOW_BUNDLE: process.env.JIUZHU_TEST_WORKFLOW_BUNDLE };
  const apiEnv = { ...common, PORT: String(apiPort), JWT_SECRET: TEST_JWT_SECRET, API_COMMAND_TIMEOUT_MS: '3000', ...o.apiEnv };

  const stack: Stack = {
    temporal,
    agencyUrl,
    bankUrl,
    apiPort,
    api: undefined as unknown as Child,
    http: httpClient(`http://127.0.0.1:${apiPort}`),
    logs,
    startWorker() {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker did not start:\n${logs.slice(-20).join('\n')}`)), 60_000);
        const child = startChild('worker', 'worker.ts', workerEnv, (line) => {
          logs.push(`[worker] ${line}`);
          if (line.includes('worker polling task queue')) {
            clearTimeout(timer);
            stack.worker = child;
            resolve(child);
          }
        });
      });
    },
    startApi(env = {}) {
      // ready when *this* process says it listens: a port that merely accepts could be someone else's
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`API did not start:\n${logs.slice(-20).join('\n')}`)), 60_000);
        const child = startChild('api', 'api/server.ts', { ...apiEnv, ...env }, (line) => {
          logs.push(`[api] ${line}`);
          if (line.includes('API listening on')) {
            clearTimeout(timer);
            resolve(child);
          } else if (line.includes('API cannot listen')) {
            clearTimeout(timer);
            reject(new Error(line));
          }
        });
        stack.api = child;
      });
    },
    async stop() {
      await Promise.all([stack.worker?.stop(), stack.api?.stop(), agency.stop(), bank.stop()]);
      await temporal.stop();
    },
  };
  await Promise.all([stack.startWorker(), waitForPort(agencyPort), waitForPort(bankPort), stack.startApi()]);
  return stack;
}
