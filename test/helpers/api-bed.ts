// An API test file's bed: the real app on its own test database, the time-skipping server with a worker
// running the real activities (and the agency's and the bank's, each on its own queue as in production),
// the sandbox agency and the sandbox bank.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createApp } from '../../api/app';
import { createTestDatabase, type TestDatabase } from './db';
import { listen, TEST_JWT_SECRET, type HttpClient } from './http';
import { createTestWorker, createTimeSkippingEnv, realActivities, startTestAgency, startTestBank, type TestAgency, type TestBank, type TestWorkers } from './temporal';

export interface ApiTestbed {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  http: HttpClient;
  /** the sandbox verification agency: what it will find about a person (set before the case is opened) */
  agency: TestAgency;
  /** the sandbox bank (R-PAY-01): faults and transfer counts */
  bank: TestBank;
  /** reads the case as `token` until it is at `step` */
  waitForStep(caseId: string, step: string, token: string): Promise<any>;
}

/** Set up before the file's tests and torn down after them. */
export function apiTestbed(name: string): ApiTestbed {
  const bed = {} as ApiTestbed;
  let worker: TestWorkers;
  let running: Promise<void>;
  beforeAll(async () => {
    [bed.env, bed.db, bed.agency, bed.bank] = await Promise.all([createTimeSkippingEnv(), createTestDatabase(), startTestAgency(), startTestBank()]);
    const taskQueue = `${name}-${process.pid}`;
    worker = await createTestWorker(bed.env, realActivities(bed.db, bed.agency, bed.bank), taskQueue);
    running = worker.run();
    bed.http = await listen(createApp({ prisma: bed.db.prisma, client: bed.env.client, taskQueue, jwt: { secret: TEST_JWT_SECRET }, commandTimeoutMs: 15_000 }));
  });
  afterAll(async () => {
    await bed.http?.close();
    worker?.shutdown();
    await running;
    await bed.env?.teardown();
    await bed.agency?.close();
    await bed.bank?.close();
    await bed.db?.drop();
  });
  bed.waitForStep = async (caseId, step, token) => {
    for (let i = 0; i < 200; i++) {
      const r = await bed.http.request('GET', `/v1/applications/${caseId}`, { token });
      if (r.body.step === step) return r.body;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`case ${caseId} never reached ${step}`);
  };
  return bed;
}
