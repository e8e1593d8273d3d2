// Task queues. Workflows and the database activities share the main queue (TEMPORAL_TASK_QUEUE, or a
// test's own queue); each external system with a rate limit of its own gets a queue derived from it
// (kit/external-systems.ts), so one worker process can serve them all and tests stay isolated per queue.
import { externalTaskQueue } from './external-systems';

/** The verification agency's queue: its worker caps requests per second (AGENCY_RATE_PER_SECOND). */
export function agencyTaskQueue(mainTaskQueue: string): string {
  return externalTaskQueue(mainTaskQueue, 'agency');
}
