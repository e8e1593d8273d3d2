// Reviews over HTTP (API.md "Reviews"): GET /v1/reviews scoped to the caller's subtree and paged, the
// outcome refused in a wrong step (409) and with a bad body (400 naming the fields), the township's visit
// and proposal through the one command path, and the review's audit trail at /v1/audit?caseId=<reviewId>.
import { apiTestbed } from '../helpers/api-bed';
import { pinWallClock } from '../helpers/temporal';
import { token } from '../helpers/http';
import { rosterHousehold, startReview } from '../helpers/review';

pinWallClock();

const bed = apiTestbed('api-reviews');
const caseworker = token('zhangmin', 'township_caseworker', '140599100', '张敏');
const elsewhere = token('qs-tw1', 'township_caseworker', '140521100', '郭华');
const supervisor = token('hewei', 'supervisor', '1405', '何伟');

async function reviewAt(reviewId: string, step: string) {
  for (let i = 0; i < 300; i++) {
    const r = await bed.http.request('GET', `/v1/reviews/${reviewId}`, { token: caseworker });
    if (r.status === 200 && r.body.step === step) return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`review ${reviewId} never reached ${step}`);
}

describe('API: reviews', () => {
  const ids: string[] = [];

  beforeAll(async () => {
    for (let n = 0; n < 3; n++) {
      const { householdId } = await rosterHousehold(bed.db.prisma);
      const h = await startReview(bed.env.client, householdId, `api-reviews-${process.pid}`);
      ids.push(h.workflowId.replace(/^review-/, ''));
    }
    for (const id of ids) await reviewAt(id, 'investigating');
  });

  it('R-REV-06: GET /v1/reviews lists open reviews in the caller’s subtree only, paged with an opaque cursor; dueBefore and step filter', async () => {
    // page by one: ids[1] may have left `investigating` already (the visit test may run first), two at least remain
    const first = await bed.http.request('GET', '/v1/reviews?limit=1&step=investigating', { token: caseworker });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const seen: string[] = first.body.items.map((x: { reviewId: string }) => x.reviewId);
    for (let cursor = first.body.nextCursor, pages = 1; cursor && pages < 20; pages++) {
      const page = await bed.http.request('GET', `/v1/reviews?limit=1&step=investigating&cursor=${cursor}`, { token: caseworker });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((x: { reviewId: string }) => x.reviewId));
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual(expect.arrayContaining([ids[0], ids[2]]));
    expect(new Set(seen).size).toBe(seen.length);
    // another county's caseworker sees none of them; a jurisdiction outside the caller's subtree is empty
    const other = await bed.http.request('GET', '/v1/reviews', { token: elsewhere });
    expect(other.body.items.map((x: { reviewId: string }) => x.reviewId)).not.toEqual(expect.arrayContaining([ids[0]]));
    expect((await bed.http.request('GET', '/v1/reviews?jurisdiction=140599', { token: elsewhere })).body.items).toEqual([]);
    expect((await bed.http.request('GET', `/v1/reviews/${ids[0]}`, { token: elsewhere })).status).toBe(404);
    // no major change, so no deadline: nothing falls due before any date
    expect((await bed.http.request('GET', '/v1/reviews?dueBefore=2030-01-01', { token: caseworker })).body.items.map((x: { reviewId: string }) => x.reviewId)).not.toContain(ids[0]);
    const bad = await bed.http.request('GET', '/v1/reviews?cursor=nonsense!&dueBefore=tomorrow', { token: caseworker });
    expect(bad.status).toBe(400);
  });

  it('R-REV-02: an outcome in the wrong step is 409; a bad body is 400 problem+json naming each field', async () => {
    const wrong = await bed.http.request('POST', `/v1/reviews/${ids[0]}/outcome`, { token: caseworker, body: { outcome: 'continue', reason: '维持' } });
    expect(wrong.status).toBe(409);
    expect(wrong.type).toContain('application/problem+json');
    const bad = await bed.http.request('POST', `/v1/reviews/${ids[0]}/outcome`, { token: caseworker, body: { outcome: 'maybe', monthlyFen: -5 } });
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    const paths = (bad.body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['outcome', 'monthlyFen', 'reason']));
  });

  it('R-REV-02, R-APP-04: the township’s visit and proposal through the API; the review’s audit trail is at /v1/audit?caseId=<reviewId>', async () => {
    const id = ids[1];
    const at = await reviewAt(id, 'investigating');
    const visit = await bed.http.request('POST', `/v1/reviews/${id}/investigation`, { token: caseworker, body: { investigators: ['zhangmin', 'liqiang'], visitedOn: at.openedOn, findings: '复核入户', incomes: [], expenditures: [] } });
    expect(visit.status).toBe(200);
    expect(visit.body.assessment).toMatchObject({ outcome: 'continue', monthlyFen: 180000 });
    const proposed = await bed.http.request('POST', `/v1/reviews/${id}/outcome`, { token: caseworker, body: { outcome: 'continue', reason: '家庭情况无变化' } });
    expect(proposed.status).toBe(200);
    expect(proposed.body.step).toBe('county_decision');
    const audit = await bed.http.request('GET', `/v1/audit?caseId=${id}`, { token: supervisor });
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['review.opened', 'investigation.recorded', 'review.proposed']));
  });
});
