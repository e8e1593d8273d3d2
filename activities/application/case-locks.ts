// Member locks (open_application rows: one open application per person) whose case can no longer close
// (issue 11 §5 data integrity). A case's workflow releases its members' locks when it closes
// (recordCase with releaseLocks). A workflow that was terminated, cancelled, failed or timed out never
// gets there, and its members could never apply again. So when an intake finds a lock, it asks Temporal
// about the holding case's workflow: closed ⇒ the locks go, and a case still `open` in the projection
// becomes `terminated`, with an audit entry (R-SUP-05) and its open deadlines closed.
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Prisma as PrismaNs } from '@prisma/client';
import { appendAudit } from '../audit-log';
import { TRANSACTION_OPTIONS, type Prisma } from '../db';

type Tx = PrismaNs.TransactionClient;

/** running: keeps its locks; completed / ended (closed otherwise) / gone (no longer known to Temporal): releases them */
export type WorkflowState = 'running' | 'completed' | 'ended' | 'gone';

/** What Temporal says about a workflow; undefined when it cannot be asked (then the lock stands). */
export type WorkflowStateSource = (workflowId: string) => Promise<WorkflowState | undefined>;

/** Asks Temporal through a client (the worker's, or a test's); no client: cannot tell. */
export function temporalWorkflowState(client: () => Client | undefined): WorkflowStateSource {
  return async (workflowId) => {
    const c = client();
    if (!c) return undefined;
    try {
      const { status } = await c.workflow.getHandle(workflowId).describe(); // the latest run
      if (status.name === 'RUNNING' || status.name === 'CONTINUED_AS_NEW' || status.name === 'PAUSED') return 'running';
      if (status.name === 'COMPLETED') return 'completed';
      if (status.name === 'TERMINATED' || status.name === 'CANCELLED' || status.name === 'FAILED' || status.name === 'TIMED_OUT') return 'ended';
      return undefined;
    } catch (err) {
      // a closed workflow past the namespace's retention: it closed without releasing, long ago
      if (err instanceof WorkflowNotFoundError) return 'gone';
      throw err; // Temporal unreachable: the activity's retry asks again
    }
  };
}

const CASE_LOCK_CLASS = 4_242_003;

/** The client of the worker running the current activity, if any (Temporal marks it experimental). */
export function activityClient(): Client | undefined {
  try {
    return Context.current().client;
  } catch {
    return undefined; // not inside an activity
  }
}

/** Serialises everything done to one case's locks (two attempts of one openCase; a release). */
export async function lockCase(tx: Tx, caseId: string): Promise<void> {
  // two-key advisory locks never collide with the audit log's one-key lock (PostgreSQL keeps the spaces apart)
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${CASE_LOCK_CLASS}::int, hashtext(${caseId}))`;
}

/**
 * Releases the locks of each holding case whose workflow has closed. Returns the holders that still
 * stand (running, or Temporal could not be asked).
 */
export async function releaseClosedHolders(prisma: Prisma, holders: string[], state: WorkflowStateSource): Promise<string[]> {
  const standing: string[] = [];
  for (const caseId of new Set(holders)) {
    const holder = await prisma.case.findUnique({ where: { caseId }, select: { workflowId: true, villageCode: true } });
    const found = holder ? await state(holder.workflowId) : 'gone'; // a lock without its case: nothing will ever release it
    if (found === undefined || found === 'running') {
      standing.push(caseId);
      continue;
    }
    await prisma.$transaction(async (tx) => {
      await lockCase(tx, caseId);
      const released = await tx.openApplication.deleteMany({ where: { caseId } });
      if (released.count === 0 || !holder) return; // released meanwhile (or an orphan lock: nothing to record)
      const terminated = found !== 'completed' && (await tx.case.updateMany({ where: { caseId, status: 'open' }, data: { status: 'terminated' } })).count === 1;
      if (terminated) await tx.deadline.updateMany({ where: { workflowId: holder.workflowId, closedAt: null }, data: { closedAt: new Date() } });
      await appendAudit(
        tx,
        [
          {
            key: `${holder.workflowId}#locks-released`,
            at: Date.now(),
            actor: 'system',
            action: 'case.locks-released',
            reason: `the case's workflow is ${found === 'gone' ? 'no longer known to Temporal' : found === 'ended' ? 'closed without a decision' : 'closed'}`,
            data: { workflow: found, members: released.count, terminated },
          },
        ],
        { workflowId: holder.workflowId, caseId, jurisdiction: holder.villageCode },
      );
    }, TRANSACTION_OPTIONS);
  }
  return standing;
}
