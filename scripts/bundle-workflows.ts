// Bundles the workflow code ahead of time (npm run build:workflows -- out.js): a worker started with
// WORKFLOW_BUNDLE=out.js skips bundling at start-up, and production runs exactly the code it was built with.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../activities/crypto/data-converter';
import { actorKeysWebpackHook, actorVerifyKeysFromEnv } from '../activities/crypto/actor-keys';

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  // failure messages sealed by the payload codec (issue 11 §3), as the worker's own converter does; the
  // actor verify keys (ACTOR_VERIFY_KEYS) baked in: a rotation means a new bundle (issue 16 API1)
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    webpackConfigHook: actorKeysWebpackHook(actorVerifyKeysFromEnv()),
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code);
  console.log(`wrote ${out} (${(code.length / 1024).toFixed(0)} KiB); start the worker with WORKFLOW_BUNDLE=${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
