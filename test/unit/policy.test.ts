// R-POL: policy profiles inherited national → province → city → county, merged key by key.
// Pure logic: no database, no Temporal.
import national from '../../prisma/seed/national-policy.json';
import { mergePolicy, type PolicyParams } from '../../workflows/rules/policy';
import { NATIONAL, policyLevels } from '../../activities/policy';

describe('mergePolicy', () => {
  it('R-POL: merges objects key by key, at every depth', () => {
    const base = { a: 1, nested: { x: 1, y: 2, deeper: { p: 'p', q: 'q' } } };
    const merged = mergePolicy(base, { nested: { y: 3, deeper: { q: 'Q' } } });
    expect(merged).toEqual({ a: 1, nested: { x: 1, y: 3, deeper: { p: 'p', q: 'Q' } } });
  });

  it('R-POL: replaces arrays and numbers instead of merging them', () => {
    const merged = mergePolicy({ grades: [1, 2], days: 30, tiers: [{ upToFen: 1, ratioBp: 1 }, { upToFen: null, ratioBp: 2 }] }, { grades: [1], days: 45, tiers: [{ upToFen: null, ratioBp: 9 }] });
    // an array is not merged index by index: [1, 2] + [1] is [1], not [1, 2]
    expect(merged).toEqual({ grades: [1], days: 45, tiers: [{ upToFen: null, ratioBp: 9 }] });
  });

  it('R-POL: ignores undefined in an override, but applies null, 0 and false', () => {
    const base = { a: 1, b: 2, c: 3, d: true, s: { rural: 60000, urban: 80000 } };
    const merged = mergePolicy(base, { a: undefined, b: 0, c: null, d: false, s: { rural: undefined, urban: null } });
    expect(merged).toEqual({ a: 1, b: 0, c: null, d: false, s: { rural: 60000, urban: null } });
  });

  it('R-POL: an undefined or missing override leaves the base as it is', () => {
    const base = { a: 1, s: { x: 1 } };
    expect(mergePolicy(base, undefined)).toEqual({ a: 1, s: { x: 1 } });
    expect(mergePolicy(base, {})).toEqual({ a: 1, s: { x: 1 } });
  });

  it('R-POL: does not modify the base profile', () => {
    const base = { a: 1, s: { x: 1, y: 2 } };
    mergePolicy(base, { a: 2, s: { x: 9 } });
    expect(base).toEqual({ a: 1, s: { x: 1, y: 2 } });
  });

  it('R-POL: national → province → county: each level overrides only the keys it sets', () => {
    // resolvePolicy starts from {} and merges the profiles most general first
    let p: unknown = {};
    p = mergePolicy(p, national.params);
    // province 14 (山西) sets its rural standard and a stricter illness table
    p = mergePolicy(p, { dibaoStandardFen: { rural: 60000 }, deductions: { illness: [{ upToFen: null, ratioBp: 5000 }] } });
    // county 140521 sets its urban standard and a shorter decision period
    p = mergePolicy(p, { dibaoStandardFen: { urban: 80000 }, decisionWorkingDays: 20 });
    const params = p as PolicyParams;
    expect(params.dibaoStandardFen).toEqual({ urban: 80000, rural: 60000 });
    expect(params.deductions.illness).toEqual([{ upToFen: null, ratioBp: 5000 }]);
    // untouched by the province: the national disability and schooling tables
    expect(params.deductions.disability).toEqual([
      { upToFen: 30000, ratioBp: 10000 },
      { upToFen: 100000, ratioBp: 7000 },
      { upToFen: null, ratioBp: 5000 },
    ]);
    expect(params.deductions.schooling).toEqual([
      { upToFen: 30000, ratioBp: 10000 },
      { upToFen: null, ratioBp: 5000 },
    ]);
    expect(params.decisionWorkingDays).toBe(20);
    expect(params.extendedWorkingDays).toBe(45); // national
    expect(params.tekunStandardFen).toEqual({ urban: null, rural: null }); // nobody set it
    expect(params.requiredMaterials.TEKUN).toEqual(['application_form', 'id_documents', 'incapacity_evidence', 'applicant_pledge']);
  });
});

describe('policyLevels', () => {
  it('R-POL: a 12-digit village code inherits national, province, city and county profiles', () => {
    // 140521 100 200: province 14, city 1405, county 140521 (township and village set no policy)
    expect(policyLevels('140521100200')).toEqual(['', '14', '1405', '140521']);
    expect(NATIONAL).toBe('');
  });

  it('R-POL: a 9-digit township code has the same levels as its county', () => {
    expect(policyLevels('140521100')).toEqual(['', '14', '1405', '140521']);
  });

  it('R-POL: shorter codes stop at their own level', () => {
    expect(policyLevels('140521')).toEqual(['', '14', '1405', '140521']);
    expect(policyLevels('1405')).toEqual(['', '14', '1405']);
    expect(policyLevels('14')).toEqual(['', '14']);
    expect(policyLevels('')).toEqual(['']);
  });
});
