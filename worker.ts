// The worker: runs every workflow and activity on the task queue, and each external system's activities
// again on that system's own queue with its own rate limit, one worker per entry of the list
// (activities/external-systems.ts, workflows/kit/external-systems.ts: issue 22 §1.7).
// Dependencies are built here and nowhere else (STYLE: activities-dependency-injection). Stops cleanly
// on SIGINT/SIGTERM (the Runtime's shutdown signals): both workers stop polling, in-flight activities get
// WORKER_SHUTDOWN_GRACE to finish, workflows stay durable in Temporal and resume on the next worker.
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { createActivities } from './activities';
import { ensureAuditAnchorSchedule } from './activities/audit/schedule';
import { ensureRecheckSchedules } from './activities/review/schedules';
import { createCalendarSource } from './activities/calendar';
import { dataConverterFromEnv } from './activities/crypto/data-converter';
import { settingsOrExit } from './activities/config';
import { createPrisma } from './activities/db';
import { temporalConnectionOptions } from './activities/temporal-connection';
import { EXTERNAL_SYSTEM_BINDINGS, externalActivities, externalClients, externalSystemNames } from './activities/external-systems';
import { loadWorkerSettings } from './activities/worker-settings';
import { externalTaskQueue } from './workflows/kit/external-systems';
import { actorKeysWebpackHook, parseVerifyKeys } from './activities/crypto/actor-keys';
import { systemSignerFromEnv } from './activities/crypto/start-signing';
import { sweepOrphanClaims } from './activities/death-stop/orphan-claims';

async function main(): Promise<void> {
  // the agency's and the bank's keys (https unless on this machine) are required; the JWT key is not: the worker never
  // verifies a token, and a host that holds the secret could mint any role's token (issue 21 §5.1)
  // bundling here bakes the actor verify keys into the workflow code (issue 16 API1); a prebuilt bundle has them
  const bundle = process.env.WORKFLOW_BUNDLE;
  const settings = settingsOrExit(['agency', 'bank', ...(bundle ? [] : ['actor-verify' as const])]);
  const sizing = loadWorkerSettings();
  const dataConverter = dataConverterFromEnv(); // refuses to start without a payload key (issue 11 §3)
  Runtime.install({ logger: new DefaultLogger((process.env.LOG_LEVEL as LogLevel | undefined) ?? 'INFO') });
  const prisma = createPrisma(settings.databaseUrl, sizing.poolMax);
  const clients = externalClients(settings);
  const connectionOptions = temporalConnectionOptions(settings.temporal);
  const connection = await NativeConnection.connect(connectionOptions);
  // activities that look at other workflows (a case's member locks: activities/cases.ts) use a client
  const clientConnection = await Connection.connect(connectionOptions);
  const temporal = new Client({ connection: clientConnection, namespace: settings.temporal.namespace, dataConverter });
  // A bundle built ahead (npm run build:workflows) saves the start-up bundling; otherwise bundle now.
  const mainWorker = await Worker.create({
    connection,
    namespace: settings.temporal.namespace,
    taskQueue: settings.temporal.taskQueue,
    dataConverter,
    // every activity, the external systems' too: cases started before the split call them on this queue
    activities: createActivities({ prisma, ...clients, calendar: createCalendarSource(prisma), temporal }),
    maxConcurrentActivityTaskExecutions: sizing.activityConcurrency,
    maxConcurrentWorkflowTaskExecutions: sizing.workflowConcurrency,
    shutdownGraceTime: sizing.shutdownGraceTime,
    ...(bundle
      ? { workflowBundle: { codePath: bundle } }
      : { workflowsPath: require.resolve('./workflows'), bundlerOptions: { webpackConfigHook: actorKeysWebpackHook(parseVerifyKeys(settings.actorKeys.verify!)) } }),
  });
  const externalWorkers = await Promise.all(
    externalSystemNames().map(async (name) => {
      const b = EXTERNAL_SYSTEM_BINDINGS[name];
      const taskQueue = externalTaskQueue(settings.temporal.taskQueue, name);
      const worker = await Worker.create({
        connection,
        namespace: settings.temporal.namespace,
        taskQueue,
        dataConverter,
        activities: externalActivities(name, clients),
        maxConcurrentActivityTaskExecutions: b.concurrency(sizing),
        // the server hands out at most this many of its tasks per second, whatever the number of workers
        maxTaskQueueActivitiesPerSecond: b.ratePerSecond(sizing),
        shutdownGraceTime: sizing.shutdownGraceTime,
      });
      return { worker, line: `${name} queue ${taskQueue} at ${b.ratePerSecond(sizing)}/s` };
    }),
  );
  console.log(
    `worker polling task queue ${settings.temporal.taskQueue} on ${settings.temporal.address} (namespace ${settings.temporal.namespace}); ` +
      `${externalWorkers.map((w) => w.line).join('; ')}; ${sizing.activityConcurrency} activities at once, pool ${sizing.poolMax}`,
  );
  await ensureAuditAnchorSchedule(temporal, { taskQueue: settings.temporal.taskQueue, log: console.log });
  // R-REV-06: one recheck schedule per county, as its policy says today (idempotent: unchanged ones stay)
  await ensureRecheckSchedules(temporal, prisma, { taskQueue: settings.temporal.taskQueue, log: console.log });
  // R-DTH-01: death stop claims whose send never reached Temporal are sent again (now, then every 10 minutes)
  // (a worker without the system's signing key cannot send them: it says so and runs without the sweep)
  let stopSweep = () => undefined as void;
  try {
    stopSweep = sweepOrphanClaims({ prisma, client: temporal, taskQueue: settings.temporal.taskQueue, signer: systemSignerFromEnv() }, console.log);
  } catch (err) {
    console.log(`death stops: no orphan claim sweep (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    await runTogether([mainWorker, ...externalWorkers.map((w) => w.worker)]);
  } finally {
    stopSweep();
    await prisma.$disconnect();
    await clientConnection.close();
    await connection.close();
  }
  console.log('worker stopped');
}

/** Runs the workers; when one stops or fails, the others are shut down too (one process, one lifetime). */
async function runTogether(workers: Worker[]): Promise<void> {
  const stopOthers = () => workers.forEach((w) => w.getState() === 'RUNNING' && w.shutdown());
  const results = await Promise.allSettled(workers.map((w) => w.run().finally(stopOthers)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
