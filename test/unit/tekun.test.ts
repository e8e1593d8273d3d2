// TEKUN (特困人员救助供养): categories, no able and earning legal supporter (or a finding that they cannot
// fulfil the duty), and the amount basic living standard + care standard by self-care grade. Pure logic:
// no database, no Temporal. TEKUN has no rule ID of its own in DOMAIN.md: its accounting is R-APP-05.
import { account, coverage, type AccountingInput } from '../../workflows/rules/accounting';
import { checkDigit } from '../../workflows/rules/id-number';
import { earning, findings, input, member, policy, report } from '../helpers/accounting-fixtures';

// on 2026-06-01, rural: 特困 basic 78000; care 全自理 8000, 半护理 25000, 全护理 50000;
// own income must be below the 低保 standard 60000; a supporter earns at least 60000.
const tekun = (i: Partial<AccountingInput> & Pick<AccountingInput, 'members'>) => account(input({ programme: 'TEKUN', ...i }));
const id = (first17: string) => first17 + checkDigit(first17);

describe('TEKUN categories and care grades (R-APP-05)', () => {
  // Every member is unrelated to the applicant (relation 'other') and there is no obligor: nobody is a legal supporter.
  const members = [
    member('T-E60', '1966-06-01'), // 60 today (2026 − 1966, birthday reached) → elderly ✓
    member('T-E59', '1966-06-02'), // 59 (birthday tomorrow) ✗
    member('T-M15', '2010-06-02'), // 15 (16 tomorrow) → minor ✓
    member('T-M16', '2010-06-01'), // 16 today ✗
    member('T-D2', '1980-01-01', { disabilityGrade: 2, ableToWork: false }), // 46, grade 2 severe ✓
    member('T-D3', '1980-01-01', { disabilityGrade: 3, ableToWork: false }), // grade 3 not severe ✗
    member('T-ABLE', '1950-01-01', { ableToWork: true }), // 76 but able to work ✗
    member('T-ATSTD', '1950-01-01'), // own pension 60000, not below 60000 ✗
    member('T-BELOW', '1950-01-01'), // own pension 59999 < 60000 ✓
  ];
  const all = members.map((m) => m.idNumber);
  const pension = (who: string, monthlyFen: number) => findings(who, { incomes: [{ source: 'pension', monthlyFen }] });
  const careGrades: AccountingInput['careGrades'] = [
    { memberIdNumber: 'T-E60', grade: 'self_care' }, // 78000 + 8000 = 86000
    { memberIdNumber: 'T-M15', grade: 'full_care' }, // 78000 + 50000 = 128000
    { memberIdNumber: 'T-D2', grade: 'partial_care' }, // 78000 + 25000 = 103000
    { memberIdNumber: 'T-BELOW', grade: 'self_care' }, // 86000
    { memberIdNumber: 'T-E59', grade: 'full_care' }, // assessed, but not in a category
  ];
  const a = (grades = careGrades) => tekun({ members, careGrades: grades, report: report([pension('T-ATSTD', 60000), pension('T-BELOW', 59999)]) });

  it('R-APP-05: TEKUN persons are ≥ 60, < 16 or severely disabled, not able to work, own income below the 低保 standard, with no supporter', () => {
    expect(a().tekunSupporters).toEqual([]);
    expect(a().tekunPersons).toEqual(['T-E60', 'T-M15', 'T-D2', 'T-BELOW']);
  });

  it('R-APP-05: each TEKUN person gets the basic living standard plus the care standard of their grade', () => {
    expect(a().tekunAmounts).toEqual([
      { idNumber: 'T-E60', careGrade: 'self_care', basicFen: 78000, careFen: 8000, monthlyFen: 86000 },
      { idNumber: 'T-M15', careGrade: 'full_care', basicFen: 78000, careFen: 50000, monthlyFen: 128000 },
      { idNumber: 'T-D2', careGrade: 'partial_care', basicFen: 78000, careFen: 25000, monthlyFen: 103000 },
      { idNumber: 'T-BELOW', careGrade: 'self_care', basicFen: 78000, careFen: 8000, monthlyFen: 86000 },
    ]);
    // 86000 + 128000 + 103000 + 86000 = 403000
    expect(a().maxMonthlyFen).toBe(403000);
    expect(coverage('TEKUN', a(), all)).toMatchObject({ ok: true, coveredMembers: ['T-E60', 'T-M15', 'T-D2', 'T-BELOW'], maxMonthlyFen: 403000 });
  });

  it('R-APP-05: TEKUN may cover one qualifying person, at that person\'s basic + care standard', () => {
    expect(coverage('TEKUN', a(), all, ['T-M15'])).toEqual({
      ok: true,
      coveredMembers: ['T-M15'],
      singlePerson: false,
      maxMonthlyFen: 128000,
      perMember: [{ idNumber: 'T-M15', monthlyFen: 128000 }],
    });
  });

  it('R-APP-05: TEKUN refuses a person who does not qualify', () => {
    const c = coverage('TEKUN', a(), all, ['T-E60', 'T-E59']);
    expect(c.ok === false && c.rule).toBe('R-APP-05');
  });

  it('R-APP-05: a qualifying person whose self-care grade is not assessed is not covered yet', () => {
    const without = a(careGrades!.filter((g) => g.memberIdNumber !== 'T-D2'));
    expect(without.tekunPersons).toEqual(['T-E60', 'T-M15', 'T-BELOW']);
    expect(without.reasons).toContain('the self-care grade of T-D2 is not assessed');
    expect(coverage('TEKUN', without, all, ['T-D2']).ok).toBe(false);
  });

  it('R-APP-05: an urban TEKUN person gets the urban standards', () => {
    // 104000 + 全护理 60000 = 164000
    const u = tekun({ residence: 'urban', members: [member('U-1', '1940-01-01')], careGrades: [{ memberIdNumber: 'U-1', grade: 'full_care' }] });
    expect(u.maxMonthlyFen).toBe(164000);
  });

  it('R-APP-05: refuses to account a TEKUN amount without the care standard of the grade', () => {
    const p = { ...policy, tekunCareStandardFen: { ...policy.tekunCareStandardFen, rural: { ...policy.tekunCareStandardFen.rural, partial_care: null } } };
    expect(() => tekun({ policy: p, members: [member('U-1', '1940-01-01')], careGrades: [{ memberIdNumber: 'U-1', grade: 'partial_care' }] })).toThrow(
      'no rural 特困 care standard for partial_care',
    );
  });

  it('R-APP-05: TEKUN refuses a household where nobody qualifies', () => {
    const none = tekun({ members: [member('T-X', '1980-01-01', { ableToWork: true })] });
    expect(none.tekunPersons).toEqual([]);
    expect(none.maxMonthlyFen).toBe(0);
    expect(none.reasons).toContain('no member meets the 特困 conditions');
    expect(coverage('TEKUN', none, ['T-X']).ok).toBe(false);
  });

  it('R-APP-05: TEKUN persons must pass the property test too', () => {
    // one person, deposits 1,440,001 > 60000 × 24 = 1,440,000
    const rich = tekun({ members: [member('T-R', '1940-01-01')], careGrades: [{ memberIdNumber: 'T-R', grade: 'self_care' }], report: report([findings('T-R', { depositsFen: 1_440_001 })]) });
    expect(rich.passesPropertyTest).toBe(false);
    expect(rich.tekunPersons).toEqual([]);
  });
});

describe('TEKUN: no able, earning legal supporter (R-APP-05, R-APP-03 obligors)', () => {
  // A grandfather G (76, 半护理: 78000 + 25000 = 103000) applies.
  const G = member('G-1', '1950-03-03', { relation: 'self' });
  const grade: AccountingInput['careGrades'] = [{ memberIdNumber: 'G-1', grade: 'partial_care' }];
  const daughter = id('14052119780505002'); // an obligor born 1978-05-05, living elsewhere
  const grandson = id('14052120120909001'); // an obligor born 2012-09-09: 13, under working age

  it('R-APP-05: refuses a grandfather living with a son who earns 5,000 yuan a month', () => {
    const son = member('S-1', '1980-01-01', { relation: 'child', ableToWork: true });
    const a = tekun({ members: [G, son], careGrades: grade, report: report([earning('S-1', 500000)]) });
    expect(a.tekunSupporters).toEqual([{ idNumber: 'S-1', role: 'member', monthlyFen: 500000, foundUnable: false }]);
    expect(a.tekunPersons).toEqual([]);
    expect(a.reasons[0]).toBe('S-1 (member) is an able, earning legal supporter (500000 fen a month) and no finding says they cannot fulfil the duty');
    expect(coverage('TEKUN', a, ['G-1', 'S-1'], ['G-1']).ok).toBe(false);
  });

  it('R-APP-05: a recorded finding that the son cannot fulfil the duty lets the grandfather qualify', () => {
    const son = member('S-1', '1980-01-01', { relation: 'child', ableToWork: true });
    const finding = { supporterIdNumber: 'S-1', reason: 'his wages are garnished in full by a court order', evidence: '(2026)晋0521执12号' };
    const a = tekun({ members: [G, son], careGrades: grade, report: report([earning('S-1', 500000)]), supporterFindings: [finding] });
    expect(a.tekunSupporters).toEqual([{ idNumber: 'S-1', role: 'member', monthlyFen: 500000, foundUnable: true }]);
    expect(a.tekunPersons).toEqual(['G-1']);
    expect(a.maxMonthlyFen).toBe(103000);
  });

  it.each([
    { label: 'a daughter earning 100000', subjects: [findings(daughter, { role: 'obligor', incomes: [{ source: 'wages', monthlyFen: 100000 }] })], bound: [daughter], refused: true },
    { label: 'a daughter earning 59999 (below the 低保 standard)', subjects: [findings(daughter, { role: 'obligor', incomes: [{ source: 'wages', monthlyFen: 59999 }] })], bound: [], refused: false },
    { label: 'a grandson of 13 with rent of 100000 (under working age)', subjects: [findings(grandson, { role: 'obligor', incomes: [{ source: 'rent', monthlyFen: 100000 }] })], bound: [], refused: false },
  ])('R-APP-05: with $label as the only obligor, the grandfather is refused: $refused', ({ subjects, bound, refused }) => {
    const a = tekun({ members: [G], careGrades: grade, report: report(subjects) });
    expect(a.tekunSupporters.map((s) => s.idNumber)).toEqual(bound);
    expect(a.tekunPersons).toEqual(refused ? [] : ['G-1']);
  });

  it.each([
    ['severely disabled', { disabilityGrade: 1 as const }],
    ['unable to work', { ableToWork: false }],
    ['an unrelated lodger', { relation: 'other' as const }],
  ])('R-APP-05: a member earning 70000 who is %s is not an able legal supporter', (_label, m) => {
    const other = member('S-2', '1985-01-01', { relation: 'child', ...m });
    const a = tekun({ members: [G, other], careGrades: grade, report: report([earning('S-2', 70000)]) });
    expect(a.tekunSupporters).toEqual([]);
    expect(a.tekunPersons).toEqual(['G-1']);
  });

  it('R-APP-05: refuses a finding about a person who is neither a member nor a verified obligor, naming the field', () => {
    const a = tekun({ members: [G], careGrades: grade, supporterFindings: [{ supporterIdNumber: daughter, reason: 'abroad' }] });
    expect(a.refused.map((r) => r.path)).toEqual(['supporterFindings[0].supporterIdNumber']);
  });
});
