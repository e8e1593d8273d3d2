// Task queues. Workflows and the database activities share the main queue (TEMPORAL_TASK_QUEUE, or a
// test's own queue); each external system with a rate limit of its own gets a queue derived from it, so
// one worker process can serve both and tests stay isolated per queue.

/** The verification agency's queue: its worker caps requests per second (AGENCY_RATE_PER_SECOND). */
export function agencyTaskQueue(mainTaskQueue: string): string {
  return `${mainTaskQueue}-agency`;
}
