// R-DIR-01, R-DIR-02 as pure rules (workflows/rules/direct-payment.ts) and the funeral standard's R-POL bound.
import national from '../../prisma/seed/national-policy.json';
import { resolveFromRows, type ProfileRow } from '../../activities/policy';
import { medicalResidual, personRefusal, requestIssues } from '../../workflows/rules/direct-payment';

const row = (jurisdiction: string, effectiveFrom: string, params: unknown): ProfileRow => ({ jurisdiction, effectiveFrom: new Date(`${effectiveFrom}T00:00:00Z`), params });
const hospital = { type: 'hospital' };
const costs = { totalCostFen: 1_000_000, insurancePaidFen: 600_000, medicalAssistancePaidFen: 250_000 };
const tekun = { name: '孙老汉', householdId: 'H1', villageCode: '140599100201', programme: 'TEKUN', householdStatus: 'active', covered: true };

describe('R-DIR-02: medical costs', () => {
  it('R-DIR-02: the residual is what insurance and medical assistance left; the amount may equal it, never exceed it', () => {
    expect(medicalResidual(costs)).toBe(150_000);
    expect(requestIssues('medical', { payee: hospital, amountFen: 150_000, ...costs })).toEqual([]);
    expect(requestIssues('medical', { payee: hospital, amountFen: 150_001, ...costs })).toEqual([{ path: 'amountFen', message: expect.stringMatching(/residual 150000 fen/) }]);
  });

  it('R-DIR-02: the three figures are required, insurance and assistance never above the bill, and only a hospital is paid', () => {
    expect(requestIssues('medical', { payee: hospital, amountFen: 1 }).map((i) => i.path)).toEqual(['totalCostFen', 'insurancePaidFen', 'medicalAssistancePaidFen']);
    expect(requestIssues('medical', { payee: hospital, amountFen: 1, ...costs, insurancePaidFen: 800_000 }).map((i) => i.path)).toEqual(['insurancePaidFen']);
    expect(requestIssues('medical', { payee: { type: 'undertaker' }, amountFen: 1, ...costs }).map((i) => i.path)).toEqual(['payee.type']);
  });
});

describe('R-DIR-01: the funeral subsidy', () => {
  it('R-DIR-01: at most the policy’s funeralSubsidyFen (national default 300000), to an undertaker or the institution, with no medical figures', () => {
    const policy = { funeralSubsidyFen: national.params.funeralSubsidyFen };
    expect(policy.funeralSubsidyFen).toBe(300_000);
    expect(requestIssues('funeral', { payee: { type: 'institution' }, amountFen: 300_000 }, policy)).toEqual([]);
    expect(requestIssues('funeral', { payee: { type: 'undertaker' }, amountFen: 300_001 }, policy).map((i) => i.path)).toEqual(['amountFen']);
    expect(requestIssues('funeral', { payee: hospital, amountFen: 1, totalCostFen: 5 }, policy).map((i) => i.path)).toEqual(['payee.type', 'totalCostFen']);
  });

  it('R-POL: a county’s funeral standard below its province’s is refused, naming the field', () => {
    const r = resolveFromRows([row('', national.effectiveFrom, national.params), row('14', '2026-01-01', { funeralSubsidyFen: 400_000 }), row('140521', '2026-01-01', { funeralSubsidyFen: 350_000 })], '140521100201', '2026-03-01');
    expect(r.issues.map((i) => i.path)).toEqual(['funeralSubsidyFen']);
  });

  it('R-DIR-01, R-DTH-04: only a covered TEKUN recipient; a funeral only with a recorded death; medical only while supported', () => {
    expect(personRefusal('medical', tekun)).toBeUndefined();
    expect(personRefusal('medical', { ...tekun, programme: 'DIBAO' })).toMatch(/not a TEKUN/);
    expect(personRefusal('medical', { ...tekun, householdStatus: 'stopped' })).toMatch(/stopped/);
    expect(personRefusal('funeral', tekun)).toMatch(/no death is recorded/);
    expect(personRefusal('funeral', { ...tekun, householdStatus: 'stopped' }, '2026-02-20')).toBeUndefined();
    expect(personRefusal('funeral', null, '2026-02-20')).toMatch(/not a TEKUN/);
  });
});
