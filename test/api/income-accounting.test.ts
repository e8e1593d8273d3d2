// The income accounting over HTTP (R-APP-05; issue 21 §1 and §3.7): what the investigation body carries
// (incomes by source, deductions, property) reaches the accounting the case view and the township review show.
import { apiTestbed } from '../helpers/api-bed';
import { pinWallClock } from '../helpers/temporal';
import { token } from '../helpers/http';
import { applicationBody, poorFamily } from '../helpers/people';

pinWallClock();

const bed = apiTestbed('api-income');
const caseworker = token('zhangmin', 'township_caseworker', '140599100', '张敏');

/** A rural household of three (head, ill spouse, schoolchild) at the investigation; the county's standard is 60000. */
async function investigatingCase(findings: Record<string, unknown> = {}) {
  const input = poorFamily();
  if (Object.keys(findings).length) await bed.agency.setPerson(input.household.members[0].idNumber, findings);
  const r = await bed.http.request('POST', '/v1/applications', { token: caseworker, body: applicationBody(input) });
  expect(r.status).toBe(201);
  const caseId = r.body.caseId as string;
  const { enteredOn } = await bed.waitForStep(caseId, 'investigating', caseworker);
  const [head, spouse, child] = input.household.members;
  return { caseId, head, spouse, child, body: (extra: Record<string, unknown> = {}) => ({ investigators: ['zhangmin', 'liqiang'], visitedOn: enteredOn, findings: '入户调查', incomes: [], expenditures: [], ...extra }) };
}

const investigate = (caseId: string, body: unknown) => bed.http.request('POST', `/v1/applications/${caseId}/investigation`, { token: caseworker, body });
const view = async (caseId: string) => (await bed.http.request('GET', `/v1/applications/${caseId}`, { token: caseworker })).body;

describe('API: counted income, source by source (R-APP-05, issue 21 §1)', () => {
  it('R-APP-05: When a household declares 20000 fen a month of casual work that the verification does not see, then it counts: the amount is 20000 lower, and the view and the township review show declared / verified / counted', async () => {
    const none = await investigatingCase();
    expect((await investigate(none.caseId, none.body())).body.accounting).toMatchObject({ netMonthlyFen: 0, maxMonthlyFen: 180_000 });

    const casual = await investigatingCase();
    const r = await investigate(casual.caseId, casual.body({ incomes: [{ memberIdNumber: casual.head.idNumber, monthlyFen: 20_000, source: 'casual_work' }] }));
    expect(r.status).toBe(200);
    expect(r.body.accounting).toMatchObject({ grossMonthlyFen: 20_000, netMonthlyFen: 20_000, maxMonthlyFen: 160_000 }); // 3 × 60000 − 20000
    expect(r.body.flags).toContain('declared_income_above_verified');
    const row = { source: 'casual_work', declaredFen: 20_000, verifiedFen: 0, countedFen: 20_000 };
    expect((await view(casual.caseId)).accounting.members[0]).toEqual({ idNumber: casual.head.idNumber, declaredFen: 20_000, verifiedFen: 0, countedFen: 20_000, sources: [row] });

    const reviewed = await bed.http.request('POST', `/v1/applications/${casual.caseId}/township-review`, { token: caseworker, body: { opinion: 'eligible', reason: '符合条件' } });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.townshipReview).toMatchObject({ proposedMonthlyFen: 160_000, incomes: [{ idNumber: casual.head.idNumber, sources: [row] }, { idNumber: casual.spouse.idNumber, sources: [] }, { idNumber: casual.child.idNumber, sources: [] }] });
  });

  it('R-APP-05: When an income names a source outside the vocabulary, then 400 naming incomes[0].source', async () => {
    const c = await investigatingCase();
    const r = await investigate(c.caseId, c.body({ incomes: [{ memberIdNumber: c.head.idNumber, monthlyFen: 20_000, source: 'odd jobs' }] }));
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: 'incomes[0].source' })]);
  });
});

describe('API: the investigation reaches the accounting (issue 21 §3.7)', () => {
  it('R-APP-05: When an investigation deducts schooling for a member who is not a student, then 422 naming expenditures[0].memberIdNumber and nothing is recorded; for the student it is deducted', async () => {
    const c = await investigatingCase();
    const wrong = await investigate(c.caseId, c.body({ expenditures: [{ kind: 'schooling', monthlyFen: 20_000, memberIdNumber: c.head.idNumber }] }));
    expect(wrong.status).toBe(422);
    expect(wrong.type).toContain('application/problem+json');
    expect(wrong.body).toMatchObject({ rule: 'R-APP-05', errors: [{ path: 'expenditures[0].memberIdNumber', message: `a deduction for schooling belongs to a student: ${c.head.idNumber} is not` }] });
    expect((await view(c.caseId)).investigations).toEqual([]);
    // the same bill for the schoolchild: wages declared 50000 − schooling 20000 = 30000 net
    const ok = await investigate(c.caseId, c.body({ incomes: [{ memberIdNumber: c.head.idNumber, monthlyFen: 50_000, source: 'wages' }], expenditures: [{ kind: 'schooling', monthlyFen: 20_000, memberIdNumber: c.child.idNumber }] }));
    expect(ok.status).toBe(200);
    expect(ok.body.accounting).toMatchObject({ deductionsFen: { schooling: 20_000 }, netMonthlyFen: 30_000, maxMonthlyFen: 150_000 });
  });

  // limit: 60000 × depositLimitMonths 24 = 1,440,000 a member, 4,320,000 for three
  it('R-APP-05: When the verified deposits (1,000,000) and the assets posted in the investigation reach the accounting, then the property test counts them: 2,000,000 counted + 500,000 exempt passes, 3,400,000 counted fails', async () => {
    const assets = (vehicleFen: number) => [
      { kind: 'vehicle', description: '二手面包车一辆', valueFen: vehicleFen },
      { kind: 'farm_machinery', description: '小型拖拉机', valueFen: 500_000, exempt: true, exemptReason: '务农必需的生产工具' },
    ];
    const passes = await investigatingCase({ depositsFen: 1_000_000 });
    const p = await investigate(passes.caseId, passes.body({ assets: assets(2_000_000) }));
    expect(p.status).toBe(200);
    const property = { depositsFen: 1_000_000, exemptedDepositsFen: 0, assetsCountedFen: 2_000_000, assetsExemptFen: 500_000, propertyFen: 3_000_000 };
    expect((await view(passes.caseId)).accounting).toMatchObject({ property, depositLimitPerCapitaFen: 1_440_000, passesPropertyTest: true, eligibleWhole: true, maxMonthlyFen: 180_000 });

    // 1,000,000 + 3,400,000 = 4,400,000 > 4,320,000: not eligible, whatever the income
    const fails = await investigatingCase({ depositsFen: 1_000_000 });
    const f = await investigate(fails.caseId, fails.body({ assets: assets(3_400_000) }));
    expect(f.status).toBe(200);
    expect((await view(fails.caseId)).accounting).toMatchObject({ property: { ...property, assetsCountedFen: 3_400_000, propertyFen: 4_400_000 }, passesPropertyTest: false, eligibleWhole: false, maxMonthlyFen: 0 });
  });
});
