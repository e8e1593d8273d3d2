// R-REV-03: the payloads of the monthly change reports, as zod schemas both sides run: the API validates
// request bodies with them, the workflow's update validators parse every command with them (issue 16 API1).
// Pure zod: no Node modules (this runs in the workflow sandbox).
import { z } from 'zod';
import { actorSchema, dateSchema, fen, idNumberSchema, LIMITS, text } from '../application/payloads';
import { deathDateErrors } from '../death-stop/payloads';
import { chinaDate } from '../rules/dates';

/** R-REV-03: what a village reports of a recipient household (004 二(四)). */
export const CHANGE_KINDS = ['income', 'employment', 'large_spending', 'illness', 'disaster', 'death'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];
/** R-REV-04: the major changes that open a review now; a death goes to the death stop (R-DTH) instead */
export const REVIEW_KINDS: readonly ChangeKind[] = ['income', 'employment', 'large_spending', 'illness', 'disaster'];

/** Bounds that fit a real month: a change list per household, the households of one village's report. */
export const CHANGE_LIMITS = { changes: 20, households: 500 } as const;

export const monthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM')
  .meta({ example: '2026-03', description: 'the month reported (YYYY-MM)' });

export const changeSchema = z
  .object({
    kind: z.enum(CHANGE_KINDS),
    memberIdNumber: idNumberSchema.optional().meta({ description: 'the member concerned; required for a death' }),
    summary: text(LIMITS.reason),
    monthlyFen: fen.optional().meta({ description: 'the new monthly figure where the change has one (income)' }),
    dateOfDeath: dateSchema.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.kind !== 'death') {
      if (c.dateOfDeath !== undefined) ctx.addIssue({ code: 'custom', path: ['dateOfDeath'], message: 'only for a death' });
      return;
    }
    if (!c.memberIdNumber) ctx.addIssue({ code: 'custom', path: ['memberIdNumber'], message: 'a death names the member who died' });
    if (!c.dateOfDeath) ctx.addIssue({ code: 'custom', path: ['dateOfDeath'], message: 'a death gives the date of death (R-DTH-02 counts from it)' });
    // R-DTH-02/03: the death records' own checks (it opens the stop and holds from the month after it); today
    // at parse time: the API's clock, or workflow time in the update's validator (which replay never runs)
    else for (const message of deathDateErrors(c.dateOfDeath, c.memberIdNumber, chinaDate(Date.now()))) ctx.addIssue({ code: 'custom', path: ['dateOfDeath'], message });
  });
export type Change = z.infer<typeof changeSchema>;

const changes = z.array(changeSchema).max(CHANGE_LIMITS.changes).meta({ description: 'empty: no change this month' });
const householdId = text(LIMITS.name);

/** POST /v1/households/{householdId}/change-reports */
export const householdReportBody = z.object({ month: monthSchema, changes }).strict();
/** POST /v1/villages/{villageCode}/change-reports: the village's whole month, every recipient household */
export const villageReportBody = z
  .object({ month: monthSchema, households: z.array(z.object({ householdId, changes }).strict()).min(1).max(CHANGE_LIMITS.households) })
  .strict()
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.households.forEach((h, i) => {
      if (seen.has(h.householdId)) ctx.addIssue({ code: 'custom', path: ['households', i, 'householdId'], message: 'listed twice' });
      seen.add(h.householdId);
    });
  });
/** POST /v1/townships/{townshipCode}/change-reports/{month}/check */
export const townshipCheckBody = z.object({ summary: text(LIMITS.reason) }).strict();

const village = z.string().regex(/^\d{12}$/);
const household = z.object({ householdId, villageCode: village, changes }).strict();

/** The commands as the workflow receives them (with the actor the API adds from the token). */
export const commandSchemas = {
  household: z.object({ actor: actorSchema, month: monthSchema, household }).strict(),
  village: z.object({ actor: actorSchema, month: monthSchema, villageCode: village, households: z.array(household).min(1).max(CHANGE_LIMITS.households) }).strict(),
  check: z.object({ actor: actorSchema, month: monthSchema, summary: text(LIMITS.reason) }).strict(),
};
