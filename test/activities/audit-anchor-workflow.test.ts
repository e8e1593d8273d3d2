// R-SUP-05 (issue 11 §4): the anchor workflow on the time-skipping server (which has no schedules,
// PLATFORM.md: the schedule itself is tested against the dev server), with the real activity and
// a real PostgreSQL.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { createAuditActivities } from '../../activities/audit/anchor';
import type { auditAnchor } from '../../workflows/audit-anchor/audit-anchor';
import { verifyChain } from '../../activities/audit/verify-chain';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createTimeSkippingEnv } from '../helpers/temporal';
import { append, keysOf, newSigner, tempAnchorFile } from './audit-fixtures';

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let queue = 0;

// an anchor takes every moved head of the database: each test on its own database, in any order
beforeAll(async () => {
  env = await createTimeSkippingEnv();
});
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await db?.drop();
});
afterAll(async () => {
  await env?.teardown();
});

async function runAnchor(activities: ReturnType<typeof createAuditActivities>) {
  const taskQueue = `audit-anchor-${process.pid}-${++queue}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: { codePath: process.env.JIUZHU_TEST_WORKFLOW_BUNDLE! }, activities });
  return worker.runUntil(env.client.workflow.execute<typeof auditAnchor>('auditAnchor', { taskQueue, workflowId: `audit-anchor-${taskQueue}`, args: [] }));
}

it('R-SUP-05 §4 audit: the anchor workflow signs the moved heads in batches until none is left, and the anchors verify', async () => {
  const signer = newSigner();
  for (const c of ['a', 'b', 'c']) await append(db.prisma, { workflowId: `application-wf-${c}`, caseId: c, jurisdiction: '140521100201' }, 2);
  const anchors = await runAnchor(createAuditActivities(db.prisma, { signer, file: tempAnchorFile(), maxHeads: 2 }));
  expect(anchors.map((a) => [a.heads, a.more])).toEqual([
    [2, true],
    [1, false],
  ]);
  expect(await db.prisma.auditAnchor.count()).toBe(2);
  for (const c of ['a', 'b', 'c']) expect(await verifyChain(db.prisma, `application-wf-${c}`, { keys: keysOf(signer) })).toEqual({ ok: true, events: 2 });
  // nothing moved since: the next run anchors nothing
  expect(await runAnchor(createAuditActivities(db.prisma, { signer, file: tempAnchorFile() }))).toEqual([]);
});

it('R-SUP-05 §4 audit: without a signing key the anchor workflow fails at once, without retrying', async () => {
  await append(db.prisma, { workflowId: 'application-wf-nokey', caseId: 'nokey', jurisdiction: '140521100201' }, 1);
  const saved = [process.env.AUDIT_SIGNING_KEY, process.env.AUDIT_SIGNING_KEY_FILE];
  delete process.env.AUDIT_SIGNING_KEY;
  delete process.env.AUDIT_SIGNING_KEY_FILE;
  try {
    const err = await runAnchor(createAuditActivities(db.prisma, { file: tempAnchorFile() })).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause?.cause).toMatchObject({ type: 'AuditSigningKeyMissing' });
  } finally {
    [process.env.AUDIT_SIGNING_KEY, process.env.AUDIT_SIGNING_KEY_FILE] = saved;
  }
});
