// R-APP-05 counted income (收入核算), source by source: the larger of what the verification found (R-APP-03)
// and what the household declared or the investigation recorded, because casual work (零工), cash income and
// help from relatives reach no database: finding them is what the home investigation is for. It is lower
// than the verified figure only where the investigation documents a drop in current income (收入骤降, seed
// 003 一(一)) with its reason and evidence: that figure then stands in for the verified one, audited.
import type { Refusal } from './deductions';
import { INCOME_SOURCES, type IncomeSource, type Member, type VerificationReport } from './types';

/** What the household declared, or the investigation recorded, one member and source at a time. */
export interface DeclaredIncome {
  memberIdNumber: string;
  monthlyFen: number;
  source: IncomeSource;
}

/** 收入骤降: the member's current monthly income, lower than the verified one, documented by the investigation. */
export interface IncomeDrop {
  memberIdNumber: string;
  /** the source whose income dropped; may be left out when the verification found only one */
  source?: IncomeSource;
  monthlyFen: number;
  reason: string;
  evidence: string;
}

/** One source of one member: what each side says, and what counts. */
export interface SourceIncome {
  source: IncomeSource;
  declaredFen: number;
  verifiedFen: number;
  /** the larger of declared and verified, or of declared and the documented lower current income */
  countedFen: number;
  /** present when a documented lower current income replaced the verified figure (audited) */
  documentedDropFen?: number;
}

export interface MemberIncome {
  idNumber: string;
  declaredFen: number;
  verifiedFen: number;
  /** the sum of the sources' counted figures */
  countedFen: number;
  /** present when a documented lower current income replaced a verified figure: the sum of those figures */
  documentedDropFen?: number;
  /** source by source, in the vocabulary's order (sources neither side names are left out) */
  sources: SourceIncome[];
}

export function countIncomes(
  members: Member[],
  declared: DeclaredIncome[],
  report: VerificationReport,
  drops: IncomeDrop[] = [],
): { members: MemberIncome[]; refused: Refusal[] } {
  const subjects = new Map(report.subjects.filter((s) => s.role === 'member').map((s) => [s.idNumber, s]));
  const verified = (id: string, source?: IncomeSource) =>
    (subjects.get(id)?.incomes ?? []).filter((i) => source === undefined || i.source === source).reduce((a, i) => a + i.monthlyFen, 0);
  const verifiedSources = (id: string) => INCOME_SOURCES.filter((src) => verified(id, src) > 0);

  const refused: Refusal[] = [];
  const accepted: { memberIdNumber: string; source: IncomeSource; monthlyFen: number }[] = [];
  drops.forEach((d, i) => {
    const at = (f: string) => `incomeDrops[${i}].${f}`;
    const before = refused.length;
    const seen = verifiedSources(d.memberIdNumber);
    const source = d.source ?? (seen.length === 1 ? seen[0] : undefined);
    if (!members.some((m) => m.idNumber === d.memberIdNumber)) refused.push({ rule: 'R-APP-05', path: at('memberIdNumber'), message: 'is not a member of this household' });
    else if (d.source === undefined && seen.length > 1) {
      refused.push({ rule: 'R-APP-05', path: at('source'), message: `the verification found ${seen.join(', ')}: name the source whose income dropped` });
    } else if (d.monthlyFen >= verified(d.memberIdNumber, source)) {
      refused.push({ rule: 'R-APP-05', path: at('monthlyFen'), message: `is not below the verified ${verified(d.memberIdNumber, source)} fen: the verified figure counts` });
    }
    if (!d.reason.trim()) refused.push({ rule: 'R-APP-05', path: at('reason'), message: 'a lower current income needs its reason' });
    if (!d.evidence.trim()) refused.push({ rule: 'R-APP-05', path: at('evidence'), message: 'a lower current income needs its evidence' });
    if (refused.length === before && source !== undefined) accepted.push({ memberIdNumber: d.memberIdNumber, source, monthlyFen: d.monthlyFen });
  });

  return {
    refused,
    members: members.map((m) => {
      const declaredOf = (src: IncomeSource) => declared.filter((i) => i.memberIdNumber === m.idNumber && i.source === src).reduce((a, i) => a + i.monthlyFen, 0);
      const named = (src: IncomeSource) => declared.some((i) => i.memberIdNumber === m.idNumber && i.source === src) || verified(m.idNumber, src) > 0;
      const sources = INCOME_SOURCES.filter(named).map((source): SourceIncome => {
        const declaredFen = declaredOf(source);
        const verifiedFen = verified(m.idNumber, source);
        // two documented drops of one source: the lower is the current income
        const drop = accepted.filter((d) => d.memberIdNumber === m.idNumber && d.source === source).reduce<number | undefined>((a, d) => Math.min(a ?? Infinity, d.monthlyFen), undefined);
        return drop === undefined
          ? { source, declaredFen, verifiedFen, countedFen: Math.max(declaredFen, verifiedFen) }
          : { source, declaredFen, verifiedFen, countedFen: Math.max(declaredFen, drop), documentedDropFen: drop };
      });
      const sum = (f: (s: SourceIncome) => number | undefined) => sources.reduce((a, s) => a + (f(s) ?? 0), 0);
      const dropped = sources.some((s) => s.documentedDropFen !== undefined);
      return {
        idNumber: m.idNumber,
        declaredFen: sum((s) => s.declaredFen),
        verifiedFen: sum((s) => s.verifiedFen),
        countedFen: sum((s) => s.countedFen),
        ...(dropped ? { documentedDropFen: sum((s) => s.documentedDropFen) } : {}),
        sources,
      };
    }),
  };
}
