// R-APP-05: large rigid expenditures (大额刚性支出) for illness, disability or schooling are deducted
// from household income in tiers, by proportion (seed 003 一(二)), only for a named member who has that
// condition, and only for the part above the locality's threshold.
import type { DeductionTier, PolicyParams } from './policy';
import type { ExpenditureKind, Member } from './types';

export interface Expenditure {
  kind: ExpenditureKind;
  monthlyFen: number;
  /** the member whose illness, disability or schooling it is; a deduction naming nobody is refused */
  memberIdNumber?: string;
}

/** A part of the investigation the rules refuse, with the request field it came from. */
export interface Refusal {
  rule: string;
  path: string;
  message: string;
}

export const EXPENDITURE_KINDS: readonly ExpenditureKind[] = ['illness', 'disability', 'schooling'];

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

/** The condition behind each kind: an ill member (severeIllness), a disabled member (any grade), a student. */
export function hasCondition(m: Member, kind: ExpenditureKind): boolean {
  if (kind === 'illness') return m.severeIllness === true;
  if (kind === 'disability') return m.disabilityGrade !== undefined;
  return m.student === true;
}

const CONDITION: Record<ExpenditureKind, string> = { illness: 'an ill member (severeIllness)', disability: 'a disabled member', schooling: 'a student' };

export function refusedExpenditures(members: Member[], expenditures: Expenditure[]): Refusal[] {
  const refused: Refusal[] = [];
  expenditures.forEach((e, i) => {
    const path = `expenditures[${i}].memberIdNumber`;
    const m = members.find((x) => x.idNumber === e.memberIdNumber);
    if (e.memberIdNumber === undefined) refused.push({ rule: 'R-APP-05', path, message: `a deduction for ${e.kind} must name the member it is for` });
    else if (!m) refused.push({ rule: 'R-APP-05', path, message: 'is not a member of this household' });
    else if (!hasCondition(m, e.kind)) refused.push({ rule: 'R-APP-05', path, message: `a deduction for ${e.kind} belongs to ${CONDITION[e.kind]}: ${e.memberIdNumber} is not` });
  });
  return refused;
}

export interface Deductions {
  /** what the accepted expenditures of each kind add up to in the month */
  spentFen: Record<ExpenditureKind, number>;
  deductionsFen: Record<ExpenditureKind, number>;
  totalFen: number;
  refused: Refusal[];
}

export function deductions(members: Member[], expenditures: Expenditure[], policy: PolicyParams): Deductions {
  const refused = refusedExpenditures(members, expenditures);
  const accepted = expenditures.filter((_, i) => !refused.some((r) => r.path === `expenditures[${i}].memberIdNumber`));
  const spentFen = {} as Record<ExpenditureKind, number>;
  const deductionsFen = {} as Record<ExpenditureKind, number>;
  for (const k of EXPENDITURE_KINDS) {
    spentFen[k] = accepted.filter((e) => e.kind === k).reduce((a, e) => a + e.monthlyFen, 0);
    const large = Math.max(0, spentFen[k] - policy.deductionThresholdFen[k]);
    deductionsFen[k] = tieredDeduction(large, policy.deductions[k]);
  }
  const totalFen = EXPENDITURE_KINDS.reduce((a, k) => a + deductionsFen[k], 0);
  return { spentFen, deductionsFen, totalFen, refused };
}
