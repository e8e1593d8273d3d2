// The case kit's command runtime (issue 11 §1), proved on the application: a command that arrives while
// the case moves between steps waits for it instead of getting a spurious 409; concurrent commands apply
// one at a time; an update answers when the case has arrived at its next step, not after the next call to
// the verification agency.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { workflowTestbed, realActivities, withWorker } from '../helpers/temporal';
import { actors, allMaterials, poorFamily } from '../helpers/people';
import { expectRefused, investigation, review, startApplication, waitForStep } from '../helpers/application';
import { createActivities } from '../../activities';
import { createCalendarSource } from '../../activities/calendar';
import { HttpVerificationAgency } from '../../activities/verification/agency';
import * as m from '../../workflows/application/messages';

const tb = workflowTestbed();

/** Runs `fn` with workers whose activities the test has adapted (a slow context read, an agency that is down). */
const withActivities = (activities: ReturnType<typeof realActivities>, fn: (taskQueue: string) => Promise<void>) => withWorker(tb.env, activities, fn);

function refusalType(r: PromiseSettledResult<unknown>): string | undefined {
  if (r.status === 'fulfilled') return undefined;
  const cause = (r.reason as WorkflowUpdateFailedError).cause;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : String(r.reason);
}

describe('the case kit: commands', () => {
  it('§1 no spurious 409: a township review sent while the case is still reading its context for that step waits for it and is recorded', async () => {
    const real = realActivities(tb.db, tb.agency);
    let slow = false;
    const activities = {
      ...real,
      // the read of policy and register on arrival at a step takes a while, as on a slow database
      caseContext: async (r: Parameters<typeof real.caseContext>[0]) => {
        if (slow) await new Promise((res) => setTimeout(res, 1500));
        return real.caseContext(r);
      },
    };
    const input = poorFamily();
    await withActivities(activities, async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      slow = true;
      const recorded = handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input)] });
      // the step is set at once when the flow wakes; the context read that follows is slow
      await waitForStep(handle, 'township_review', 10_000);
      const during = await handle.executeUpdate(m.townshipReviewUpdate, { args: review() });
      expect(during.townshipReview?.opinion).toBe('eligible');
      expect(during.step).toBe('publicity');
      // the investigation's own answer comes at the same rest, so it already shows the review
      expect((await recorded).investigations).toHaveLength(1);
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });

  it('§1 no spurious 409, R-APP-08: two county visits sent at once: one is recorded, the other refused as a second visit', async () => {
    const input = poorFamily();
    // a consumer vehicle found by the agency makes the case special: the county visits it itself
    await tb.agency.setPerson(input.household.members[0].idNumber, { vehicles: [{ kind: 'consumer', plate: '晋E·A0002', valueFen: 4_000_000 }] });
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input)] });
      await waitForStep(handle, 'county_visit');
      const visit = (visitors: string[]) =>
        handle.executeUpdate(m.recordCountyVisitUpdate, { args: [{ actor: actors.countyCaseworker, visitors, visitedOn: investigation(input).visitedOn, findings: '县级入户核实' }] });
      const results = await Promise.allSettled([visit(['zhaolei', 'sunli']), visit(['sunli', 'zhaolei'])]);
      expect(results.map(refusalType).sort()).toEqual(['WrongStep', undefined]);
      const v = await handle.query(m.stateQuery);
      expect(v.step).toBe('township_review');
      const history = await tb.db.prisma.auditEvent.count({ where: { caseId: input.caseId, action: 'county_visit.recorded' } });
      expect(history).toBe(1);
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });

  it('§1 R-APP-01: with the verification agency down, the last supplement of materials is answered at once: accepted, verifying, the decision deadline running', async () => {
    const real = realActivities(tb.db, tb.agency);
    // an agency nobody answers at: every call fails and is retried by Temporal
    const down = createActivities({ prisma: tb.db.prisma, agency: new HttpVerificationAgency({ baseUrl: 'http://127.0.0.1:9', apiKey: 'unused' }), bank: tb.bank.bank, calendar: createCalendarSource(tb.db.prisma, 0) });
    const activities = { ...real, checkEconomicStatus: down.checkEconomicStatus };
    const family = poorFamily();
    const last = allMaterials(family.household).at(-1)!;
    const input = { ...family, materials: family.materials.filter((x) => x !== last) };
    await withActivities(activities, async (tq) => {
      const { handle, receipt } = await startApplication(tb.env.client, input, tq);
      expect(receipt.step).toBe('awaiting_materials');
      const answered = await handle.executeUpdate(m.supplementMaterialsUpdate, { args: [{ actor: actors.caseworker, materials: [last] }] });
      expect(answered.step).toBe('verifying');
      expect(answered.acceptedOn).not.toBeNull();
      expect(answered.deadlines.map((d) => d.name)).toEqual(['decision']);
      expect(answered.verification.status).toBe('pending'); // asked for, no report: the agency is not answering
      const projected = await tb.db.prisma.case.findUniqueOrThrow({ where: { caseId: input.caseId } });
      expect(projected.step).toBe('verifying');
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
      expect((await handle.result()).status).toBe('withdrawn');
    });
  });

  it('§2 small history: an enrolled case writes fewer than 75 events besides its workflow tasks, under 150 in all (228 before the kit)', async () => {
    const family = poorFamily();
    const last = allMaterials(family.household).at(-1)!;
    const input = { ...family, materials: family.materials.filter((x) => x !== last) };
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await handle.executeUpdate(m.supplementMaterialsUpdate, { args: [{ actor: actors.caseworker, materials: [last] }] });
      await waitForStep(handle, 'investigating');
      await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input)] });
      await handle.executeUpdate(m.townshipReviewUpdate, { args: review() });
      await tb.env.sleep(8 * 86_400_000);
      await waitForStep(handle, 'county_decision');
      await handle.executeUpdate(m.approvalUpdate, { args: [{ actor: actors.approver1, decision: 'approve', reason: '符合条件' }] });
      await handle.executeUpdate(m.approvalUpdate, { args: [{ actor: actors.approver3, decision: 'approve', reason: '符合条件' }] });
      expect((await handle.result()).status).toBe('enrolled');
      // What the case writes (its activities, timers, search attributes, Updates) is the same in every run;
      // how many workflow tasks carry it is not: an Update or an activity's completion that arrives while a task
      // runs waits for the next one, so the task count moves by one or two with the machine's load.
      const history = (await handle.fetchHistory()).events!;
      const tasks = history.filter((e) => e.workflowTaskScheduledEventAttributes || e.workflowTaskStartedEventAttributes || e.workflowTaskCompletedEventAttributes || e.workflowTaskTimedOutEventAttributes || e.workflowTaskFailedEventAttributes).length;
      const written = history.length - tasks;
      // on failure the answer shows the counts and the events by type, to see what grew
      const measured = { written, tasks: tasks / 3, total: history.length };
      expect(written < 75 && history.length < 150 ? 'small' : { ...measured, types: countTypes(history) }).toBe('small');
    });
  });
});


describe('the case kit: the verification agency', () => {
  it('R-APP-03: after three refused rounds the case stalls to a person (flag and follow-up deadline) instead of looping; their new attempt completes the check', async () => {
    const real = realActivities(tb.db, tb.agency);
    let refusals = 3;
    const activities = {
      ...real,
      // the agency refuses the request three times (e.g. a subject it cannot find), then accepts it
      checkEconomicStatus: async (i: Parameters<typeof real.checkEconomicStatus>[0]) => {
        if (refusals-- > 0) throw ApplicationFailure.create({ type: 'AgencyRejected', message: 'sandbox: unknown subject', nonRetryable: true });
        return real.checkEconomicStatus(i);
      },
    };
    const input = poorFamily();
    await withActivities(activities, async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await tb.env.sleep(3 * 3_600_000); // the pauses between refused rounds
      let v = await handle.query(m.stateQuery);
      for (let i = 0; i < 50 && !v.flags.includes('verification_stalled'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        v = await handle.query(m.stateQuery);
      }
      expect(v.step).toBe('verifying');
      expect(v.flags).toEqual(expect.arrayContaining(['verification_refused', 'verification_stalled']));
      expect(v.verification.status).toBe('stalled');
      expect(v.assignee).toBe(`township_caseworker@${input.villageCode.slice(0, 9)}`);
      expect(v.deadlines.map((d) => d.name)).toContain('verification_follow_up_1');
      const refused = await tb.db.prisma.auditEvent.count({ where: { caseId: input.caseId, action: 'verification.refused' } });
      expect(refused).toBe(3);

      await handle.executeUpdate(m.retryVerificationUpdate, { args: [{ actor: actors.caseworker, reason: '已核实申请人身份信息' }] });
      const after = await waitForStep(handle, 'investigating');
      expect(after.verification.status).toBe('completed');
      expect(after.flags).not.toContain('verification_stalled');
      expect(after.deadlines.find((d) => d.name === 'verification_follow_up_1')?.closed).toBe(true);
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });
});

describe('the case kit: an agency that never answers', () => {
  it('R-APP-03: a check the agency leaves unanswered past its 14 days stalls the case to a person, the workflow stays open', async () => {
    const real = realActivities(tb.db, tb.agency);
    const down = createActivities({ prisma: tb.db.prisma, agency: new HttpVerificationAgency({ baseUrl: 'http://127.0.0.1:9', apiKey: 'unused' }), bank: tb.bank.bank, calendar: createCalendarSource(tb.db.prisma, 0) });
    const input = poorFamily();
    await withActivities({ ...real, checkEconomicStatus: down.checkEconomicStatus }, async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await tb.env.sleep(15 * 86_400_000);
      let v = await handle.query(m.stateQuery);
      for (let i = 0; i < 100 && !v.flags.includes('verification_stalled'); i++) {
        await new Promise((r) => setTimeout(r, 200));
        v = await handle.query(m.stateQuery);
      }
      expect(v.verification.status).toBe('stalled');
      expect(v.flags).toContain('verification_stalled');
      expect((await handle.describe()).status.name).toBe('RUNNING');
      const timedOut = await tb.db.prisma.auditEvent.count({ where: { caseId: input.caseId, action: 'verification.timed_out' } });
      expect(timedOut).toBe(1);
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });
});

describe('the case kit: who gives a command', () => {
  it('API1 (issue 16): an Update sent straight to Temporal with a made-up actor outside the case\'s jurisdiction, or with no actor at all, is refused (Forbidden), and the case goes on', async () => {
    const input = poorFamily();
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      const ghost = { id: 'ghost', name: 'ghost', role: 'township_caseworker', jurisdiction: '99' };
      await expectRefused(handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: ghost, reason: 'forged' }] }), 'Forbidden');
      const nobody = handle.executeUpdate(m.withdrawalUpdate, { args: [{ reason: 'no actor' } as unknown as m.ReasonInput] });
      await expectRefused(nobody, 'Forbidden');
      const v = await waitForStep(handle, 'investigating');
      expect(v.status).toBe('open');
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });
});

function countTypes(events: { eventType?: number | string | null }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) counts[String(e.eventType)] = (counts[String(e.eventType)] ?? 0) + 1;
  return counts;
}
