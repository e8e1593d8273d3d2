// TEKUN (特困人员救助供养, DOMAIN.md Programmes): a person elderly, severely disabled or a minor, unable to
// work, without income, and with no able, earning legal supporter among the members or the verified
// obligors (R-APP-03) unless a finding records that they cannot fulfil the duty (社会救助暂行办法 第十四条).
// Amount: basic living standard + care standard by self-care grade (全自理/半护理/全护理).
import type { Refusal } from './deductions';
import type { MemberIncome } from './income';
import type { PolicyParams } from './policy';
import type { CareGrade, Member, Residence, VerificationReport } from './types';
import { ageOn } from './dates';
import { checkIdNumber } from './id-number';

/** The investigation's finding that a supporter cannot fulfil the duty of support. */
export interface SupporterFinding {
  supporterIdNumber: string;
  reason: string;
  evidence?: string;
}

/** The self-care grade assessed for a TEKUN person. */
export interface CareAssessment {
  memberIdNumber: string;
  grade: CareGrade;
}

export interface Supporter {
  idNumber: string;
  role: 'member' | 'obligor';
  monthlyFen: number;
  /** a finding records that this supporter cannot fulfil the duty */
  foundUnable: boolean;
}

export interface TekunAmount {
  idNumber: string;
  careGrade: CareGrade;
  basicFen: number;
  careFen: number;
  monthlyFen: number;
}

const severe = (m: Member, p: PolicyParams) => m.severeIllness === true || (m.disabilityGrade !== undefined && p.severeDisabilityGrades.includes(m.disabilityGrade));

/** The categories: elderly, a minor, or severely disabled; and not able to work. */
export function tekunCategory(m: Member, p: PolicyParams, on: string): boolean {
  const age = ageOn(m.birthDate, on);
  const category = age >= p.tekunElderlyAge || age < p.tekunMinorAge || (m.disabilityGrade !== undefined && p.severeDisabilityGrades.includes(m.disabilityGrade));
  return category && m.ableToWork !== true;
}

/**
 * Legal supporters able to support and earning: kin in the household (relation other than 'other') and
 * every verified obligor, of working age, not severely disabled or ill nor unable to work (members; the
 * verification says nothing of an obligor's health: a finding covers it), earning at least the 低保
 * standard (decision: what one earns below the subsistence line supports nobody else).
 */
export function ableEarningSupporters(
  members: Member[],
  incomes: MemberIncome[],
  report: VerificationReport,
  findings: SupporterFinding[],
  standardFen: number,
  p: PolicyParams,
  on: string,
): Supporter[] {
  const unable = new Set(findings.map((f) => f.supporterIdNumber));
  const ofAge = (birthDate: string | undefined) => birthDate === undefined || ageOn(birthDate, on) >= p.workingAgeFrom;
  const fromMembers = members
    .filter((m) => m.relation !== 'other' && ofAge(m.birthDate) && m.ableToWork !== false && !severe(m, p))
    .map((m) => ({ idNumber: m.idNumber, role: 'member' as const, monthlyFen: incomes.find((i) => i.idNumber === m.idNumber)?.countedFen ?? 0 }));
  const fromObligors = report.subjects
    .filter((s) => s.role === 'obligor')
    .filter((s) => {
      const id = checkIdNumber(s.idNumber);
      return ofAge(id.ok ? id.birthDate : undefined);
    })
    .map((s) => ({ idNumber: s.idNumber, role: 'obligor' as const, monthlyFen: s.incomes.reduce((a, i) => a + i.monthlyFen, 0) }));
  return [...fromMembers, ...fromObligors].filter((s) => s.monthlyFen >= standardFen).map((s) => ({ ...s, foundUnable: unable.has(s.idNumber) }));
}

export function refusedTekunInputs(members: Member[], report: VerificationReport, findings: SupporterFinding[], grades: CareAssessment[]): Refusal[] {
  const refused: Refusal[] = [];
  const people = new Set([...members.map((m) => m.idNumber), ...report.subjects.filter((s) => s.role === 'obligor').map((s) => s.idNumber)]);
  findings.forEach((f, i) => {
    if (!people.has(f.supporterIdNumber)) refused.push({ rule: 'R-APP-05', path: `supporterFindings[${i}].supporterIdNumber`, message: 'is neither a member nor a verified obligor' });
    if (!f.reason.trim()) refused.push({ rule: 'R-APP-05', path: `supporterFindings[${i}].reason`, message: 'a finding that a supporter cannot fulfil the duty needs its reason' });
  });
  grades.forEach((g, i) => {
    if (!members.some((m) => m.idNumber === g.memberIdNumber)) refused.push({ rule: 'R-APP-05', path: `careGrades[${i}].memberIdNumber`, message: 'is not a member of this household' });
    if (grades.findIndex((x) => x.memberIdNumber === g.memberIdNumber) !== i) refused.push({ rule: 'R-APP-05', path: `careGrades[${i}].memberIdNumber`, message: 'is assessed twice' });
  });
  return refused;
}

export function tekunAmount(idNumber: string, grade: CareGrade, residence: Residence, p: PolicyParams): TekunAmount {
  const basicFen = p.tekunStandardFen[residence];
  const careFen = p.tekunCareStandardFen[residence][grade];
  if (basicFen === null) throw new Error(`no ${residence} 特困 standard in the policy in force`);
  if (careFen === null) throw new Error(`no ${residence} 特困 care standard for ${grade} in the policy in force`);
  return { idNumber, careGrade: grade, basicFen, careFen, monthlyFen: basicFen + careFen };
}
