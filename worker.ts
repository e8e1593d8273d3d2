// The worker: runs every workflow and activity on the task queue, and the verification agency's
// activities again on the agency's own queue with its own rate limit (workflows/kit/task-queues.ts).
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
import { createVerificationActivities } from './activities/verification';
import { HttpVerificationAgency } from './activities/verification/agency';
import { loadWorkerSettings } from './activities/worker-settings';
import { agencyTaskQueue } from './workflows/kit/task-queues';
import { actorKeysWebpackHook, parseVerifyKeys } from './activities/crypto/actor-keys';

async function main(): Promise<void> {
  // the agency's key (https unless on this machine) is required; the JWT key is not: the worker never
  // verifies a token, and a host that holds the secret could mint any role's token (issue 21 §5.1)
  // bundling here bakes the actor verify keys into the workflow code (issue 16 API1); a prebuilt bundle has them
  const bundle = process.env.WORKFLOW_BUNDLE;
  const settings = settingsOrExit(['agency', ...(bundle ? [] : ['actor-verify' as const])]);
  const sizing = loadWorkerSettings();
  const dataConverter = dataConverterFromEnv(); // refuses to start without a payload key (issue 11 §3)
  Runtime.install({ logger: new DefaultLogger((process.env.LOG_LEVEL as LogLevel | undefined) ?? 'INFO') });
  const prisma = createPrisma(settings.databaseUrl, sizing.poolMax);
  const agency = new HttpVerificationAgency({ baseUrl: settings.agency.url, apiKey: settings.agency.apiKey! });
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
    // every activity, the agency's too: cases started before the split call them on this queue
    activities: createActivities({ prisma, agency, calendar: createCalendarSource(prisma), temporal }),
    maxConcurrentActivityTaskExecutions: sizing.activityConcurrency,
    maxConcurrentWorkflowTaskExecutions: sizing.workflowConcurrency,
    shutdownGraceTime: sizing.shutdownGraceTime,
    ...(bundle
      ? { workflowBundle: { codePath: bundle } }
      : { workflowsPath: require.resolve('./workflows'), bundlerOptions: { webpackConfigHook: actorKeysWebpackHook(parseVerifyKeys(settings.actorKeys.verify!)) } }),
  });
  const agencyQueue = agencyTaskQueue(settings.temporal.taskQueue);
  const agencyWorker = await Worker.create({
    connection,
    namespace: settings.temporal.namespace,
    taskQueue: agencyQueue,
    dataConverter,
    activities: createVerificationActivities(agency),
    maxConcurrentActivityTaskExecutions: sizing.agencyConcurrency,
    // the server hands out at most this many agency tasks per second, whatever the number of workers
    maxTaskQueueActivitiesPerSecond: sizing.agencyRatePerSecond,
    shutdownGraceTime: sizing.shutdownGraceTime,
  });
  console.log(
    `worker polling task queue ${settings.temporal.taskQueue} on ${settings.temporal.address} (namespace ${settings.temporal.namespace}); ` +
      `agency queue ${agencyQueue} at ${sizing.agencyRatePerSecond}/s; ${sizing.activityConcurrency} activities at once, pool ${sizing.poolMax}`,
  );
  await ensureAuditAnchorSchedule(temporal, { taskQueue: settings.temporal.taskQueue, log: console.log });
  // R-REV-06: one recheck schedule per county, as its policy says today (idempotent: unchanged ones stay)
  await ensureRecheckSchedules(temporal, prisma, { taskQueue: settings.temporal.taskQueue, log: console.log });
  try {
    await runTogether([mainWorker, agencyWorker]);
  } finally {
    await prisma.$disconnect();
    await clientConnection.close();
    await connection.close();
  }
  console.log('worker stopped');
}

/** Runs both workers; when one stops or fails, the other is shut down too (one process, one lifetime). */
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
