// The baseline's worker (bench/intake.ts): its own process and task queue, on the stack's server, with
// the service's data converter (payload encryption, failure converter), so the comparison is fair.
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { dataConverterFromEnv } from '../../activities/crypto/data-converter';
import { loadWorkerSettings } from '../../activities/worker-settings';
import { bareActivities } from './activities';
import { BARE_TASK_QUEUE } from './messages';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const sizing = loadWorkerSettings();
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    taskQueue: BARE_TASK_QUEUE,
    dataConverter: dataConverterFromEnv(),
    workflowsPath: require.resolve('./workflow'),
    activities: bareActivities,
    // the service worker's sizing (worker.ts)
    maxConcurrentActivityTaskExecutions: sizing.activityConcurrency,
    maxConcurrentWorkflowTaskExecutions: sizing.workflowConcurrency,
  });
  console.log(`bench worker ready on ${BARE_TASK_QUEUE}`);
  await worker.run();
  await connection.close();
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
