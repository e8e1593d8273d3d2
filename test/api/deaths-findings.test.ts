// Review findings on death stops over HTTP (issue 23, R-DTH-01…03): a change report's date of death is
// checked as a death record's is (400 naming the field, no stop opened).
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
});
