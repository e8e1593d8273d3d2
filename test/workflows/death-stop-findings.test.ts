// Review findings on the death stop (issue 23, R-DTH-01…03) on real Temporal (time-skipping, from
// 2026-03-02) and real PostgreSQL: a date of death checked in the stop's own validator.
import { recordDeathUpdate } from '../../workflows/death-stop/messages';
import { workflowTestbed } from '../helpers/temporal';
import { actors } from '../helpers/people';
import { expectRefused } from '../helpers/application';
import { rosterHousehold } from '../helpers/review';
import { reportDeaths, waitForDeathStep, type DeathStopHandle } from '../helpers/death-stop';

const tb = workflowTestbed();
const handle = (id: string): DeathStopHandle => tb.env.client.workflow.getHandle(id);

describe('death stop: review findings', () => {
  it('R-DTH-02, R-DTH-03: a recordDeath sent straight to a stop with a date of death in the future or before the birth is refused naming dateOfDeath; nothing is recorded', async () => {
    const { members } = await rosterHousehold(tb.db.prisma);
    await tb.run(async (tq) => {
      const { matched } = await reportDeaths(tb.db.prisma, tb.env.client, tq, 'civil_registry', [{ idNumber: members[0].idNumber, dateOfDeath: '2026-02-20' }]);
      const h = handle(matched[0].workflowId);
      await waitForDeathStep(h, 'confirming');
      const send = (dateOfDeath: string) => h.executeUpdate(recordDeathUpdate, { args: [{ source: 'police', dateOfDeath, actor: actors.countyCaseworker }] });
      for (const dateOfDeath of ['2099-01-01', '1900-01-01']) {
        await expectRefused(send(dateOfDeath), 'RuleViolation', 'API1');
        const err = await send(dateOfDeath).catch((e) => e);
        expect(err.cause.details[0].errors).toEqual([expect.objectContaining({ path: 'dateOfDeath' })]);
      }
      const v = await waitForDeathStep(h, 'confirming');
      expect(v.sources.map((x) => x.source)).toEqual(['civil_registry']);
      expect(v.flags).not.toContain('date_of_death_differs');
    });
  });
});
