// R-APP-05 income accounting (收入核算), R-APP-06 whole-household enrolment, R-APP-07 single-person
// households. Pure functions of the household, the investigation, the verification report and policy.
import type { PolicyParams, DeductionTier } from './policy';
import type { ExpenditureKind, Member, Programme, Residence, VerificationReport } from './types';
import { ageOn } from './dates';

export interface DeclaredIncome {
  memberIdNumber: string;
  monthlyFen: number;
  source: string;
}

export interface Expenditure {
  kind: ExpenditureKind;
  monthlyFen: number;
}

export interface AccountingInput {
  programme: Programme;
  residence: Residence;
  members: Member[];
  incomes: DeclaredIncome[];
  expenditures: Expenditure[];
  report: VerificationReport;
  policy: PolicyParams;
  on: string;
}

export interface MemberIncome {
  idNumber: string;
  declaredFen: number;
  verifiedFen: number;
  /** the larger of the two: verification can raise a declaration, never lower it */
  countedFen: number;
}

export interface Accounting {
  members: MemberIncome[];
  grossMonthlyFen: number;
  deductionsFen: Record<ExpenditureKind, number>;
  netMonthlyFen: number;
  perCapitaFen: number;
  standardFen: number;
  edgeThresholdFen: number;
  depositsPerCapitaFen: number;
  depositLimitPerCapitaFen: number;
  passesPropertyTest: boolean;
  /** DIBAO: the whole household qualifies (R-APP-06) */
  eligibleWhole: boolean;
  /** DIBAO: near-threshold household whose severely disabled/ill members may be covered alone (R-APP-07) */
  singlePersonCandidates: { idNumber: string; maxMonthlyFen: number }[];
  /** TEKUN: the people who qualify for support */
  tekunPersons: string[];
  /** the most that may be granted for the default coverage (whole household, or every TEKUN person) */
  maxMonthlyFen: number;
  /** members whose verified income exceeds what they declared */
  discrepancies: string[];
  reasons: string[];
}

export function tieredDeduction(amountFen: number, tiers: DeductionTier[]): number {
  let deducted = 0;
  let floor = 0;
  for (const tier of tiers) {
    const ceiling = tier.upToFen ?? Infinity;
    const part = Math.max(0, Math.min(amountFen, ceiling) - floor);
    deducted += Math.floor((part * tier.ratioBp) / 10_000);
    floor = ceiling;
    if (amountFen <= floor) break;
  }
  return deducted;
}

export function account(input: AccountingInput): Accounting {
  const { policy, members, report } = input;
  const reasons: string[] = [];
  const subjects = new Map(report.subjects.filter((s) => s.role === 'member').map((s) => [s.idNumber, s]));

  const perMember: MemberIncome[] = members.map((m) => {
    const declaredFen = input.incomes.filter((i) => i.memberIdNumber === m.idNumber).reduce((a, i) => a + i.monthlyFen, 0);
    const verifiedFen = (subjects.get(m.idNumber)?.incomes ?? []).reduce((a, i) => a + i.monthlyFen, 0);
    return { idNumber: m.idNumber, declaredFen, verifiedFen, countedFen: Math.max(declaredFen, verifiedFen) };
  });
  const grossMonthlyFen = perMember.reduce((a, m) => a + m.countedFen, 0);

  const kinds: ExpenditureKind[] = ['illness', 'disability', 'schooling'];
  const deductionsFen = Object.fromEntries(
    kinds.map((k) => {
      const spent = input.expenditures.filter((e) => e.kind === k).reduce((a, e) => a + e.monthlyFen, 0);
      return [k, tieredDeduction(spent, policy.deductions[k])];
    }),
  ) as Record<ExpenditureKind, number>;
  const totalDeductions = kinds.reduce((a, k) => a + deductionsFen[k], 0);
  const netMonthlyFen = Math.max(0, grossMonthlyFen - totalDeductions);
  const n = Math.max(1, members.length);
  const perCapitaFen = Math.floor(netMonthlyFen / n);

  const dibaoStandard = policy.dibaoStandardFen[input.residence];
  if (dibaoStandard === null) throw new Error(`no ${input.residence} 低保标准 in the policy in force`);
  const standardFen = dibaoStandard;
  const edgeThresholdFen = Math.round(standardFen * policy.edgeIncomeMultiple);

  // Property test. Vehicles and flats are not disqualifying on their own (no 一刀切): they lead to
  // special filing and a county visit (R-APP-08) instead.
  const deposits = members.reduce((a, m) => a + (subjects.get(m.idNumber)?.depositsFen ?? 0), 0);
  const depositsPerCapitaFen = Math.floor(deposits / n);
  const depositLimitPerCapitaFen = standardFen * policy.depositLimitMonths;
  const passesPropertyTest = depositsPerCapitaFen <= depositLimitPerCapitaFen;
  if (!passesPropertyTest) reasons.push('deposits per member above the property limit');

  const discrepancies = perMember.filter((m) => m.verifiedFen > m.declaredFen).map((m) => m.idNumber);

  let eligibleWhole = false;
  let singlePersonCandidates: Accounting['singlePersonCandidates'] = [];
  let tekunPersons: string[] = [];
  let maxMonthlyFen = 0;

  if (input.programme === 'DIBAO') {
    eligibleWhole = passesPropertyTest && perCapitaFen < standardFen;
    if (eligibleWhole) maxMonthlyFen = (standardFen - perCapitaFen) * members.length;
    else if (perCapitaFen >= standardFen) reasons.push('per-capita income not below the standard');
    if (!eligibleWhole && passesPropertyTest && perCapitaFen < edgeThresholdFen) {
      singlePersonCandidates = members
        .filter((m) => m.severeIllness || (m.disabilityGrade !== undefined && policy.severeDisabilityGrades.includes(m.disabilityGrade)))
        .map((m) => {
          const own = perMember.find((p) => p.idNumber === m.idNumber)!.countedFen;
          return { idNumber: m.idNumber, maxMonthlyFen: Math.max(0, standardFen - own) };
        })
        .filter((c) => c.maxMonthlyFen > 0);
    }
  } else {
    const tekunStandard = policy.tekunStandardFen[input.residence];
    if (tekunStandard === null) throw new Error(`no ${input.residence} 特困 standard in the policy in force`);
    tekunPersons = members
      .filter((m) => {
        const age = ageOn(m.birthDate, input.on);
        const category =
          age >= policy.tekunElderlyAge ||
          age < policy.tekunMinorAge ||
          (m.disabilityGrade !== undefined && policy.severeDisabilityGrades.includes(m.disabilityGrade));
        const own = perMember.find((p) => p.idNumber === m.idNumber)!.countedFen;
        return category && m.ableToWork !== true && own < standardFen && passesPropertyTest;
      })
      .map((m) => m.idNumber);
    maxMonthlyFen = tekunStandard * tekunPersons.length;
    if (tekunPersons.length === 0) reasons.push('no member meets the 特困 conditions');
  }

  return {
    members: perMember,
    grossMonthlyFen,
    deductionsFen,
    netMonthlyFen,
    perCapitaFen,
    standardFen,
    edgeThresholdFen,
    depositsPerCapitaFen,
    depositLimitPerCapitaFen,
    passesPropertyTest,
    eligibleWhole,
    singlePersonCandidates,
    tekunPersons,
    maxMonthlyFen,
    discrepancies,
    reasons,
  };
}

export type Coverage =
  | { ok: true; coveredMembers: string[]; singlePerson: boolean; maxMonthlyFen: number }
  | { ok: false; rule: string; message: string };

/**
 * Which members an eligible opinion covers. DIBAO covers the whole household (R-APP-06) unless exactly
 * one severely disabled or ill member of a near-threshold household is covered alone (R-APP-07).
 * TEKUN covers the people who qualify.
 */
export function coverage(programme: Programme, a: Accounting, allMembers: string[], requested?: string[]): Coverage {
  const asked = requested && requested.length > 0 ? [...new Set(requested)] : undefined;
  if (programme === 'TEKUN') {
    const covered = asked ?? a.tekunPersons;
    const outside = covered.filter((id) => !a.tekunPersons.includes(id));
    if (covered.length === 0) return { ok: false, rule: 'R-APP-05', message: 'no member meets the 特困 conditions' };
    if (outside.length) return { ok: false, rule: 'R-APP-05', message: `members ${outside.join(', ')} do not meet the 特困 conditions` };
    return { ok: true, coveredMembers: covered, singlePerson: false, maxMonthlyFen: (a.maxMonthlyFen / a.tekunPersons.length) * covered.length };
  }
  const whole = !asked || (asked.length === allMembers.length && allMembers.every((id) => asked.includes(id)));
  if (whole) {
    if (!a.eligibleWhole) return { ok: false, rule: 'R-APP-05', message: `the household is not eligible: ${a.reasons.join('; ')}` };
    return { ok: true, coveredMembers: allMembers, singlePerson: false, maxMonthlyFen: a.maxMonthlyFen };
  }
  if (a.eligibleWhole) return { ok: false, rule: 'R-APP-06', message: 'an eligible household is enrolled whole, not only some of its members' };
  const candidate = asked.length === 1 ? a.singlePersonCandidates.find((c) => c.idNumber === asked[0]) : undefined;
  if (!candidate) {
    return {
      ok: false,
      rule: 'R-APP-07',
      message: 'only one severely disabled or severely ill member of a near-threshold household may be covered alone',
    };
  }
  return { ok: true, coveredMembers: [candidate.idNumber], singlePerson: true, maxMonthlyFen: candidate.maxMonthlyFen };
}
