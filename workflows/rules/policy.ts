// R-POL: every number the rules use is a policy parameter, set per jurisdiction and effective date.
// The national defaults live in prisma/seed/national-policy.json (from DOMAIN.md); provinces, cities and
// counties override what they set. Workflows receive the resolved parameters from an activity and keep
// them in their state, so a case is judged by the policy in force at each step, also on replay.
import type { CareGrade, ExpenditureKind, Programme, PublicityChannel, Residence, ReviewClass } from './types';

/** A marginal tier: the part of a monthly expenditure up to `upToFen` (null: no upper bound) is deducted at ratioBp/10000. */
export interface DeductionTier {
  upToFen: number | null;
  ratioBp: number;
}

export interface PolicyParams {
  /** R-APP-01: materials an application needs, per programme (household-level codes, e.g. applicant_pledge, R-APP-17) */
  requiredMaterials: Record<Programme, string[]>;
  /** R-APP-17: materials each verified person (member and obligor) gives, as `<code>:<idNumber>` (see materials.ts) */
  perVerifiedPersonMaterials: string[];
  /** R-POL: a training jurisdiction may shorten publicity below the national floor (README walk only) */
  trainingJurisdiction: boolean;
  /** R-APP-04 */
  minInvestigators: number;
  /** R-APP-05: 低保标准, monthly per person, urban and rural (null where the county has not set one) */
  dibaoStandardFen: Record<Residence, number | null>;
  /** R-APP-05: 特困 basic living standard, monthly per person */
  tekunStandardFen: Record<Residence, number | null>;
  /** TEKUN care standard by self-care grade, monthly per person, added to the basic living standard */
  tekunCareStandardFen: Record<Residence, Record<CareGrade, number | null>>;
  /** R-APP-05 property test: deposits per member at most this many months of the standard */
  depositLimitMonths: number;
  /** R-APP-05: rigid expenditures deducted in tiers, by proportion */
  deductions: Record<ExpenditureKind, DeductionTier[]>;
  /** R-APP-05: only the part of a kind's monthly expenditure above this is large (大额) and enters the tiers */
  deductionThresholdFen: Record<ExpenditureKind, number>;
  /** R-APP-07: near-threshold households have income below this multiple of the standard (1.5, at most 2) */
  edgeIncomeMultiple: number;
  /** R-APP-07: disability grades counted as severe */
  severeDisabilityGrades: number[];
  /** TEKUN categories: at least this age, or under tekunMinorAge */
  tekunElderlyAge: number;
  tekunMinorAge: number;
  /** R-REV-01: working age, for the review class */
  workingAgeFrom: number;
  workingAgeTo: number;
  /** R-APP-10: publicity in days (may be fractional only in a training jurisdiction) */
  publicityDays: number;
  /** R-APP-10: an objection in this round (or later) goes to the decision with the objections attached, not back to investigation */
  maxPublicityRounds: number;
  /** R-APP-10: where publicity is posted when the township review names no channels */
  publicityChannels: PublicityChannel[];
  /** R-APP-11 */
  minApprovers: number;
  /** R-REV-06: a recheck cycle missed by up to this many days (server down) still fires when it comes back */
  reviewCycleCatchupDays: number;
  /** R-APP-11: the county has delegated approval to township leaders */
  approvalDelegatedToTownship: boolean;
  /** R-APP-12 */
  decisionWorkingDays: number;
  /** R-APP-12: a paper application's received date lies at most this many calendar days before its entry */
  receivedOnMaxDays: number;
  extendedWorkingDays: number;
  /** warnings this many working days before a decision deadline */
  decisionWarningWorkingDays: number[];
  /** R-APP-13 */
  rejectionNoticeWorkingDays: number;
  /** R-APP-13: the route of appeal a rejection notice states: 行政复议 within these days, 行政诉讼 within these months */
  appealReconsiderationDays: number;
  appealLitigationMonths: number;
  /** R-APP-03: a person follows up a verification the agency refused or left unanswered, within these working days */
  verificationFollowUpWorkingDays: number;
  /** R-REV-01: months between periodic reviews per review class (TEKUN is always annual: review-cadence.ts) */
  reviewCadenceMonths: Record<ReviewClass, number>;
  /** R-REV-03: villages report each recipient household's changes by this day of the month (20) */
  changeReportDayOfMonth: number;
  /** R-REV-03: the township checks them by this day (31: the month's last day, whatever its length) */
  changeCheckDayOfMonth: number;
  /** R-REV-04, R-DTH-02 (used by later processes) */
  majorChangeMonths: number;
  deathReviewMonths: number;
  /** R-DIR-01: a TEKUN person's funeral subsidy (丧葬补助) standard: a funeral payment is at most this */
  funeralSubsidyFen: number;
  /** R-DIR-01/02: the county authorised its townships' leadership to approve direct payments */
  directPaymentDelegatedToTownship: boolean;
}

export interface ResolvedPolicy {
  params: PolicyParams;
  /** the profiles merged, most general first, e.g. ["national@2026-01-01", "140521@2026-07-01"] */
  sources: string[];
  on: string;
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge: objects merge key by key, anything else (numbers, arrays) is replaced by the override. */
export function mergePolicy<T>(base: T, override: unknown): T {
  if (!isPlain(base) || !isPlain(override)) return (override === undefined ? base : override) as T;
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = v === undefined ? out[k] : mergePolicy(out[k], v);
  return out as T;
}
