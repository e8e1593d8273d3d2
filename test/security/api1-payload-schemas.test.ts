// OWASP API1:2023 (issue 16 "Nothing trusted that a client sent": validators re-run the payload schemas):
// an Update sent straight to Temporal, bypassing the API, meets the same zod schemas and limits as a
// request body (workflows/application/payloads.ts), parsed in the update validator, so a malformed
// payload is refused before anything is written to the case's history. Real time-skipping server,
// real PostgreSQL, the real workflow bundle.
import { temporal } from '@temporalio/proto';
import { workflowTestbed } from '../helpers/temporal';
import { actors, poorFamily } from '../helpers/people';
import { expectRefused, investigation, startApplication, waitForStep, type AppHandle } from '../helpers/application';
import * as m from '../../workflows/application/messages';

const tb = workflowTestbed();
const EventType = temporal.api.enums.v1.EventType;

/** How many updates the case's history accepted, and its encoded size. */
async function historyOf(handle: AppHandle): Promise<{ accepted: number; bytes: number }> {
  const h = await handle.fetchHistory();
  const accepted = (h.events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED).length;
  return { accepted, bytes: temporal.api.history.v1.History.encode(h).finish().length };
}

describe('API1 (issue 16): validators re-run the payload schemas', () => {
  it('API1 validators re-run the payload schemas: an Update sent straight to Temporal with a 1 MB reason, wrong types or an unknown field is refused by the validator (422-style, naming the field) and leaves no trace in the history', async () => {
    const input = poorFamily();
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, input, tq);
      await waitForStep(handle, 'investigating');
      const raw = handle.raw;
      const before = await historyOf(handle);

      // a withdrawal is allowed in this step: only the schema refuses a 1 MB reason (limit 2,000 characters)
      const huge = raw.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: '撤'.repeat(1_000_000) }] });
      const hugeMessage = await expectRefused(huge, 'RuleViolation');
      expect(hugeMessage).toMatch(/reason/);

      // wrong types in every part of an investigation
      const wrong = { ...investigation(input), visitedOn: 20261125, incomes: 'lots', investigators: 'zhangmin' } as unknown as m.InvestigationInput;
      const err = await raw.executeUpdate(m.recordInvestigationUpdate, { args: [wrong] }).catch((e: unknown) => e);
      const failure = (err as { cause?: { type?: string; details?: { errors?: { path: string }[] }[] } }).cause;
      expect(failure?.type).toBe('RuleViolation');
      expect(failure?.details?.[0]?.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(['visitedOn', 'incomes', 'investigators']));

      // a field the API would never send (mass assignment into the recorded investigation)
      const smuggled = { ...investigation(input), recordedBy: 'someone-else' } as m.InvestigationInput;
      expect(await expectRefused(raw.executeUpdate(m.recordInvestigationUpdate, { args: [smuggled] }), 'RuleViolation')).toMatch(/recordedBy|unrecognized/i);

      // none of them reached the history; the case goes on and takes a well-formed command
      const after = await historyOf(handle);
      expect(after.accepted).toBe(before.accepted);
      expect(after.bytes - before.bytes).toBeLessThan(10_000);
      const v = await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input)] });
      expect(v.investigations).toHaveLength(1);
      expect(v.investigations[0]).not.toHaveProperty('recordedBy', 'someone-else');
      await raw.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: 'test done' }] });
    });
  });
});
