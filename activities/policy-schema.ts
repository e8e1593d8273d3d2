// R-POL: the shape of policy parameters, checked where profiles are written (seed, CLI) and after
// resolution, so a wrong profile is refused with its path instead of surfacing as a wrong decision.
import { z } from 'zod';
import type { PolicyParams } from '../workflows/rules/policy';

const fen = z.number().int().nonnegative();
const byResidence = z.object({ urban: fen.nullable(), rural: fen.nullable() }).strict();
const tiers = z
  .array(z.object({ upToFen: fen.nullable(), ratioBp: z.number().int().min(0).max(10_000) }).strict())
  .refine((t) => t.every((x, i) => i === 0 || (t[i - 1].upToFen !== null && (x.upToFen === null || x.upToFen > t[i - 1].upToFen!))), {
    message: 'tiers must rise, with only the last one unbounded',
  });
const days = z.number().int().positive();

const shape = {
    requiredMaterials: z.object({ DIBAO: z.array(z.string().min(1)), TEKUN: z.array(z.string().min(1)) }).strict(),
    minInvestigators: z.number().int().min(2),
    dibaoStandardFen: byResidence,
    tekunStandardFen: byResidence,
    depositLimitMonths: z.number().positive(),
    deductions: z.object({ illness: tiers, disability: tiers, schooling: tiers }).strict(),
    edgeIncomeMultiple: z.number().min(1),
    severeDisabilityGrades: z.array(z.number().int().min(1).max(4)),
    tekunElderlyAge: z.number().int().positive(),
    tekunMinorAge: z.number().int().positive(),
    workingAgeFrom: z.number().int().positive(),
    workingAgeTo: z.number().int().positive(),
    publicityDays: z.number().positive(),
    minApprovers: z.number().int().min(1),
    approvalDelegatedToTownship: z.boolean(),
    decisionWorkingDays: days,
    extendedWorkingDays: days,
    decisionWarningWorkingDays: z.array(days),
    rejectionNoticeWorkingDays: days,
    verificationFollowUpWorkingDays: days,
    majorChangeMonths: days,
    deathReviewMonths: days,
};

export const policyParamsSchema = z
  .object(shape)
  .strict()
  .refine((p) => p.extendedWorkingDays > p.decisionWorkingDays, { message: 'extendedWorkingDays must exceed decisionWorkingDays', path: ['extendedWorkingDays'] }) satisfies z.ZodType<PolicyParams>;

/** What one level may set: any subset, each part as strict as the whole. */
export const policyOverrideSchema = z
  .object({
    ...shape,
    requiredMaterials: z.object({ DIBAO: z.array(z.string().min(1)), TEKUN: z.array(z.string().min(1)) }).partial().strict(),
    dibaoStandardFen: byResidence.partial(),
    tekunStandardFen: byResidence.partial(),
    deductions: z.object({ illness: tiers, disability: tiers, schooling: tiers }).partial().strict(),
  })
  .partial()
  .strict();
