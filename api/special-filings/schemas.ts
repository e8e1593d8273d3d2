// R-APP-08, R-SUP-06: the special-filing export's query and answer (validation and /openapi.json).
import { z } from 'zod';
import '../openapi';
import { dateSchema } from '../applications/schemas';
import { isDate } from '../../workflows/rules/dates';

// API8: every parameter bounded before it reaches PostgreSQL
export const specialFilingsQuery = z
  .object({
    from: dateSchema.meta({ description: 'enrolled on or after this day' }),
    to: dateSchema.meta({ description: 'enrolled on or before this day' }),
    format: z.enum(['json', 'csv', 'xlsx']).default('json').openapi({ description: 'json (paged), or the whole period as csv (UTF-8 with BOM) or xlsx' }),
    jurisdiction: z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/).optional().openapi({ description: 'narrow to this part of the caller’s subtree' }),
    limit: z.string().regex(/^\d{1,3}$/, '1 to 500').default('100').transform(Number).pipe(z.number().int().min(1).max(500)).openapi({ type: 'integer' }),
    cursor: z.string().regex(/^\d{1,18}$/, 'an entry id (at most 18 digits)').optional().openapi({ description: 'json: the entry id to continue after' }),
  })
  // compared only when both are dates: a bad `from` is its own error, not also `to`'s (API8: errors name the field)
  .refine((q) => !isDate(q.from) || !isDate(q.to) || q.to >= q.from, { path: ['to'], message: 'must not be before from' });

export const specialFilingSchema = z
  .object({
    id: z.string(),
    caseId: z.string(),
    householdId: z.string(),
    countyCode: z.string(),
    villageCode: z.string(),
    villageName: z.string(),
    programme: z.string(),
    reason: z.string(),
    reasonLabel: z.string(),
    applicantName: z.string(),
    applicantIdNumber: z.string().openapi({ description: 'masked (R-SUP-04 style)' }),
    staffIds: z.array(z.string()),
    relations: z.array(z.object({ staffId: z.string(), memberName: z.string(), relation: z.string(), source: z.string() })),
    visitors: z.array(z.string()),
    monthlyFen: z.number().int(),
    enrolledOn: z.string(),
  })
  .openapi('SpecialFiling');

export const specialFilingsResponse = z.object({ items: z.array(specialFilingSchema), nextCursor: z.string().nullable() });

export type SpecialFilingEntry = z.infer<typeof specialFilingSchema>;
