// Review findings on death stops over HTTP (issue 23, R-DTH-01…03): a change report's date of death is
// checked as a death record's is (400 naming the field, no stop opened); a post whose send fails midway
// settles every send, audits what was sent, and its unsent claim is sent again by the sweep.
import type { Client } from '@temporalio/client';
import { actorSignerFromEnv } from '../../api/actor-signing';
import { DeathService } from '../../api/deaths/service';
import { resendOrphanClaims } from '../../activities/death-stop/orphan-claims';
import { systemSignerFromEnv } from '../../activities/crypto/start-signing';
import { maskIdNumber } from '../../workflows/rules/id-number';
import { actors } from '../helpers/people';
import { apiTestbed } from '../helpers/api-bed';
import { pinWallClock } from '../helpers/temporal';
import { token } from '../helpers/http';
import { singlePerson } from '../helpers/death-stop';

pinWallClock();

const bed = apiTestbed('api-deaths-findings');
const township = token('zhangmin', 'township_caseworker', '140599100', '张敏');

describe('API: deaths, review findings', () => {
  it('R-DTH-02, R-DTH-03: a change report of a death in the future or before the birth is 400 naming dateOfDeath; no death stop opens and the member stays on the roster', async () => {
    const { householdId, person } = await singlePerson(bed.db.prisma, { birthDate: '1950-04-04' });
    for (const dateOfDeath of ['2026-03-20', '1949-12-31']) {
      const r = await bed.http.request('POST', `/v1/households/${householdId}/change-reports`, {
        token: township,
        body: { month: '2026-03', changes: [{ kind: 'death', memberIdNumber: person.idNumber, summary: '病故', dateOfDeath }] },
      });
      expect(r.status).toBe(400);
      expect(r.type).toMatch(/application\/problem\+json/);
      expect(r.body.errors).toEqual([expect.objectContaining({ path: 'changes[0].dateOfDeath' })]);
    }
    expect(await bed.db.prisma.deathStop.count({ where: { idNumber: person.idNumber } })).toBe(0);
    expect(await bed.db.prisma.householdMember.findFirstOrThrow({ where: { householdId } })).toMatchObject({ active: true });
  });

  it('R-DTH-01: a send that fails midway: every other send settles before the 503, the post is audited with what was sent, and the unsent claim is sent again by the sweep without a person', async () => {
    const people = [await singlePerson(bed.db.prisma), await singlePerson(bed.db.prisma), await singlePerson(bed.db.prisma)];
    const real = bed.env.client;
    let calls = 0;
    let done = 0;
    const pause = (ms: number) => new Promise((res) => setTimeout(res, ms));
    // the second send times out (as Temporal unreachable would), the third is slow
    const workflow = new Proxy(real.workflow, {
      get(t, p) {
        if (p !== 'startUpdateWithStart') return Reflect.get(t, p, t);
        return async (...args: Parameters<typeof t.startUpdateWithStart>) => {
          const n = ++calls;
          if (n === 2) {
            await pause(200);
            throw new Error('deadline exceeded');
          }
          if (n === 3) await pause(1500);
          const r = await t.startUpdateWithStart(...args);
          done++;
          return r;
        };
      },
    });
    const client = new Proxy(real, { get: (t, p) => (p === 'workflow' ? workflow : Reflect.get(t, p, t)) }) as Client;
    const taskQueue = `api-deaths-findings-${process.pid}`;
    const service = new DeathService({ prisma: bed.db.prisma, client, taskQueue, signer: actorSignerFromEnv(), registeredActor: async () => actors.countyCaseworker });
    const user = { sub: 'zhaolei', name: '赵磊', role: 'county_caseworker', jurisdiction: '140599' } as never;
    const records = people.map(({ person }) => ({ idNumber: person.idNumber, name: person.name, dateOfDeath: '2026-02-14' }));
    await expect(service.receive(user, { source: 'civil_registry', records })).rejects.toThrow('deadline exceeded');
    expect(done).toBe(2); // the slow third send had finished when the post answered

    const posts = await bed.db.prisma.auditEvent.findMany({ where: { action: 'death_records.received', actor: 'zhaolei' } });
    const post = posts.map((e) => e.data as { matched: { idNumber: string }[]; unsent?: string[] }).find((d) => d.unsent);
    expect(post?.matched.map((m) => m.idNumber).sort()).toEqual([maskIdNumber(people[0].person.idNumber), maskIdNumber(people[2].person.idNumber)].sort());
    expect(post?.unsent).toEqual([maskIdNumber(people[1].person.idNumber)]);

    const orphan = await bed.db.prisma.deathStop.findUniqueOrThrow({ where: { idNumber: people[1].person.idNumber } });
    expect(orphan).toMatchObject({ step: 'opening', view: null });
    expect(await resendOrphanClaims({ prisma: bed.db.prisma, client: real, taskQueue, signer: systemSignerFromEnv() }, 0)).toMatchObject({ failed: 0 });
    for (let i = 0; i < 300; i++) {
      const row = await bed.db.prisma.deathStop.findUniqueOrThrow({ where: { idNumber: people[1].person.idNumber } });
      if (row.step === 'closed') break;
      await pause(100);
    }
    expect(await bed.db.prisma.deathStop.findUniqueOrThrow({ where: { idNumber: people[1].person.idNumber } })).toMatchObject({ step: 'closed', status: 'closed' });
    expect(await bed.db.prisma.household.findUniqueOrThrow({ where: { householdId: people[1].householdId } })).toMatchObject({ status: 'stopped' });
  });
});
