// §5 data integrity (issue 11): member locks (open_application) never leave a person unable to apply.
// Real PostgreSQL and the time-skipping Temporal server; openCase is called as the worker calls it.
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createCaseActivities } from '../../activities/cases';
import { temporalWorkflowState } from '../../activities/application/case-locks';
import type { CaseRecord } from '../../workflows/kit/records';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { member, poorFamily, VILLAGE } from '../helpers/people';
import { createTimeSkippingEnv, pinWallClock, realActivities, startTestAgency, TEST_DAY, TEST_EPOCH, withWorker, type TestAgency } from '../helpers/temporal';
import { startApplication, waitForStep } from '../helpers/application';
import { listen, token, TEST_JWT_SECRET } from '../helpers/http';
import { applicationBody } from '../helpers/people';
import { createApp } from '../../api/app';
import { workflowIdFor } from '../../api/applications/service';

// The API takes "today" from this process's clock (an intake's date): pinned to TEST_EPOCH, as the
// workflow's server starts there, before any token below is signed.
pinWallClock();

jest.setTimeout(180_000);

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let agency: TestAgency;
let n = 0;

beforeAll(async () => {
  [env, db, agency] = await Promise.all([createTimeSkippingEnv(), createTestDatabase(), startTestAgency()]);
});
afterAll(async () => {
  await env?.teardown();
  await agency?.close();
  await db?.drop();
});

/**
 * A case as the application workflow hands it to openCase at intake: entered on the server's first day
 * (TEST_DAY), due 30 working days later by the official calendar (Tue 2026-04-14, over 清明 04-04…06).
 */
function record(members: { idNumber: string; name: string }[], workflowId = `lock-test-${process.pid}-${++n}`): CaseRecord {
  const caseId = `L${process.pid}x${n}x${Date.now().toString(36)}`;
  return {
    workflowId,
    caseId,
    revision: 1,
    programme: 'DIBAO',
    villageCode: VILLAGE,
    status: 'open',
    step: 'investigating',
    receivedOn: TEST_DAY,
    acceptedOn: TEST_DAY,
    decisionDueOn: '2026-04-14',
    overdue: false,
    createdBy: 'zhangmin',
    members,
    view: {},
    audit: [{ key: `${workflowId}#1`, at: TEST_EPOCH, actor: 'zhangmin', action: 'application.received' }],
    deadlines: [{ name: 'decision', step: 'investigating', startedOn: TEST_DAY, dueOn: '2026-04-14', dueAt: Date.parse('2026-04-14T16:00:00Z'), beyondCalendar: false, extended: false }],
    releaseLocks: false,
  };
}

const people = (k = 2) => Array.from({ length: k }, (_, i) => member(`测试${i}`, '1970-01-0' + (i + 1))).map(({ idNumber, name }) => ({ idNumber, name }));
const cases = () => createCaseActivities(db.prisma, temporalWorkflowState(() => env.client));
const locksOf = async (caseId: string) => (await db.prisma.openApplication.findMany({ where: { caseId }, orderBy: { idNumber: 'asc' } })).map((l) => l.idNumber);

/** A workflow that exists and runs: nobody polls its task queue. */
async function runningWorkflow(workflowId: string): Promise<void> {
  await env.client.workflow.start('application', { taskQueue: `nobody-${workflowId}`, workflowId, args: [{}] });
}

describe('§5 data integrity: openCase', () => {
  it('§5 data integrity: two concurrent openCase attempts for one case end with one case and its locks', async () => {
    const activities = cases();
    for (let i = 0; i < 5; i++) {
      const r = record(people(3));
      // a retried activity whose first attempt is still committing: both run at once
      const outcomes = await Promise.allSettled([activities.openCase(r), activities.openCase(r), activities.openCase(r)]);
      expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok']);
      expect(await db.prisma.case.count({ where: { caseId: r.caseId } })).toBe(1);
      expect(await locksOf(r.caseId)).toEqual(r.members.map((m) => m.idNumber).sort());
      expect(await db.prisma.auditEvent.count({ where: { caseId: r.caseId } })).toBe(1);
    }
  });

  it('§5 data integrity: a lock held by a case whose workflow is running still refuses the second application', async () => {
    const shared = people(1)[0];
    const first = record([shared, ...people(1)]);
    await runningWorkflow(first.workflowId);
    await cases().openCase(first);
    const second = record([shared]);
    await expect(cases().openCase(second)).rejects.toThrow(`already has an open application, case ${first.caseId}`);
    expect(await db.prisma.case.count({ where: { caseId: second.caseId } })).toBe(0);
    expect((await db.prisma.case.findUniqueOrThrow({ where: { caseId: first.caseId } })).status).toBe('open');
    expect(await locksOf(first.caseId)).toHaveLength(2);
  });

  it('§5 data integrity: without a way to ask Temporal, a lock stands (refused as before, nothing released)', async () => {
    const shared = people(1)[0];
    const first = record([shared]);
    await runningWorkflow(first.workflowId);
    await cases().openCase(first);
    await env.client.workflow.getHandle(first.workflowId).terminate('test: closed without releasing');
    const blind = createCaseActivities(db.prisma); // no Temporal client
    await expect(blind.openCase(record([shared]))).rejects.toThrow(`case ${first.caseId}`);
    expect(await locksOf(first.caseId)).toEqual([shared.idNumber]);
  });

  it('§5 data integrity: a terminated case releases its members, and the new application opens', async () => {
    const shared = people(1)[0];
    const first = record([shared, ...people(1)]);
    await runningWorkflow(first.workflowId);
    await cases().openCase(first);
    await env.client.workflow.getHandle(first.workflowId).terminate('test: terminated by an operator');

    const second = record([shared]);
    await cases().openCase(second);
    expect(await locksOf(second.caseId)).toEqual([shared.idNumber]);
    expect(await locksOf(first.caseId)).toEqual([]); // all of the dead case's members, not only the one applying
    const old = await db.prisma.case.findUniqueOrThrow({ where: { caseId: first.caseId } });
    expect(old.status).toBe('terminated');
    const audit = await db.prisma.auditEvent.findMany({ where: { caseId: first.caseId, action: 'case.locks-released' } });
    expect(audit).toHaveLength(1);
    expect(audit[0].data).toEqual({ workflow: 'ended', members: 2, terminated: true });
    expect(await db.prisma.deadline.count({ where: { workflowId: first.workflowId, closedAt: null } })).toBe(0);
  });

  it('§5 data integrity: a case whose workflow Temporal no longer knows (past retention) releases its members', async () => {
    const shared = people(1)[0];
    const first = record([shared], `never-started-${process.pid}-${++n}`);
    await cases().openCase(first); // the lock exists, the workflow does not
    const second = record([shared]);
    await cases().openCase(second);
    expect(await locksOf(second.caseId)).toEqual([shared.idNumber]);
    expect((await db.prisma.case.findUniqueOrThrow({ where: { caseId: first.caseId } })).status).toBe('terminated');
  });
});

describe('§5 data integrity: the application workflow', () => {
  it('§5 data integrity: after a case\'s workflow is terminated, a new application for the same person succeeds', async () => {
    // the test bed as the lead's workflow tests build it: no client in the dependencies, so openCase asks
    // through the worker's own client (activities/application/case-locks.ts activityClient)
    const activities = realActivities(db, agency);
    await withWorker(env, activities, async (tq) => {
      const input = poorFamily();
      const { handle } = await startApplication(env.client, input, tq);
      await waitForStep(handle, 'investigating');
      await handle.terminate('test: an operator terminated the case');
      await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);

      const again = poorFamily({ household: input.household, account: input.account });
      const { handle: second, receipt } = await startApplication(env.client, again, tq);
      expect(receipt.caseId).toBe(again.caseId);
      await waitForStep(second, 'investigating');
      const head = input.household.members[0].idNumber;
      expect((await db.prisma.openApplication.findUniqueOrThrow({ where: { idNumber: head } })).caseId).toBe(again.caseId);
      expect((await db.prisma.case.findUniqueOrThrow({ where: { caseId: input.caseId } })).status).toBe('terminated');
    });
  });
});

describe('§5 data integrity: over HTTP', () => {
  it('§5 data integrity: POST /v1/applications for a member of a terminated case answers 201, not 409', async () => {
    await withWorker(env, realActivities(db, agency), async (tq) => {
      const http = await listen(createApp({ prisma: db.prisma, client: env.client, taskQueue: tq, jwt: { secret: TEST_JWT_SECRET }, commandTimeoutMs: 15_000 }));
      try {
        const caseworker = token('zhangmin', 'township_caseworker', '140599100', '张敏');
        const body = applicationBody();
        const first = await http.request('POST', '/v1/applications', { token: caseworker, body, headers: { 'Idempotency-Key': `locks-${n}-1` } });
        expect(first.status).toBe(201);
        const blocked = await http.request('POST', '/v1/applications', { token: caseworker, body, headers: { 'Idempotency-Key': `locks-${n}-2` } });
        expect(blocked.status).toBe(409); // the lock is real while the case runs

        await env.client.workflow.getHandle(workflowIdFor(first.body.caseId)).terminate('test: an operator terminated the case');
        const again = await http.request('POST', '/v1/applications', { token: caseworker, body, headers: { 'Idempotency-Key': `locks-${n}-3` } });
        expect(again.status).toBe(201);
        expect(again.body.caseId).not.toBe(first.body.caseId);
        const old = await http.request('GET', `/v1/applications/${first.body.caseId}`, { token: caseworker });
        expect(old.body.history.map((e: { action: string }) => e.action)).toContain('case.locks-released');
        await env.client.workflow.getHandle(workflowIdFor(again.body.caseId)).terminate('test finished');
      } finally {
        await http.close();
      }
    });
  });
});
