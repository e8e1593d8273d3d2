// Review findings on the death stop (issue 23, R-DTH-01…03) on real Temporal (time-skipping, from
// 2026-03-02) and real PostgreSQL: a date of death checked in the stop's own validator; two deaths in one
// household at once.
import { recordDeathUpdate } from '../../workflows/death-stop/messages';
import { workflowTestbed } from '../helpers/temporal';
import { createDeathStopActivities } from '../../activities/death-stop/death-stop-activities';
import { claimDeathStops, matchDeathRecords } from '../../activities/death-stop/intake';
import { deathStopStateQuery } from '../../workflows/death-stop/messages';
import { actors, idNumberFor, VILLAGE } from '../helpers/people';
import { recipient } from '../helpers/change-reports';
import { expectRefused } from '../helpers/application';
import { rosterHousehold } from '../helpers/review';
import { reportDeaths, waitForDeathStep, type DeathStopHandle } from '../helpers/death-stop';

const tb = workflowTestbed();
const handle = (id: string): DeathStopHandle => tb.env.client.workflow.getHandle(id);

/** A claim taken by another source whose send has not reached Temporal (yet, or ever). */
async function claimOnly(idNumber: string, dateOfDeath: string) {
  const found = await matchDeathRecords(tb.db.prisma, [idNumber]);
  await claimDeathStops(tb.db.prisma, [{ ...found.get(idNumber)!, dateOfDeath }]);
  return tb.db.prisma.deathStop.findUniqueOrThrow({ where: { idNumber } });
}

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

describe('death stop: two deaths in one household at once', () => {
  it('R-DTH-03: the holds of two members of a two-person household dying at once are taken one after the other: the household is stopped once, by the later hold', async () => {
    const [a, b] = [idNumberFor('1950-01-02'), idNumberFor('1952-03-04')];
    const householdId = `H-DS2-${process.pid}-${Date.now().toString(36)}`;
    await recipient(tb.db.prisma, householdId, VILLAGE, [a, b]);
    const acts = createDeathStopActivities(tb.db.prisma, () => Promise.reject(new Error('no calendar needed')));
    const hold = (idNumber: string, n: number) => acts.holdDeceased({ workflowId: `death-stop-test-${householdId}-${n}`, householdId, idNumber, dateOfDeath: '2026-02-25', on: '2026-03-02' });
    // the interleaving made certain: b's hold is held up (by a lock on b's membership row) after reading the
    // household, a's hold runs meanwhile; without a lock on the household both see the other member active
    let release!: () => void;
    const released = new Promise<void>((res) => (release = res));
    let locked!: () => void;
    const isLocked = new Promise<void>((res) => (locked = res));
    const blocker = tb.db.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM household_member WHERE household_id = ${householdId} AND id_number = ${b} FOR UPDATE`;
      locked();
      await released;
    }, { timeout: 60_000 });
    await isLocked;
    const waiting = async (n: number) => {
      for (let i = 0; i < 200; i++) {
        const [{ count }] = await tb.db.prisma.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`;
        if (count >= n) return;
        await new Promise((res) => setTimeout(res, 25));
      }
      throw new Error(`never ${n} waiting on locks`);
    };
    const second = hold(b, 2);
    await waiting(1);
    const first = hold(a, 1);
    await Promise.race([first, waiting(2)]);
    release();
    await blocker;
    const holds = await Promise.all([first, second]);
    expect(holds.map((x) => x.closesHousehold).sort()).toEqual([false, true]);
    expect(await tb.db.prisma.household.findUniqueOrThrow({ where: { householdId } })).toMatchObject({ status: 'stopped' });
    expect(await tb.db.prisma.rosterChange.count({ where: { householdId, outcome: 'stop' } })).toBe(1);
    expect(await tb.db.prisma.householdMember.count({ where: { householdId, active: true } })).toBe(0);
  });
});

describe('death stop: the date of death of the claim', () => {
  it('R-DTH-02: two sources racing: the stop starts with the date of death of the claim that won (as its row has it), the other date is recorded and flagged', async () => {
    const { members } = await rosterHousehold(tb.db.prisma);
    const claim = await claimOnly(members[1].idNumber, '2026-02-10');
    await tb.run(async (tq) => {
      const { matched } = await reportDeaths(tb.db.prisma, tb.env.client, tq, 'police', [{ idNumber: members[1].idNumber, dateOfDeath: '2026-02-12' }]);
      expect(matched[0].workflowId).toBe(`death-stop-${claim.deathStopId}`);
      const h = handle(matched[0].workflowId);
      const v = await waitForDeathStep(h, 'confirming');
      expect(v.dateOfDeath).toBe('2026-02-10');
      expect(v.deadline).toBe('2026-05-10');
      expect(v.sources).toEqual([expect.objectContaining({ source: 'police', dateOfDeath: '2026-02-12' })]);
      expect(v.flags).toContain('date_of_death_differs');
      const row = await tb.db.prisma.deathStop.findUniqueOrThrow({ where: { workflowId: h.workflowId } });
      expect(row.dateOfDeath.toISOString().slice(0, 10)).toBe((await h.query(deathStopStateQuery)).dateOfDeath);
    });
  });
});
