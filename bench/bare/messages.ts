// The baseline's one Update (bench/bare/workflow.ts), shared with the bench's client.
import { defineUpdate } from '@temporalio/workflow';

export const bareReceiptUpdate = defineUpdate<{ id: string; revision: number }>('bareReceipt');

/** its own task queue: the service's worker never sees it */
export const BARE_TASK_QUEUE = 'jiuzhu-bench-bare';
