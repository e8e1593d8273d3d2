// The worker: runs every workflow and activity on the task queue. Dependencies are built here and
// nowhere else (STYLE: activities-dependency-injection). Stops cleanly on SIGINT/SIGTERM: in-flight
// activities finish, workflows stay durable in Temporal and resume on the next worker.
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { createActivities } from './activities';
import { createCalendarSource } from './activities/calendar';
import { isDevelopment, settingsOrExit } from './activities/config';
import { createPrisma } from './activities/db';
import { temporalConnectionOptions } from './activities/temporal-connection';
import { HttpVerificationAgency } from './activities/verification/agency';

async function main(): Promise<void> {
  // outside development: the agency's key (https unless on this machine) and the JWT key are required (issue 16)
  const settings = settingsOrExit(isDevelopment() ? ['agency'] : ['jwt', 'agency']);
  Runtime.install({ logger: new DefaultLogger((process.env.LOG_LEVEL as LogLevel | undefined) ?? 'INFO') });
  const prisma = createPrisma(settings.databaseUrl);
  const agency = new HttpVerificationAgency({ baseUrl: settings.agency.url, apiKey: settings.agency.apiKey! });
  const connection = await NativeConnection.connect(temporalConnectionOptions(settings.temporal));
  // A bundle built ahead (npm run build:workflows) saves the start-up bundling; otherwise bundle now.
  const bundle = process.env.WORKFLOW_BUNDLE;
  const worker = await Worker.create({
    connection,
    namespace: settings.temporal.namespace,
    taskQueue: settings.temporal.taskQueue,
    activities: createActivities({ prisma, agency, calendar: createCalendarSource(prisma) }),
    ...(bundle ? { workflowBundle: { codePath: bundle } } : { workflowsPath: require.resolve('./workflows') }),
  });
  console.log(`worker polling task queue ${settings.temporal.taskQueue} on ${settings.temporal.address} (namespace ${settings.temporal.namespace})`);
  await worker.run();
  await prisma.$disconnect();
  await connection.close();
  console.log('worker stopped');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
