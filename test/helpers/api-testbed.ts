// The HTTP app on a real test database and a time-skipping server, with a worker running the real
// activities (and the agency's, on its own queue): set up before a file's tests, torn down after them.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createApp } from '../../api/app';
import { createTestDatabase, type TestDatabase } from './db';
import { createTestWorker, createTimeSkippingEnv, realActivities, startTestAgency, type TestAgency, type TestWorkers } from './temporal';
import { listen, TEST_JWT_SECRET, type HttpClient } from './http';

export interface ApiTestbed {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  http: HttpClient;
}

export function apiTestbed(taskQueue: string): ApiTestbed {
  const tb = {} as ApiTestbed;
  let agency: TestAgency | undefined;
  let worker: TestWorkers | undefined;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    [tb.env, tb.db, agency] = await Promise.all([createTimeSkippingEnv(), createTestDatabase(), startTestAgency()]);
    worker = await createTestWorker(tb.env, realActivities(tb.db, agency), taskQueue);
    running = worker.run();
    tb.http = await listen(createApp({ prisma: tb.db.prisma, client: tb.env.client, taskQueue, jwt: { secret: TEST_JWT_SECRET }, commandTimeoutMs: 15_000 }));
  });
  afterAll(async () => {
    await tb.http?.close();
    worker?.shutdown();
    await running;
    await tb.env?.teardown();
    await agency?.close();
    await tb.db?.drop();
  });
  return tb;
}
