// R-POL bounds: procedural safeguards may be tightened, never loosened; a county's standards are never
// below its province's. Checked when a profile is loaded and when a case resolves its policy.
// Pure logic: no database, no Temporal (checkNewProfile reads its rows from a plain list here).
import national from '../../prisma/seed/national-policy.json';
import demo from '../../prisma/seed/demo.json';
import { checkNewProfile, resolveFromRows, type ProfileRow } from '../../activities/policy';
import { policyBoundIssues, policyParamsSchema } from '../../activities/policy-schema';
import type { Prisma } from '../../activities/db';

const row = (jurisdiction: string, effectiveFrom: string, params: unknown): ProfileRow => ({ jurisdiction, effectiveFrom: new Date(`${effectiveFrom}T00:00:00Z`), params });
const nationalRow = row('', national.effectiveFrom, national.params);
const paths = (issues: { path: string }[]) => issues.map((i) => i.path);

describe('national defaults', () => {
  it('R-POL: the national profile is within every bound', () => {
    expect(policyBoundIssues(national.params)).toEqual([]);
  });

  it('R-APP-07: the near-threshold multiple defaults to 1.5', () => {
    expect(national.params.edgeIncomeMultiple).toBe(1.5);
  });

  it('R-APP-12: a paper application may be received at most 90 calendar days before its entry by default', () => {
    expect(national.params.receivedOnMaxDays).toBe(90);
  });

  it('R-APP-10: three publicity rounds by default before the county decides over the objections', () => {
    expect(national.params.maxPublicityRounds).toBe(3);
  });

  it('R-APP-17: the pledge is a required material, and each verified person gives an authorisation', () => {
    expect(national.params.requiredMaterials.DIBAO).toContain('applicant_pledge');
    expect(national.params.requiredMaterials.TEKUN).toContain('applicant_pledge');
    expect(national.params.perVerifiedPersonMaterials).toEqual(['verification_authorization']);
  });
});

describe('policyBoundIssues: a profile that loosens a safeguard is refused, naming the field', () => {
  it.each([
    ['R-APP-11', 'minApprovers', 1],
    ['R-APP-04', 'minInvestigators', 1],
    ['R-APP-10', 'publicityDays', 6.9],
    ['R-APP-12', 'decisionWorkingDays', 31],
    ['R-APP-12', 'extendedWorkingDays', 46],
    ['R-APP-07', 'edgeIncomeMultiple', 2.01],
    ['R-APP-10', 'maxPublicityRounds', 0],
    ['R-APP-10', 'maxPublicityRounds', 6],
    ['R-APP-10', 'maxPublicityRounds', 1.5],
    ['R-APP-13', 'appealReconsiderationDays', 59],
    ['R-APP-13', 'appealLitigationMonths', 5],
    ['R-APP-10', 'publicityChannels', []],
    ['R-REV-03', 'changeReportDayOfMonth', 21],
    ['R-REV-03', 'changeCheckDayOfMonth', 32],
    ['R-REV-03', 'changeCheckDayOfMonth', 19],
  ])('%s: %s = %p is refused', (_rule, field, value) => {
    expect(paths(policyBoundIssues({ ...national.params, [field]: value }))).toEqual([field]);
  });

  it.each([
    ['R-APP-11', 'minApprovers', 3],
    ['R-REV-03', 'changeReportDayOfMonth', 15],
    ['R-APP-10', 'publicityDays', 10],
    ['R-APP-12', 'decisionWorkingDays', 20],
    ['R-APP-07', 'edgeIncomeMultiple', 2],
    ['R-APP-10', 'maxPublicityRounds', 1],
    ['R-APP-10', 'maxPublicityRounds', 5],
  ])('%s: %s = %p tightens or stays within the bound and is accepted', (_rule, field, value) => {
    expect(policyBoundIssues({ ...national.params, [field]: value })).toEqual([]);
  });

  it('R-APP-10: a jurisdiction flagged as a training one may shorten publicity', () => {
    expect(policyBoundIssues({ ...national.params, publicityDays: 0.0014, trainingJurisdiction: true })).toEqual([]);
  });

  it('R-POL: the shape refuses the same profile through policyParamsSchema', () => {
    const r = policyParamsSchema.safeParse({ ...national.params, minApprovers: 1 });
    expect(r.success).toBe(false);
  });
});

describe('resolveFromRows: standards against the province', () => {
  const province = row('14', '2026-01-01', { dibaoStandardFen: { rural: 60000 }, tekunCareStandardFen: { rural: { full_care: 50000 } } });

  it('R-POL: a county standard below its province\'s guidance is refused, naming the field', () => {
    const county = row('140521', '2026-07-01', { dibaoStandardFen: { rural: 59999, urban: 80000 }, tekunCareStandardFen: { rural: { full_care: 49999 } } });
    const r = resolveFromRows([nationalRow, province, county], '140521100201', '2026-08-01');
    expect(paths(r.issues)).toEqual(['dibaoStandardFen.rural', 'tekunCareStandardFen.rural.full_care']);
    expect(r.issues[0].message).toBe("59999 is below the province's 60000 fen (seed 000 四, R-POL)");
  });

  it('R-POL: a county at or above its province\'s standards resolves, and before the county profile the province\'s apply', () => {
    const county = row('140521', '2026-07-01', { dibaoStandardFen: { rural: 60000, urban: 80000 } });
    expect(resolveFromRows([nationalRow, province, county], '140521', '2026-08-01').issues).toEqual([]);
    expect(resolveFromRows([nationalRow, province, county], '140521', '2026-06-30').sources).toEqual(['national@2020-01-01', '14@2026-01-01']);
  });

  it('R-APP-10: the demonstration county 140599 is flagged training and keeps its two-minute publicity; its neighbour 140521 could not', () => {
    const rows = [nationalRow, ...demo.policies.map((p) => row(p.jurisdiction, p.effectiveFrom, p.params))];
    expect(resolveFromRows(rows, '140599100201', '2026-11-25').issues).toEqual([]);
    const copied = [...rows, row('140521', '2026-01-01', { publicityDays: 0.0014 })];
    expect(paths(resolveFromRows(copied, '140521', '2026-11-25').issues)).toEqual(['publicityDays']);
  });
});

describe('checkNewProfile: refused when loaded', () => {
  // the stored profiles, read through the one query checkNewProfile makes
  const stored = (rows: ProfileRow[]) => ({ policyProfile: { findMany: async () => rows } }) as unknown as Prisma;
  const province = row('14', '2026-01-01', { dibaoStandardFen: { rural: 60000 } });
  const county = row('140521', '2026-07-01', { dibaoStandardFen: { rural: 65000 } });

  it('R-POL: a province raising its standard above a county\'s refuses, naming the county and the date', async () => {
    const issues = await checkNewProfile(stored([nationalRow, province, county]), row('14', '2026-09-01', { dibaoStandardFen: { rural: 70000 } }));
    expect(issues).toEqual([{ path: 'dibaoStandardFen.rural', message: "65000 is below the province's 70000 fen (seed 000 四, R-POL) (in force for 140521 from 2026-09-01)" }]);
  });

  it('R-APP-11: a county profile with minApprovers 1 is refused before it is written', async () => {
    expect(paths(await checkNewProfile(stored([nationalRow, province]), row('140521', '2026-09-01', { minApprovers: 1 })))).toEqual(['minApprovers']);
  });

  it('R-APP-10: a county profile allowing 6 publicity rounds (or none) is refused before it is written', async () => {
    expect(paths(await checkNewProfile(stored([nationalRow, province]), row('140521', '2026-09-01', { maxPublicityRounds: 6 })))).toEqual(['maxPublicityRounds']);
    expect(paths(await checkNewProfile(stored([nationalRow, province]), row('140521', '2026-09-01', { maxPublicityRounds: 0 })))).toEqual(['maxPublicityRounds']);
  });

  it('R-POL: a profile within the bounds is accepted', async () => {
    expect(await checkNewProfile(stored([nationalRow, province, county]), row('140521', '2026-09-01', { dibaoStandardFen: { rural: 60000 }, publicityDays: 10 }))).toEqual([]);
  });
});
