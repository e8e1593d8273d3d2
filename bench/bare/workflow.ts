// The baseline of bench/intake.ts: the least an intake could cost on this server. An update-with-start
// whose Update answers once three no-op activities have run one after another, then the run ends.
// Bundled only by bench/bare/worker.ts, on its own task queue (never in workflows/index.ts).
import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BareActivities } from './activities';
import { bareReceiptUpdate } from './messages';

export interface BareInput {
  id: string;
  /** the intake's request body: the same payload size through the same codec */
  body: unknown;
}

const { noop } = proxyActivities<BareActivities>({ startToCloseTimeout: '30 seconds' });

export async function bareIntake(input: BareInput): Promise<void> {
  let done = false;
  setHandler(bareReceiptUpdate, async () => {
    await condition(() => done);
    return { id: input.id, revision: 3 };
  });
  for (let i = 1; i <= 3; i++) await noop(i);
  done = true;
  await condition(allHandlersFinished);
}
