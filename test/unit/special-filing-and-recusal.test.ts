// R-APP-08 special-circumstance filing, R-APP-09 recusal (R-REL-02 near relatives), R-REV-01 review
// cadence. Pure logic: no database, no Temporal.
import national from '../../prisma/seed/national-policy.json';
import { specialFilingReasons } from '../../workflows/rules/special-filing';
import { declaredRelations, NEAR_RELATIONS, recused, type StaffRelation } from '../../workflows/rules/recusal';
import { reviewClass, REVIEW_CLASS_MONTHS } from '../../workflows/rules/review-class';
import type { PolicyParams } from '../../workflows/rules/policy';
import type { Member, NearRelativeDeclaration, SubjectFindings, VerificationReport } from '../../workflows/rules/types';
import { emptyFindings } from '../../activities/verification/protocol';

function findings(idNumber: string, f: Partial<SubjectFindings> = {}): SubjectFindings {
  return { ...emptyFindings(idNumber, 'member'), ...f };
}
const report = (subjects: SubjectFindings[]): VerificationReport => ({ checkId: 'chk-1', completedAt: '2026-09-25T08:00:00Z', subjects });
const noRelatives: NearRelativeDeclaration = { hasStaffRelatives: false };
const sorted = (xs: string[]) => [...xs].sort();

describe('specialFilingReasons (R-APP-08)', () => {
  it('R-APP-08: an ordinary household needs no special filing', () => {
    const r = report([
      findings('m1', {
        realEstate: [{ kind: 'residential', areaM2: 80 }, { kind: 'rural_homestead', areaM2: 120 }],
        vehicles: [{ kind: 'production', valueFen: 3_000_000 }], // a tractor: production property
      }),
    ]);
    expect(specialFilingReasons(noRelatives, [], r)).toEqual([]);
    expect(specialFilingReasons(noRelatives, [], undefined)).toEqual([]);
  });

  it('R-APP-08: a declared near relative among staff is filed', () => {
    const d: NearRelativeDeclaration = { hasStaffRelatives: true, relations: [{ memberIdNumber: 'm1', staffId: 's1', relation: 'sibling' }] };
    expect(specialFilingReasons(d, [], undefined)).toEqual(['staff_near_relative']);
  });

  it('R-APP-08: a near relative found in the staff register is filed even when the applicant declared none', () => {
    const reg: StaffRelation[] = [{ staffId: 's2', memberIdNumber: 'm1', relation: 'cousin', source: 'register' }];
    expect(specialFilingReasons(noRelatives, reg, report([]))).toEqual(['staff_near_relative']);
  });

  it.each([
    ['public_employee_relative', { publicEmployeeRelatives: [{ name: '王五', relation: 'child', employer: '阳城县教育局' }] }],
    ['commercial_housing', { realEstate: [{ kind: 'commercial' as const, areaM2: 40 }] }],
    ['consumer_vehicle', { vehicles: [{ kind: 'consumer' as const, plate: '晋E12345', valueFen: 8_000_000 }] }],
    ['business_registration', { businesses: [{ name: '阳城县某某小卖部', registeredCapitalFen: 1_000_000 }] }],
  ])('R-APP-08: a household member with %s is filed', (reason, f) => {
    expect(specialFilingReasons(noRelatives, [], report([findings('m1'), findings('m2', f)]))).toEqual([reason]);
  });

  it('R-APP-08: every reason is listed once, however many members have it', () => {
    const d: NearRelativeDeclaration = { hasStaffRelatives: true, relations: [{ memberIdNumber: 'm1', staffId: 's1', relation: 'spouse_parent' }] };
    const r = report([
      findings('m1', { vehicles: [{ kind: 'consumer', valueFen: 1 }], businesses: [{ name: 'a', registeredCapitalFen: 1 }] }),
      findings('m2', { vehicles: [{ kind: 'consumer', valueFen: 2 }], realEstate: [{ kind: 'commercial', areaM2: 1 }] }),
      findings('m3', { publicEmployeeRelatives: [{ name: 'x', relation: 'sibling', employer: 'y' }] }),
    ]);
    expect(sorted(specialFilingReasons(d, [], r))).toEqual(
      sorted(['staff_near_relative', 'consumer_vehicle', 'business_registration', 'commercial_housing', 'public_employee_relative']),
    );
  });

  it("R-APP-08: an obligor's own car, shop or flat does not make the household a special case", () => {
    const r = report([
      findings('m1'),
      findings('o1', {
        role: 'obligor',
        vehicles: [{ kind: 'consumer', valueFen: 20_000_000 }],
        realEstate: [{ kind: 'commercial', areaM2: 100 }],
        businesses: [{ name: 'b', registeredCapitalFen: 1 }],
      }),
    ]);
    expect(specialFilingReasons(noRelatives, [], r)).toEqual([]);
  });
});

describe('recusal (R-APP-09, R-REL-02)', () => {
  it('R-APP-09: the near-relative list is exactly R-REL-02', () => {
    // spouse, parents, children, siblings, grandparents, grandchildren; uncles/aunts, cousins, nephews/nieces;
    // spouse's parents, spouse's siblings and their spouses; children's spouses and their parents: 14 relations
    expect(sorted([...NEAR_RELATIONS])).toEqual(
      sorted([
        'spouse', 'parent', 'child', 'sibling', 'grandparent', 'grandchild',
        'uncle_aunt', 'cousin', 'nephew_niece',
        'spouse_parent', 'spouse_sibling', 'spouse_sibling_spouse', 'child_spouse', 'child_spouse_parent',
      ]),
    );
  });

  it('R-APP-09: declared relations are marked as coming from the declaration', () => {
    const d: NearRelativeDeclaration = { hasStaffRelatives: true, relations: [{ memberIdNumber: 'm1', staffId: 's1', relation: 'sibling' }] };
    expect(declaredRelations(d)).toEqual([{ memberIdNumber: 'm1', staffId: 's1', relation: 'sibling', source: 'declaration' }]);
    expect(declaredRelations(noRelatives)).toEqual([]);
  });

  it('R-APP-09: a staff member with a near relative in the household steps aside; others do not', () => {
    const relations: StaffRelation[] = [
      { staffId: 's2', memberIdNumber: 'm1', relation: 'sibling', source: 'declaration' },
      { staffId: 's9', memberIdNumber: 'm2', relation: 'cousin', source: 'register' },
    ];
    const r = recused(['s1', 's2', 's3'], relations);
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ staffId: 's2', memberIdNumber: 'm1', relation: 'sibling' });
  });

  it('R-APP-09: a relation from the staff register recuses as well as a declared one', () => {
    const relations: StaffRelation[] = [{ staffId: 's3', memberIdNumber: 'm2', relation: 'nephew_niece', source: 'register' }];
    expect(recused(['s3'], relations).map((x) => x.staffId)).toEqual(['s3']);
  });

  it('R-APP-09: a staff member related to several members is listed once, with the first relation', () => {
    const relations: StaffRelation[] = [
      { staffId: 's2', memberIdNumber: 'm1', relation: 'sibling', source: 'declaration' },
      { staffId: 's2', memberIdNumber: 'm2', relation: 'nephew_niece', source: 'register' },
    ];
    const r = recused(['s2'], relations);
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ staffId: 's2', memberIdNumber: 'm1', relation: 'sibling' });
  });

  it('R-APP-09: with no relations nobody is recused', () => {
    expect(recused(['s1', 's2'], [])).toEqual([]);
  });
});

describe('reviewClass (R-REV-01)', () => {
  const policy = national.params as PolicyParams; // working age 16 ≤ age < 60
  const on = '2026-06-01';
  const m = (birthDate: string, x: Partial<Member> = {}): Member => ({ name: 'n', idNumber: birthDate, relation: 'other', birthDate, ...x });

  it('R-REV-01: the review intervals are 12, 6 and 3 months', () => {
    expect(REVIEW_CLASS_MONTHS).toEqual({ annual: 12, semiannual: 6, quarterly: 3 });
  });

  it('R-REV-01: TEKUN is reviewed annually, even with a member able to work', () => {
    expect(reviewClass('TEKUN', [m('1986-01-01', { ableToWork: true })], policy, on)).toBe('annual');
  });

  it('R-REV-01: a working-age member able to work means irregular income: quarterly', () => {
    // 1986-01-01 → 40 on 2026-06-01
    expect(reviewClass('DIBAO', [m('1950-01-01'), m('1986-01-01', { ableToWork: true })], policy, on)).toBe('quarterly');
  });

  it('R-REV-01: only elderly members and children: stable, annually', () => {
    // 76 and 10
    expect(reviewClass('DIBAO', [m('1950-01-01'), m('2016-01-01')], policy, on)).toBe('annual');
  });

  it('R-REV-01: working-age members who cannot earn (severely ill, grade 1–2 disability): annually', () => {
    expect(reviewClass('DIBAO', [m('1986-01-01', { severeIllness: true }), m('1980-01-01', { disabilityGrade: 2 })], policy, on)).toBe('annual');
  });

  it('R-REV-01: a working-age member not marked able to work, without severe illness or disability: every 6 months', () => {
    expect(reviewClass('DIBAO', [m('1950-01-01'), m('1986-01-01')], policy, on)).toBe('semiannual');
    expect(reviewClass('DIBAO', [m('1986-01-01', { disabilityGrade: 3, ableToWork: false })], policy, on)).toBe('semiannual');
  });

  it('R-REV-01: working age ends at 60 and starts at 16 (birthdays on the review date)', () => {
    // 1966-06-01 → exactly 60: not working age; 1966-06-02 → 59: working age
    expect(reviewClass('DIBAO', [m('1966-06-01', { ableToWork: true })], policy, on)).toBe('annual');
    expect(reviewClass('DIBAO', [m('1966-06-02', { ableToWork: true })], policy, on)).toBe('quarterly');
    // 2010-06-01 → exactly 16: working age; 2010-06-02 → 15: not
    expect(reviewClass('DIBAO', [m('2010-06-01', { ableToWork: true })], policy, on)).toBe('quarterly');
    expect(reviewClass('DIBAO', [m('2010-06-02', { ableToWork: true })], policy, on)).toBe('annual');
  });

  it('R-REV-01: the severe disability grades come from the policy (R-POL), not from code', () => {
    // A county that counts only grade 1 as severe (severeDisabilityGrades [1]): a working-age member with
    // grade 2 is then not severely disabled, so the household has a working-age member who is neither
    // severe nor able to work → every 6 months, as for grade 3 under the national default.
    const gradeOneOnly: PolicyParams = { ...policy, severeDisabilityGrades: [1] };
    expect(reviewClass('DIBAO', [m('1980-01-01', { disabilityGrade: 2 })], gradeOneOnly, on)).toBe('semiannual');
  });
});
