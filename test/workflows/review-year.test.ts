// Issue 22: a year of the recheck cycle on the real bundle (workflows/index.ts: `reviewCycle` and the real
// `review`): one quarterly and one annual household of one county, the cycle fired on the 1st of each of 12
// months as its schedule fires it, every review it starts driven to a decision. The roster's cadence (R-REV-01,
// reviewCadenceMonths) decides which months review whom; the cycle (R-REV-06) only starts what is due.
import { WorkflowNotFoundError } from '@temporalio/client';
import { trackWorkflow, workflowTestbed } from '../helpers/temporal';
import { actors, VILLAGE } from '../helpers/people';
import { proposal, reviewInvestigation, rosterHousehold, send, vote, waitForReviewStep, type ReviewHandle } from '../helpers/review';
import * as rm from '../../workflows/review/messages';
import { addMonths } from '../../workflows/rules/dates';
import { nextReviewOn } from '../../workflows/rules/review-cadence';
import { resolvePolicy } from '../../activities/policy';
import { CYCLE_WORKFLOW_TYPE, type CycleProgress } from '../../workflows/review/cycle-messages';
import { reviewWorkflowId } from '../../workflows/review/start-input';
import type { ReviewClass } from '../../workflows/rules/types';
import type { review } from '../../workflows/review/review';
import type { reviewCycle } from '../../workflows/review/cycle';

const tb = workflowTestbed();
const COUNTY = VILLAGE.slice(0, 6);
// TemporalScheduledStartTime, which a Schedule stamps on its runs, is registered on every test server (test/helpers/search-attributes.ts)

/** A DIBAO household of the county on the roster as enrolment leaves it: next review one cadence after enrolment. */
async function enrolled(reviewClass: ReviewClass, enrolledOn: string): Promise<string> {
  const { householdId } = await rosterHousehold(tb.db.prisma, { reviewClass });
  const policy = (await resolvePolicy(tb.db.prisma, VILLAGE, enrolledOn)).params;
  await tb.db.prisma.household.update({
    where: { householdId },
    data: { enrolledOn: new Date(`${enrolledOn}T00:00:00Z`), paymentStartMonth: addMonths(enrolledOn, 1).slice(0, 7), nextReviewOn: new Date(`${nextReviewOn(enrolledOn, reviewClass, 'DIBAO', policy)}T00:00:00Z`) },
  });
  return householdId;
}

async function exists(workflowId: string): Promise<boolean> {
  try {
    await tb.env.client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/**
 * Results awaited without unlocking time skipping (the time-skipping client's result() unlocks it): the
 * test server then skipped ahead while the worker was still busy (seen: the clock 3650 days on within one
 * cycle, and a review waiting for its investigation TIMED_OUT). Time moves only by env.sleep here.
 */
const results = () => tb.unsignedClient();

const dueOn = async (householdId: string) => (await tb.db.prisma.household.findUniqueOrThrow({ where: { householdId } })).nextReviewOn.toISOString().slice(0, 10);

/** Drives a review the cycle started to a `continue` decision (nothing new found); returns the decision day. */
async function decideContinue(h: ReviewHandle): Promise<string> {
  const at = await waitForReviewStep(h, 'investigating');
  await send(h, rm.reviewInvestigationUpdate, [reviewInvestigation(at.openedOn)]);
  expect((await send(h, rm.outcomeUpdate, proposal('continue'))).step).toBe('county_decision');
  await send(h, rm.outcomeUpdate, vote(actors.approver1, 'continue'));
  await send(h, rm.outcomeUpdate, vote(actors.approver3, 'continue'));
  expect(await results().workflow.getHandle<typeof review>(h.workflowId).result()).toMatchObject({ status: 'decided', outcome: 'continue' });
  return (await h.query(rm.reviewStateQuery)).decisions.outcome!.decidedOn;
}

it('R-REV-01, R-REV-06: a year advanced, the quarterly household reviewed four times and the annual one once', async () => {
  const quarterly = await enrolled('quarterly', '2025-12-10'); // due 2026-03-10
  const annual = await enrolled('annual', '2025-06-10'); // due 2026-06-10
  const cadence = (await resolvePolicy(tb.db.prisma, COUNTY, '2026-03-01')).params.reviewCadenceMonths;
  expect(cadence).toMatchObject({ quarterly: 3, annual: 12 }); // the national policy's (R-POL)
  const monthsOf = { [quarterly]: cadence.quarterly, [annual]: cadence.annual };
  const reviewed = new Map<string, string[]>([
    [quarterly, []],
    [annual, []],
  ]);
  const ids: string[] = [];

  await tb.run(async (tq) => {
    for (let i = 0; i < 12; i++) {
      const period = addMonths('2026-03-01', i).slice(0, 7);
      // the schedule's firing for the period: 02:00 on the 1st in China (March's is behind the server's first instant)
      const firing = Date.parse(`${period}-01T02:00:00+08:00`);
      const now = await tb.env.currentTimeMs();
      if (firing > now) await tb.env.sleep(firing - now);
      const cycleId = `recheck-${COUNTY}-${new Date(firing).toISOString()}`;
      await tb.env.client.workflow.start(CYCLE_WORKFLOW_TYPE, {
        taskQueue: tq,
        workflowId: cycleId,
        args: [{ countyCode: COUNTY }],
        searchAttributes: { TemporalScheduledStartTime: [new Date(firing)] },
      });
      trackWorkflow(tq, cycleId);
      const progress: CycleProgress = await results().workflow.getHandle<typeof reviewCycle>(cycleId).result();
      expect(progress).toMatchObject({ period, done: true, alreadyStarted: 0 });
      let found = 0;
      for (const householdId of reviewed.keys()) {
        const id = reviewWorkflowId(householdId, period);
        if (!(await exists(id))) continue;
        found++;
        trackWorkflow(tq, id);
        ids.push(id);
        reviewed.get(householdId)!.push(period);
        const decidedOn = await decideContinue(tb.env.client.workflow.getHandle<typeof review>(id));
        expect(decidedOn.slice(0, 7)).toBe(period); // decided in its month, on the server's clock
        // R-REV-01: the next review one cadence after the decision, by the household's class
        expect(await dueOn(householdId)).toBe(addMonths(decidedOn, monthsOf[householdId]));
      }
      expect(progress.started).toBe(found); // the cycle started nothing else
    }
  });

  expect(await tb.env.currentTimeMs()).toBeLessThan(Date.parse('2027-03-01T00:00:00+08:00')); // a year, no more
  expect(reviewed.get(quarterly)).toEqual(['2026-03', '2026-06', '2026-09', '2026-12']);
  expect(reviewed.get(annual)).toEqual(['2026-06']);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toHaveLength(5);
  // the projection agrees: every review of the year decided, none left open
  const rows = await tb.db.prisma.review.findMany({ where: { householdId: { in: [quarterly, annual] } } });
  expect(rows.map((r) => r.workflowId).sort()).toEqual([...ids].sort());
  for (const r of rows) expect(r).toMatchObject({ status: 'decided', outcome: 'continue' });
}, 600_000);
