// R-POL: the shape of policy parameters, checked where profiles are written (seed, CLI) and after
// resolution, so a wrong profile is refused with its path instead of surfacing as a wrong decision.
// Procedural safeguards have national floors a locality may tighten but never loosen (DOMAIN.md R-POL):
// the absolute ones are in the shape itself; the ones that depend on other levels (publicity in a
// training jurisdiction, a county standard against its province's) are in policyBoundIssues.
import { z } from 'zod';
import type { PolicyParams } from '../workflows/rules/policy';
import { CARE_GRADES, PUBLICITY_CHANNELS, type Residence } from '../workflows/rules/types';

const fen = z.number().int().nonnegative();
const byResidence = z.object({ urban: fen.nullable(), rural: fen.nullable() }).strict();
const byCareGrade = z.object({ self_care: fen.nullable(), partial_care: fen.nullable(), full_care: fen.nullable() }).strict();
const careByResidence = z.object({ urban: byCareGrade, rural: byCareGrade }).strict();
const tiers = z
  .array(z.object({ upToFen: fen.nullable(), ratioBp: z.number().int().min(0).max(10_000) }).strict())
  .refine((t) => t.every((x, i) => i === 0 || (t[i - 1].upToFen !== null && (x.upToFen === null || x.upToFen > t[i - 1].upToFen!))), {
    message: 'tiers must rise, with only the last one unbounded',
  });
const days = z.number().int().positive();
const materials = z.object({ DIBAO: z.array(z.string().min(1)), TEKUN: z.array(z.string().min(1)) }).strict();
const byKind = z.object({ illness: fen, disability: fen, schooling: fen }).strict();
// R-REV-01: a class is reviewed at least as often as the rule says (annually, every 6, every 3 months):
// a locality may review more often, never less
const cadenceShape = z.object({ annual: z.number().int().min(1).max(12), semiannual: z.number().int().min(1).max(6), quarterly: z.number().int().min(1).max(3) }).strict();
const cadence = cadenceShape.refine((c) => c.quarterly <= c.semiannual && c.semiannual <= c.annual, { message: 'quarterly ≤ semiannual ≤ annual' });

/** The national floor of publicity (R-APP-10), below which only a training jurisdiction may go. */
export const MIN_PUBLICITY_DAYS = 7;
/** R-APP-10: more rounds than this would keep a case from its decision past any statutory deadline. */
export const MAX_PUBLICITY_ROUNDS = 5;

const shape = {
  requiredMaterials: materials,
  perVerifiedPersonMaterials: z.array(z.string().min(1).regex(/^[^:]+$/, 'a code without ":" (the ID number is appended)')),
  trainingJurisdiction: z.boolean(),
  // R-APP-04, R-APP-11: never fewer than two
  minInvestigators: z.number().int().min(2),
  dibaoStandardFen: byResidence,
  tekunStandardFen: byResidence,
  tekunCareStandardFen: careByResidence,
  depositLimitMonths: z.number().positive(),
  deductions: z.object({ illness: tiers, disability: tiers, schooling: tiers }).strict(),
  deductionThresholdFen: byKind,
  // R-APP-07 / seed 003 一(一): relaxed up to 2, never more
  edgeIncomeMultiple: z.number().min(1).max(2),
  severeDisabilityGrades: z.array(z.number().int().min(1).max(4)),
  tekunElderlyAge: z.number().int().positive(),
  tekunMinorAge: z.number().int().positive(),
  workingAgeFrom: z.number().int().positive(),
  workingAgeTo: z.number().int().positive(),
  publicityDays: z.number().positive(),
  // R-APP-10: publicity rounds before the county decides over the objections: at least one, at most 5
  maxPublicityRounds: z.number().int().min(1).max(MAX_PUBLICITY_ROUNDS),
  publicityChannels: z.array(z.enum(PUBLICITY_CHANNELS)).min(1),
  minApprovers: z.number().int().min(2),
  // R-REV-06: a cycle later than a month would overlap the next period's
  reviewCycleCatchupDays: days.max(28),
  approvalDelegatedToTownship: z.boolean(),
  // R-APP-12: the statutory period may be shortened, not lengthened
  decisionWorkingDays: days.max(30),
  extendedWorkingDays: days.max(45),
  receivedOnMaxDays: days,
  decisionWarningWorkingDays: z.array(days),
  rejectionNoticeWorkingDays: days,
  // R-APP-13: the statutory limits of appeal (行政复议法 60 days, 行政诉讼法 6 months) may not be shortened
  appealReconsiderationDays: days.min(60),
  appealLitigationMonths: days.min(6),
  verificationFollowUpWorkingDays: days,
  reviewCadenceMonths: cadence,
  // R-REV-03: the 20th and the month end are national deadlines a locality may bring forward, not defer
  changeReportDayOfMonth: z.number().int().min(1).max(20),
  changeCheckDayOfMonth: z.number().int().min(1).max(31),
  majorChangeMonths: days,
  // R-DIR-01: a standard like the others (never below the province's: standardsBelowProvince); whole fen
  funeralSubsidyFen: fen,
  directPaymentDelegatedToTownship: z.boolean(),
  // R-DTH-02: the death review is completed within 3 months of the death: a locality may shorten it, never lengthen it
  deathReviewMonths: days.max(3),
};

export const policyParamsSchema = z
  .object(shape)
  .strict()
  .refine((p) => p.extendedWorkingDays > p.decisionWorkingDays, { message: 'extendedWorkingDays must exceed decisionWorkingDays', path: ['extendedWorkingDays'] })
  .refine((p) => p.trainingJurisdiction || p.publicityDays >= MIN_PUBLICITY_DAYS, {
    message: `at least ${MIN_PUBLICITY_DAYS} days outside a training jurisdiction (R-APP-10, R-POL)`,
    path: ['publicityDays'],
  })
  .refine((p) => p.changeCheckDayOfMonth >= p.changeReportDayOfMonth, { message: 'the township checks after the villages report (R-REV-03)', path: ['changeCheckDayOfMonth'] }) satisfies z.ZodType<PolicyParams>;

/** What one level may set: any subset, each part as strict as the whole (bounds that depend on other levels: policyBoundIssues). */
export const policyOverrideSchema = z
  .object({
    ...shape,
    requiredMaterials: materials.partial(),
    dibaoStandardFen: byResidence.partial(),
    tekunStandardFen: byResidence.partial(),
    tekunCareStandardFen: z.object({ urban: byCareGrade.partial(), rural: byCareGrade.partial() }).partial().strict(),
    deductions: z.object({ illness: tiers, disability: tiers, schooling: tiers }).partial().strict(),
    deductionThresholdFen: byKind.partial(),
    reviewCadenceMonths: cadenceShape.partial(),
  })
  .partial()
  .strict();

export interface PolicyIssue {
  path: string;
  message: string;
}

/**
 * R-POL bounds between levels: a county's (or city's) standards are never below its province's guidance
 * (seed 000 四). `province` is the policy resolved at the province level; where it sets no standard there
 * is no bound.
 */
export function standardsBelowProvince(resolved: PolicyParams, province: PolicyParams | undefined): PolicyIssue[] {
  if (!province) return [];
  const issues: PolicyIssue[] = [];
  const residences: Residence[] = ['urban', 'rural'];
  const compare = (path: string, own: number | null, floor: number | null) => {
    if (floor === null) return;
    if (own === null || own < floor) issues.push({ path, message: `${own ?? 'unset'} is below the province's ${floor} fen (seed 000 四, R-POL)` });
  };
  for (const r of residences) {
    compare(`dibaoStandardFen.${r}`, resolved.dibaoStandardFen[r], province.dibaoStandardFen[r]);
    compare(`tekunStandardFen.${r}`, resolved.tekunStandardFen[r], province.tekunStandardFen[r]);
    for (const g of CARE_GRADES) compare(`tekunCareStandardFen.${r}.${g}`, resolved.tekunCareStandardFen[r][g], province.tekunCareStandardFen[r][g]);
  }
  compare('funeralSubsidyFen', resolved.funeralSubsidyFen, province.funeralSubsidyFen);
  return issues;
}

/** Every bound a resolved profile breaks, each naming its field: the shape's, then the province's. */
export function policyBoundIssues(resolved: unknown, province?: unknown): PolicyIssue[] {
  const parsed = policyParamsSchema.safeParse(resolved);
  if (!parsed.success) return parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
  const p = province === undefined ? undefined : policyParamsSchema.safeParse(province);
  return standardsBelowProvince(parsed.data as PolicyParams, p?.success ? (p.data as PolicyParams) : undefined);
}
