// §5 worker (issue 11): worker.ts as deployed, in its own process against the Temporal CLI dev server:
// the agency's and the bank's activities have their own task queues and rate limits, both workers stop on SIGTERM, and
// the database pool bounds its transactions.
import { Connection } from '@temporalio/client';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startTestAgency, type TestAgency } from '../helpers/temporal';
import { startChild, type Child } from '../../scripts/stack/children';
import { startTemporalDevServer, type DevServer } from '../../scripts/stack/temporal';
import { freePort } from '../../scripts/stack/ports';
import { TRANSACTION_OPTIONS } from '../../activities/db';
import { agencyTaskQueue } from '../../workflows/kit/task-queues';
import { externalTaskQueue } from '../../workflows/kit/external-systems';

jest.setTimeout(180_000);

const QUEUE = `jiuzhu-worker-test-${process.pid}`;
const TASK_QUEUE_TYPE_ACTIVITY = 2; // temporal.api.enums.v1.TaskQueueType
let db: TestDatabase;
let agency: TestAgency;
let temporal: DevServer;
let connection: Connection;
let worker: Child;
const logs: string[] = [];

beforeAll(async () => {
  [db, agency, temporal] = await Promise.all([createTestDatabase(), startTestAgency(), freePort().then((port) => startTemporalDevServer({ port, log: () => undefined }))]);
  connection = await Connection.connect({ address: temporal.address });
  worker = await startWorker(QUEUE, logs);
});

function startWorker(taskQueue: string, lines: string[]): Promise<Child> {
  return new Promise<Child>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${lines.join('\n')}`)), 90_000);
    const child = startChild(
      'worker',
      'worker.ts',
      {
        DATABASE_URL: db.url,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        VERIFICATION_AGENCY_URL: agency.url,
        VERIFICATION_AGENCY_API_KEY: 'test-key',
        WORKFLOW_BUNDLE: process.env.JIUZHU_TEST_WORKFLOW_BUNDLE,
        AGENCY_RATE_PER_SECOND: '3',
        BANK_RATE_PER_SECOND: '2',
        WORKER_SHUTDOWN_GRACE: '5s',
        LOG_LEVEL: 'WARN',
      },
      (line) => {
        lines.push(line);
        if (line.includes('worker polling task queue')) {
          clearTimeout(timer);
          resolve(child);
        }
      },
    );
    void child.exited.then((code) => reject(new Error(`worker exited with ${code}:\n${lines.join('\n')}`)));
  });
}

afterAll(async () => {
  await worker?.kill();
  await connection?.close();
  await temporal?.stop();
  await agency?.close();
  await db?.drop();
});

async function pollers(taskQueue: string) {
  for (let i = 0; ; i++) {
    const r = await connection.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType: TASK_QUEUE_TYPE_ACTIVITY });
    if (r.pollers?.length || i > 50) return r.pollers ?? [];
    await new Promise((res) => setTimeout(res, 200));
  }
}

it('§5 worker: the agency has its own task queue, polled at its own rate, beside the main queue', async () => {
  const agencyPollers = await pollers(agencyTaskQueue(QUEUE));
  expect(agencyPollers).toHaveLength(1);
  expect(agencyPollers[0].ratePerSecond).toBe(3); // AGENCY_RATE_PER_SECOND, enforced by the server for the whole queue
  const mainPollers = await pollers(QUEUE);
  expect(mainPollers).toHaveLength(1);
  expect(mainPollers[0].ratePerSecond ?? 0).not.toBe(3);
  expect(logs.join('\n')).toContain(`agency queue ${agencyTaskQueue(QUEUE)} at 3/s`);
});

it('§5 worker, R-PAY-01: the bank has its own task queue too, polled at its own rate (BANK_RATE_PER_SECOND)', async () => {
  const bankPollers = await pollers(externalTaskQueue(QUEUE, 'bank'));
  expect(bankPollers).toHaveLength(1);
  expect(bankPollers[0].ratePerSecond).toBe(2);
  expect(logs.join('\n')).toContain(`bank queue ${QUEUE}-bank at 2/s`);
});

it('§5 worker: every pooled connection bounds lock waits and idle transactions (a stuck transaction frees its slot)', async () => {
  const [row] = await db.prisma.$queryRaw<{ lock_timeout: string; idle: string }[]>`SELECT current_setting('lock_timeout') AS lock_timeout, current_setting('idle_in_transaction_session_timeout') AS idle`;
  expect(row).toEqual({ lock_timeout: `${TRANSACTION_OPTIONS.timeout / 1000}s`, idle: `${(TRANSACTION_OPTIONS.timeout + 5_000) / 1000}s` });
  expect(TRANSACTION_OPTIONS).toEqual({ maxWait: 5_000, timeout: 15_000 });
});

it('§5 worker: SIGTERM stops both workers (run() of each returns) and the process exits 0', async () => {
  // a worker of its own: the other tests' worker keeps polling, whatever order the tests run in
  const own: string[] = [];
  const stopping = await startWorker(`${QUEUE}-sigterm`, own);
  const started = Date.now();
  await stopping.stop(30_000);
  expect(await stopping.exited).toBe(0);
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(own.join('\n')).toContain('worker stopped');
});
