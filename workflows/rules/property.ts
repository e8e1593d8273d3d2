// R-APP-05 property test (财产状况). The members' verified deposits and the property the investigation
// lists are counted against the limit per member. Necessary production or living property may be exempted
// (seed 003 一(二): 生产生活的必需财产, with its reason), and the collective decision may exempt a deposit
// on a documented 综合研判. Vehicles and flats found by the verification are not disqualifying on their
// own (no 一刀切): they lead to special filing and a county visit (R-APP-08) instead.
import type { Refusal } from './deductions';
import type { PolicyParams } from './policy';
import type { Member, VerificationReport } from './types';

export interface Asset {
  kind: string;
  description: string;
  valueFen?: number;
  /** necessary production or living property, exempted by the investigation with its reason */
  exempt?: boolean;
  exemptReason?: string;
}

/** A deposit the collective decision exempts (R-APP-11 meeting), with the reason it records. */
export interface DepositExemption {
  amountFen: number;
  reason: string;
  memberIdNumber?: string;
}

export interface PropertyTest {
  depositsFen: number;
  exemptedDepositsFen: number;
  /** investigated assets that count: not exempt, with a value */
  assetsCountedFen: number;
  assetsExemptFen: number;
  /** deposits − exempted deposits + counted assets */
  propertyFen: number;
  limitPerCapitaFen: number;
  passes: boolean;
  refused: Refusal[];
}

export function propertyTest(
  members: Member[],
  report: VerificationReport,
  standardFen: number,
  policy: PolicyParams,
  assets: Asset[] = [],
  exemptions: DepositExemption[] = [],
): PropertyTest {
  const refused: Refusal[] = [];
  assets.forEach((a, i) => {
    if (a.exempt && !a.exemptReason?.trim()) refused.push({ rule: 'R-APP-05', path: `assets[${i}].exemptReason`, message: 'an exempted asset needs the reason it is necessary production or living property' });
  });
  exemptions.forEach((e, i) => {
    if (!e.reason.trim()) refused.push({ rule: 'R-APP-05', path: `depositExemptions[${i}].reason`, message: 'an exempted deposit needs the reason of the collective decision' });
    if (e.memberIdNumber !== undefined && !members.some((m) => m.idNumber === e.memberIdNumber)) {
      refused.push({ rule: 'R-APP-05', path: `depositExemptions[${i}].memberIdNumber`, message: 'is not a member of this household' });
    }
  });
  const ids = new Set(members.map((m) => m.idNumber));
  const depositsFen = report.subjects.filter((s) => s.role === 'member' && ids.has(s.idNumber)).reduce((a, s) => a + s.depositsFen, 0);
  const validExemptions = exemptions.filter((_, i) => !refused.some((r) => r.path.startsWith(`depositExemptions[${i}].`)));
  const exemptedDepositsFen = Math.min(depositsFen, validExemptions.reduce((a, e) => a + e.amountFen, 0));
  // an exemption without its reason is refused, and the asset counts
  const isExempt = (a: Asset) => a.exempt === true && !!a.exemptReason?.trim();
  const assetsCountedFen = assets.filter((a) => !isExempt(a)).reduce((s, a) => s + (a.valueFen ?? 0), 0);
  const assetsExemptFen = assets.filter(isExempt).reduce((s, a) => s + (a.valueFen ?? 0), 0);
  const propertyFen = depositsFen - exemptedDepositsFen + assetsCountedFen;
  const limitPerCapitaFen = standardFen * policy.depositLimitMonths;
  // compared on the household total: no rounding of a per-capita figure decides the test
  const passes = propertyFen <= limitPerCapitaFen * Math.max(1, members.length);
  return { depositsFen, exemptedDepositsFen, assetsCountedFen, assetsExemptFen, propertyFen, limitPerCapitaFen, passes, refused };
}
