// R-APP-05 income accounting (收入核算), R-APP-06 whole-household enrolment, R-APP-07 single-person
// households, TEKUN persons. Pure functions of the household, the investigation, the verification report
// and policy. The concepts live beside this file (income, deductions, property, tekun, coverage, amount);
// this one puts them together and keeps the names the workflow and the API import.
import type { PolicyParams } from './policy';
import type { ExpenditureKind, Member, Programme, Residence, VerificationReport } from './types';
import { deductions, type Expenditure, type Refusal } from './deductions';
import { countIncomes, type DeclaredIncome, type IncomeDrop, type MemberIncome, type SourceIncome } from './income';
import { propertyTest, type Asset, type DepositExemption } from './property';
import { ableEarningSupporters, refusedTekunInputs, tekunAmount, tekunCategory, type CareAssessment, type Supporter, type SupporterFinding, type TekunAmount } from './tekun';

export { tieredDeduction } from './deductions';
export { coverage, type Coverage } from './coverage';
export { checkMonthlyAmount, type AmountCheck } from './amount';
export type { Asset, CareAssessment, DeclaredIncome, DepositExemption, Expenditure, IncomeDrop, MemberIncome, Refusal, SourceIncome, Supporter, SupporterFinding, TekunAmount };

export interface AccountingInput {
  programme: Programme;
  residence: Residence;
  members: Member[];
  incomes: DeclaredIncome[];
  expenditures: Expenditure[];
  report: VerificationReport;
  policy: PolicyParams;
  on: string;
  /** 收入骤降 documented by the investigation: replaces the verified income of that member's source */
  incomeDrops?: IncomeDrop[];
  /** the property the investigation lists, with its exemptions */
  assets?: Asset[];
  /** deposits the collective decision exempts (decision time) */
  depositExemptions?: DepositExemption[];
  /** TEKUN: findings that a supporter cannot fulfil the duty */
  supporterFindings?: SupporterFinding[];
  /** TEKUN: self-care grade of each person assessed */
  careGrades?: CareAssessment[];
}

export interface Accounting {
  /** per member and source: declared, verified, counted (R-APP-05) */
  members: MemberIncome[];
  grossMonthlyFen: number;
  deductionsFen: Record<ExpenditureKind, number>;
  netMonthlyFen: number;
  /** for display only (floored): no decision is taken on a rounded per-capita figure */
  perCapitaFen: number;
  standardFen: number;
  /** for display: standard × edgeIncomeMultiple, rounded */
  edgeThresholdFen: number;
  /** standard × members: the household's line (DIBAO) */
  householdStandardFen: number;
  depositsPerCapitaFen: number;
  depositLimitPerCapitaFen: number;
  passesPropertyTest: boolean;
  /** deposits, exempted deposits, counted and exempt assets, the total compared with the limit × members */
  property: { depositsFen: number; exemptedDepositsFen: number; assetsCountedFen: number; assetsExemptFen: number; propertyFen: number };
  /** DIBAO: the whole household qualifies (R-APP-06) */
  eligibleWhole: boolean;
  /** DIBAO: members of a near-threshold household who may each be covered alone (R-APP-07) */
  singlePersonCandidates: { idNumber: string; maxMonthlyFen: number }[];
  /** TEKUN: the people who qualify for support */
  tekunPersons: string[];
  /** TEKUN: the amount of each qualifying person, basic + care */
  tekunAmounts: TekunAmount[];
  /** TEKUN: able, earning legal supporters found, and whether a finding says they cannot fulfil the duty */
  tekunSupporters: Supporter[];
  /** the amount for the default coverage (whole household, or every TEKUN person), by the rules */
  maxMonthlyFen: number;
  /** members with a source whose verified income exceeds what was declared (income not declared) */
  discrepancies: string[];
  /** members with a source declared or recorded above the verified figure: the declaration counts there */
  declaredAboveVerified: string[];
  /** members whose documented lower current income replaced a verified figure: audited */
  incomeDrops: string[];
  /** parts of the investigation the rules refuse (not counted), with their field */
  refused: Refusal[];
  reasons: string[];
}

export function account(input: AccountingInput): Accounting {
  const { policy, members, report } = input;
  const reasons: string[] = [];
  const n = Math.max(1, members.length);

  const standard = policy.dibaoStandardFen[input.residence];
  if (standard === null) throw new Error(`no ${input.residence} 低保标准 in the policy in force`);
  const standardFen = standard;

  const income = countIncomes(members, input.incomes, report, input.incomeDrops);
  const grossMonthlyFen = income.members.reduce((a, m) => a + m.countedFen, 0);
  const ded = deductions(members, input.expenditures, policy);
  const netMonthlyFen = Math.max(0, grossMonthlyFen - ded.totalFen);
  const householdStandardFen = standardFen * members.length;

  const prop = propertyTest(members, report, standardFen, policy, input.assets, input.depositExemptions);
  if (!prop.passes) reasons.push('property per member above the property limit');

  const tekunSupporters =
    input.programme === 'TEKUN' ? ableEarningSupporters(members, income.members, report, input.supporterFindings ?? [], standardFen, policy, input.on) : [];
  const refused = [
    ...income.refused,
    ...ded.refused,
    ...prop.refused,
    ...(input.programme === 'TEKUN' ? refusedTekunInputs(members, report, input.supporterFindings ?? [], input.careGrades ?? []) : []),
  ];

  let eligibleWhole = false;
  let singlePersonCandidates: Accounting['singlePersonCandidates'] = [];
  let tekunPersons: string[] = [];
  let tekunAmounts: TekunAmount[] = [];
  let maxMonthlyFen = 0;

  if (input.programme === 'DIBAO') {
    // R-APP-05: compared and paid on the household's totals, never on a rounded per-capita figure
    eligibleWhole = prop.passes && netMonthlyFen < householdStandardFen;
    if (eligibleWhole) maxMonthlyFen = householdStandardFen - netMonthlyFen;
    else if (netMonthlyFen >= householdStandardFen) reasons.push('per-capita income not below the standard');
    const nearThreshold = netMonthlyFen < householdStandardFen * policy.edgeIncomeMultiple;
    if (!eligibleWhole && prop.passes && nearThreshold) {
      // R-APP-07: each severely disabled or severely ill member, standard − own counted income
      singlePersonCandidates = members
        .filter((m) => m.severeIllness || (m.disabilityGrade !== undefined && policy.severeDisabilityGrades.includes(m.disabilityGrade)))
        .map((m) => ({ idNumber: m.idNumber, maxMonthlyFen: Math.max(0, standardFen - income.members.find((p) => p.idNumber === m.idNumber)!.countedFen) }))
        .filter((c) => c.maxMonthlyFen > 0);
    }
  } else {
    const bound = tekunSupporters.filter((s) => !s.foundUnable);
    for (const s of bound) reasons.push(`${s.idNumber} (${s.role}) is an able, earning legal supporter (${s.monthlyFen} fen a month) and no finding says they cannot fulfil the duty`);
    const categoryPersons = members.filter((m) => {
      const own = income.members.find((p) => p.idNumber === m.idNumber)!.countedFen;
      return tekunCategory(m, policy, input.on) && own < standardFen && prop.passes;
    });
    if (bound.length === 0) {
      const grades = input.careGrades ?? [];
      for (const m of categoryPersons.filter((x) => !grades.some((g) => g.memberIdNumber === x.idNumber))) reasons.push(`the self-care grade of ${m.idNumber} is not assessed`);
      tekunAmounts = categoryPersons
        .map((m) => ({ m, g: grades.find((g) => g.memberIdNumber === m.idNumber) }))
        .filter(({ g }) => g !== undefined)
        .map(({ m, g }) => tekunAmount(m.idNumber, g!.grade, input.residence, policy));
      tekunPersons = tekunAmounts.map((t) => t.idNumber);
    }
    maxMonthlyFen = tekunAmounts.reduce((a, t) => a + t.monthlyFen, 0);
    if (tekunPersons.length === 0) reasons.push('no member meets the 特困 conditions');
  }

  return {
    members: income.members,
    grossMonthlyFen,
    deductionsFen: ded.deductionsFen,
    netMonthlyFen,
    perCapitaFen: Math.floor(netMonthlyFen / n),
    standardFen,
    edgeThresholdFen: Math.round(standardFen * policy.edgeIncomeMultiple),
    householdStandardFen,
    depositsPerCapitaFen: Math.floor((prop.depositsFen - prop.exemptedDepositsFen) / n),
    depositLimitPerCapitaFen: prop.limitPerCapitaFen,
    passesPropertyTest: prop.passes,
    property: {
      depositsFen: prop.depositsFen,
      exemptedDepositsFen: prop.exemptedDepositsFen,
      assetsCountedFen: prop.assetsCountedFen,
      assetsExemptFen: prop.assetsExemptFen,
      propertyFen: prop.propertyFen,
    },
    eligibleWhole,
    singlePersonCandidates,
    tekunPersons,
    tekunAmounts,
    tekunSupporters,
    maxMonthlyFen,
    // compared source by source: wages declared in full beside undeclared rent is still a discrepancy
    discrepancies: income.members.filter((m) => m.sources.some((x) => x.verifiedFen > x.declaredFen)).map((m) => m.idNumber),
    declaredAboveVerified: income.members.filter((m) => m.sources.some((x) => x.declaredFen > x.verifiedFen)).map((m) => m.idNumber),
    incomeDrops: income.members.filter((m) => m.documentedDropFen !== undefined).map((m) => m.idNumber),
    refused,
    reasons,
  };
}
