// Bundles the workflow code ahead of time (npm run build:workflows -- out.js): a worker started with
// WORKFLOW_BUNDLE=out.js skips bundling at start-up, and production runs exactly the code it was built with.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code);
  console.log(`wrote ${out} (${(code.length / 1024).toFixed(0)} KiB); start the worker with WORKFLOW_BUNDLE=${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
