// Issue 22 §1.3 (API1) for the kinds after the application: `review`, `reviewCycle` and `changeReports`
// check their start's signature first. A start sent straight to Temporal unsigned (a client with the
// namespace's credentials and the payload key, not the API's or the scheduler's signing key) fails at once
// with `UnsignedStart`, nothing done; the starters sign (the cycle's activity, the schedule's action, the
// change-reports API). Real Temporal (time-skipping server), real PostgreSQL, the real workflow bundle.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { recheckScheduleOptions } from '../../activities/review/schedules';
import { createApp } from '../../api/app';
import { UNSIGNED_START } from '../../workflows/kit/start-signature';
import { CYCLE_WORKFLOW_TYPE, type CycleProgress } from '../../workflows/review/cycle-messages';
import { reviewWorkflowId } from '../../workflows/review/start-input';
import { changeReportsWorkflowId } from '../../workflows/change-reports/messages';
import { recipient } from '../helpers/change-reports';
import { listen, TEST_JWT_SECRET, token } from '../helpers/http';
import { idNumberFor, VILLAGE } from '../helpers/people';
import { rosterHousehold } from '../helpers/review';
import { trackWorkflow, workflowTestbed } from '../helpers/temporal';

const tb = workflowTestbed();
async function exists(workflowId: string): Promise<boolean> {
  try {
    await tb.env.client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** The run failed with UnsignedStart and scheduled nothing: no activity, timer or child, nothing published, no row. */
async function expectRefused(handle: WorkflowHandle): Promise<void> {
  const failure = await handle.result().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  const cause = (failure as WorkflowFailedError).cause as ApplicationFailure;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect(cause.type).toBe(UNSIGNED_START);
  expect(cause.nonRetryable).toBe(true);
  expect(cause.message).toMatch(/not signed/);
  const { events } = await handle.fetchHistory();
  // (the SDK's own upsert of TemporalChangeVersion, which records the refusal's marker, publishes nothing)
  const published = (e: (typeof events & object)[number]) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).some((k) => k !== 'TemporalChangeVersion');
  const acted = (events ?? []).filter((e) => e.activityTaskScheduledEventAttributes || e.timerStartedEventAttributes || e.startChildWorkflowExecutionInitiatedEventAttributes || published(e));
  expect(acted).toEqual([]);
  expect(await tb.db.prisma.deadline.count({ where: { workflowId: handle.workflowId } })).toBe(0);
  expect(await tb.db.prisma.auditEvent.count({ where: { workflowId: handle.workflowId } })).toBe(0);
}

describe('issue 22 §1.3: a start of a review, a recheck cycle or a month of change reports sent straight to Temporal', () => {
  it('API1, R-REV-02: an unsigned start of a review fails with UnsignedStart, nothing done (no review row, no deadline rows)', async () => {
    await tb.run(async (tq) => {
      const { householdId } = await rosterHousehold(tb.db.prisma);
      const workflowId = reviewWorkflowId(householdId, '2026-03');
      const handle = await tb.unsignedClient().workflow.start('review', { workflowId, taskQueue: tq, args: [{ householdId, countyCode: '140599', period: '2026-03', reason: 'scheduled' }] });
      trackWorkflow(tq, workflowId);
      await expectRefused(handle);
      expect(await tb.db.prisma.review.count({ where: { householdId } })).toBe(0);
    });
  });

  it('API1, R-REV-06: an unsigned start of a recheck cycle fails with UnsignedStart and starts no review of a due household', async () => {
    await tb.run(async (tq) => {
      const { householdId } = await rosterHousehold(tb.db.prisma); // due 2026-03-01, county 140599
      const workflowId = `cycle-140599-2026-03-${randomUUID().slice(0, 8)}`;
      const handle = await tb.unsignedClient().workflow.start(CYCLE_WORKFLOW_TYPE, { workflowId, taskQueue: tq, args: [{ countyCode: '140599', period: '2026-03' }] });
      trackWorkflow(tq, workflowId);
      await expectRefused(handle);
      expect(await exists(reviewWorkflowId(householdId, '2026-03'))).toBe(false);
    });
  });

  it('API1, R-REV-06: the recheck schedule\'s action is signed for its workflow id: a run it starts (id + scheduled time) is accepted and starts the due review, signed; the same input under that id unscheduled is refused', async () => {
    await tb.run(async (tq) => {
      const county = '149951';
      await recipient(tb.db.prisma, `hh-${county}`, `${county}100201`, [idNumberFor('1958-02-03', county)]);
      await tb.db.prisma.household.update({ where: { householdId: `hh-${county}` }, data: { nextReviewOn: new Date('2026-03-01T00:00:00Z') } });
      const action = recheckScheduleOptions({ countyCode: county, taskQueue: tq, catchupDays: 7 }).action;
      if (action.type !== 'startWorkflow') throw new Error('the recheck schedule starts a workflow');
      const [input] = action.args as [{ auth?: { keyId: string } }];
      expect(input.auth?.keyId).toEqual(expect.any(String));
      const runId = `${action.workflowId}-2026-02-28T18:00:00Z`;
      // a Schedule's run, as Temporal stamps it (the time-skipping server implements no schedules: PLATFORM.md)
      const scheduled = await tb.unsignedClient().workflow.start(CYCLE_WORKFLOW_TYPE, {
        workflowId: runId,
        taskQueue: tq,
        args: [input],
        searchAttributes: { TemporalScheduledById: [`recheck-${county}`], TemporalScheduledStartTime: [new Date('2026-02-28T18:00:00Z')] },
      });
      trackWorkflow(tq, runId);
      trackWorkflow(tq, reviewWorkflowId(`hh-${county}`, '2026-03'));
      expect(await scheduled.result()).toMatchObject<Partial<CycleProgress>>({ countyCode: county, period: '2026-03', started: 1, done: true });
      expect(await exists(reviewWorkflowId(`hh-${county}`, '2026-03'))).toBe(true); // the cycle's start, signed: the review took it
      const review = tb.env.client.workflow.getHandle(reviewWorkflowId(`hh-${county}`, '2026-03'));
      expect((await review.describe()).status.name).toBe('RUNNING');
      // a captured action's input is signed for the action's id, not for a run of that name started by hand
      const forged = await tb.unsignedClient().workflow.start(CYCLE_WORKFLOW_TYPE, { workflowId: `${action.workflowId}-2026-03-31T18:00:00Z`, taskQueue: tq, args: [input] });
      trackWorkflow(tq, forged.workflowId);
      const failure = (await forged.result().catch((err: unknown) => err)) as WorkflowFailedError;
      expect((failure.cause as ApplicationFailure).type).toBe(UNSIGNED_START);
    });
  });

  it('API1, R-REV-03: an unsigned start of a month\'s change reports fails with UnsignedStart, nothing done (no deadline rows for the villages)', async () => {
    await tb.run(async (tq) => {
      // a registered township with a recipient: signed, this start would write each village's deadline
      await recipient(tb.db.prisma, 'hh-cr-unsigned', VILLAGE, [idNumberFor('1961-07-08', VILLAGE.slice(0, 6))]);
      const workflowId = changeReportsWorkflowId(VILLAGE.slice(0, 9), '2026-02');
      const handle = await tb.unsignedClient().workflow.start('changeReports', { workflowId, taskQueue: tq, args: [{ townshipCode: VILLAGE.slice(0, 9), month: '2026-02' }] });
      trackWorkflow(tq, workflowId);
      await expectRefused(handle);
    });
  });

  it('API1, R-REV-03: the API signs the month\'s start itself: over a Temporal client that signs nothing, a change report is accepted (200) and the month\'s deadlines are written', async () => {
    await tb.run(async (tq) => {
      const village = VILLAGE;
      await recipient(tb.db.prisma, 'hh-cr-api', village, [idNumberFor('1970-09-10', village.slice(0, 6))]);
      await tb.db.prisma.staffMember.create({ data: { staffId: 'sk-va1', name: '村协理员', role: 'village_assistant', jurisdiction: village } });
      const http = await listen(createApp({ prisma: tb.db.prisma, client: tb.unsignedClient(), taskQueue: tq, jwt: { secret: TEST_JWT_SECRET } }));
      try {
        const r = await http.request('POST', '/v1/households/hh-cr-api/change-reports', { token: token('sk-va1', 'village_assistant', village), body: { month: '2026-03', changes: [] } });
        const workflowId = changeReportsWorkflowId(village.slice(0, 9), '2026-03');
        trackWorkflow(tq, workflowId);
        expect(r.status).toBe(200);
        expect(await tb.db.prisma.deadline.count({ where: { workflowId } })).toBeGreaterThan(0);
      } finally {
        await http.close();
      }
    });
  });
});
