// R-APP-05: counted income is what the economic-status verification found (R-APP-03), unless the home
// investigation documents a lower current income (收入骤降, seed 003 一(一)) with a reason and evidence:
// that figure then replaces the verified one, and is flagged for the audit. A declaration never lowers it.
import type { Refusal } from './deductions';
import type { Member, VerificationReport } from './types';

export interface DeclaredIncome {
  memberIdNumber: string;
  monthlyFen: number;
  source: string;
}

/** 收入骤降: the member's current monthly income, lower than the verified one, documented by the investigation. */
export interface IncomeDrop {
  memberIdNumber: string;
  monthlyFen: number;
  reason: string;
  evidence: string;
}

export interface MemberIncome {
  idNumber: string;
  declaredFen: number;
  verifiedFen: number;
  /** the verified figure, or the documented lower current income */
  countedFen: number;
  /** present when a documented lower current income replaced the verified figure (audited) */
  documentedDropFen?: number;
}

export function countIncomes(
  members: Member[],
  declared: DeclaredIncome[],
  report: VerificationReport,
  drops: IncomeDrop[] = [],
): { members: MemberIncome[]; refused: Refusal[] } {
  const subjects = new Map(report.subjects.filter((s) => s.role === 'member').map((s) => [s.idNumber, s]));
  const verified = (id: string) => (subjects.get(id)?.incomes ?? []).reduce((a, i) => a + i.monthlyFen, 0);
  const refused: Refusal[] = [];
  drops.forEach((d, i) => {
    const at = (f: string) => `incomeDrops[${i}].${f}`;
    if (!members.some((m) => m.idNumber === d.memberIdNumber)) refused.push({ rule: 'R-APP-05', path: at('memberIdNumber'), message: 'is not a member of this household' });
    else if (d.monthlyFen >= verified(d.memberIdNumber)) {
      refused.push({ rule: 'R-APP-05', path: at('monthlyFen'), message: `is not below the verified ${verified(d.memberIdNumber)} fen: the verified figure counts` });
    }
    if (!d.reason.trim()) refused.push({ rule: 'R-APP-05', path: at('reason'), message: 'a lower current income needs its reason' });
    if (!d.evidence.trim()) refused.push({ rule: 'R-APP-05', path: at('evidence'), message: 'a lower current income needs its evidence' });
  });
  const accepted = drops.filter((_, i) => !refused.some((r) => r.path.startsWith(`incomeDrops[${i}].`)));
  return {
    refused,
    members: members.map((m) => {
      const declaredFen = declared.filter((i) => i.memberIdNumber === m.idNumber).reduce((a, i) => a + i.monthlyFen, 0);
      const verifiedFen = verified(m.idNumber);
      const drop = accepted.filter((d) => d.memberIdNumber === m.idNumber).reduce<number | undefined>((a, d) => Math.min(a ?? Infinity, d.monthlyFen), undefined);
      return drop === undefined
        ? { idNumber: m.idNumber, declaredFen, verifiedFen, countedFen: verifiedFen }
        : { idNumber: m.idNumber, declaredFen, verifiedFen, countedFen: drop, documentedDropFen: drop };
    }),
  };
}
