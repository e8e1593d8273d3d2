// OWASP API4:2023 Unrestricted Resource Consumption and API6:2023 Unrestricted Access to Sensitive
// Business Flows (issue 16 "Bounded work"): one caseworker looping investigation → township opinion →
// objection grew a case's Temporal history to 16.7 MB in 9 requests, and Temporal terminates a workflow
// at about 50 MB. Now every Update answers compactly and each investigation is handed to the projection
// once, so a round adds about the same to the history however many came before. Real time-skipping
// server, real PostgreSQL, the real workflow bundle.
import { temporal } from '@temporalio/proto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { workflowTestbed } from '../helpers/temporal';
import { actors, poorFamily } from '../helpers/people';
import { investigation, review, startApplication, waitForStep, type AppHandle } from '../helpers/application';
import { bodyBytes, bulky } from '../helpers/bulky';
import * as m from '../../workflows/messages';

const tb = workflowTestbed();

/**
 * The bound, per round: its investigation (≤ 32 KB) enters the history at most twice (the Update's
 * argument, and the one projection write that first carries it), plus what every round writes whatever
 * its content: three Updates and their compact answers, about six projection writes of the rest of the
 * view (household, report, accounting: a few KB each), the step contexts and the accounting. 2 × 32 KB
 * + 96 KB = 160 KB (measured: 113 KB). Before the change round N alone added roughly 9 × N × 30 KB
 * (every answer and every write carried every investigation so far): megabytes a round by round 20.
 */
const PER_ROUND = 160 * 1024;
/** intake, verification and the first arrival at the investigation (about 19 KB), with a margin */
const BASE = 64 * 1024;
const MAX_ROUNDS = 20;

async function historyBytes(handle: AppHandle): Promise<number> {
  return temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish().length;
}

/** Until the case leaves `step` (the main flow reacts after the objection's answer). */
async function stepAfter(handle: AppHandle, step: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const v = await handle.query(m.stateQuery);
    if (v.step !== step) return v.step;
    await new Promise((r) => setTimeout(r, 50));
  }
  return step;
}

describe('API4/API6 (issue 16): bounded work', () => {
  it(`API4/API6 bounded work: up to ${MAX_ROUNDS} rounds (or the policy's bound on objection rounds) of ~30 KB investigation → township opinion → objection keep the history under rounds × 160 KB + 64 KB, each round adding no more than the first`, async () => {
    const input = poorFamily();
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      const sizes = [await historyBytes(handle)];
      const body = bulky(investigation(input), 30 * 1024);
      expect(bodyBytes(body)).toBeGreaterThan(28 * 1024);
      let rounds = 0;
      while (rounds < MAX_ROUNDS) {
        await handle.raw.executeUpdate(m.recordInvestigationUpdate, { args: [{ ...body, visitedOn: (await handle.query(m.stateQuery)).enteredOn }] });
        await handle.raw.executeUpdate(m.townshipReviewUpdate, { args: review() });
        await waitForStep(handle, 'publicity');
        const objected = await handle.raw
          .executeUpdate(m.objectionUpdate, { args: [{ actor: actors.caseworker2, summary: '村民反映申请人家有经营性货车', raisedBy: '村民王某' }] })
          .then(
            () => true,
            (err: unknown) => {
              // a policy's bound on objection rounds may refuse a further one: that is where the loop ends
              if (err instanceof WorkflowUpdateFailedError) return false;
              throw err;
            },
          );
        rounds++;
        const next = objected ? await stepAfter(handle, 'publicity') : 'publicity';
        sizes.push(await historyBytes(handle));
        if (!objected || next !== 'investigating') break;
      }
      const total = sizes.at(-1)!;
      const growth = sizes.slice(1).map((s, i) => s - sizes[i]);
      console.log(`history after intake ${sizes[0]} bytes; ${rounds} rounds: ${total} bytes; per round ${growth.join(', ')}`);
      expect(rounds).toBeGreaterThanOrEqual(2);
      expect(sizes[0]).toBeLessThan(BASE);
      expect(total).toBeLessThan(rounds * PER_ROUND + BASE);
      // linear, not quadratic: the last round adds no more than the first did (with 10% for event noise)
      expect(Math.max(...growth)).toBeLessThan(PER_ROUND);
      expect(growth.at(-1)!).toBeLessThan(growth[0] * 1.1);
      await handle.raw.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] }).catch(() => undefined);
    });
  }, 600_000);
});
