// Request and response shapes of "Roster and households (花名册)" in API.md. An import row is checked on
// its own (importHouseholdSchema), so one bad row is reported by index instead of refusing the file.
import { z } from 'zod';
import '../openapi';
import { dateSchema, idNumberSchema, LIMITS, text } from '../../workflows/application/payloads';
import { memberSchema, villageCodeSchema } from '../applications/schemas';
import { cursorSchema } from '../paging';

export const ROSTER_PROGRAMMES = ['DIBAO', 'TEKUN', 'DIBAO_EDGE'] as const;
export const REVIEW_CLASSES = ['annual', 'semiannual', 'quarterly'] as const;
/** Households per POST /v1/roster/import: bigger files go through `npm run import` (or several calls). */
export const MAX_IMPORT_ROWS = 5000;
/** the request body limit of the import route (5,000 households of several members) */
export const IMPORT_BODY_LIMIT = '16mb';

const fen = z.number().int().nonnegative().max(2_147_483_647).meta({ description: 'integer fen (分)' });

export const accountSchema = z
  .object({ bank: text(64), accountNo: z.string().regex(/^\d{10,30}$/, '10 to 30 digits'), holderIdNumber: idNumberSchema })
  .strict()
  .openapi('BankAccountInput', { description: "the recipient's own account at the agent bank (R-PAY-01)" });

export const importHouseholdSchema = z
  .object({
    programme: z.enum(ROSTER_PROGRAMMES),
    villageCode: villageCodeSchema,
    residence: z.enum(['urban', 'rural']).optional().openapi({ description: 'default: from the village code (居委会 001–199 urban, else rural)' }),
    enrolledOn: dateSchema,
    lastReviewOn: dateSchema.optional().openapi({ description: 'the last periodic review in the legacy system: the next one is a cadence later (R-REV-01)' }),
    monthlyFen: fen,
    reviewClass: z.enum(REVIEW_CLASSES),
    members: z.array(memberSchema).min(1).max(LIMITS.members),
    account: accountSchema,
    legacyId: text(64).optional().openapi({ description: "the legacy system's household key, kept for tracing" }),
  })
  .strict()
  .superRefine((h, ctx) => {
    const ids = h.members.map((m) => m.idNumber);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['members', i, 'idNumber'], message: 'appears twice in the household' });
    });
    const selves = h.members.filter((m) => m.relation === 'self').length;
    if (selves !== 1) ctx.addIssue({ code: 'custom', path: ['members'], message: `exactly one member must be the applicant (relation "self"), found ${selves}` });
    if (!ids.includes(h.account.holderIdNumber)) ctx.addIssue({ code: 'custom', path: ['account', 'holderIdNumber'], message: "must be a household member's own account (R-PAY-01)" });
    if (h.programme === 'TEKUN' && h.reviewClass !== 'annual') ctx.addIssue({ code: 'custom', path: ['reviewClass'], message: 'TEKUN is reviewed annually (R-REV-01)' });
    if (h.lastReviewOn && h.lastReviewOn < h.enrolledOn) ctx.addIssue({ code: 'custom', path: ['lastReviewOn'], message: 'is before enrolledOn' });
  })
  .openapi('ImportHousehold');

export type ImportHousehold = z.infer<typeof importHouseholdSchema>;

export const importRequestSchema = z
  .object({
    // each row is checked on its own (a bad row is reported, the others are imported): not here
    households: z
      .array(z.unknown().openapi({ description: 'an ImportHousehold' }))
      .min(1)
      .max(MAX_IMPORT_ROWS)
      .openapi({ description: `at most ${MAX_IMPORT_ROWS} households (ImportHousehold) per request; bigger files: npm run import` }),
    source: text(200).optional().openapi({ description: 'the file the rows come from, recorded with each household (imported_from)' }),
    firstIndex: z.number().int().nonnegative().optional().openapi({ description: 'the index of the first row in its file, so a file sent in parts reports file indices' }),
  })
  .strict()
  .openapi('RosterImportRequest');

export const importResultSchema = z
  .object({
    received: z.number().int(),
    imported: z.number().int(),
    alreadyPresent: z.number().int().openapi({ description: 'rows whose household (the same covered members) is already on the active roster: nothing new' }),
    rejected: z.array(z.object({ index: z.number().int(), errors: z.array(z.object({ path: z.string(), message: z.string() })) })),
    chunks: z.number().int().openapi({ description: 'transactions written (each one whole or nothing)' }),
  })
  .openapi('RosterImportResult');

export const rosterQuerySchema = z.object({
  jurisdiction: z.string().regex(/^\d{2,12}$/, 'a 区划代码 of 2 to 12 digits').optional(),
  programme: z.enum(ROSTER_PROGRAMMES).optional(),
  status: z.enum(['active', 'stopped']).optional(),
  dueBefore: dateSchema.optional().openapi({ description: 'only households whose next review is on or before this date' }),
  limit: z.string().regex(/^\d{1,3}$/, '1 to 500').default('50').transform(Number).pipe(z.number().int().min(1).max(500)).openapi({ type: 'integer' }),
  cursor: cursorSchema('roster').optional(),
});

export const householdIdParams = z.object({ householdId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a household id') });

const rosterItem = z.object({
  householdId: z.string(),
  programme: z.string(),
  villageCode: z.string(),
  status: z.string(),
  monthlyFen: z.number().int(),
  enrolledOn: z.string(),
  reviewClass: z.string(),
  nextReviewOn: z.string(),
  source: z.string(),
});

export const rosterListSchema = z.object({ items: z.array(rosterItem), nextCursor: z.string().nullable() }).openapi('RosterList');

export const householdViewSchema = rosterItem
  .extend({
    residence: z.string(),
    paymentStartMonth: z.string(),
    singlePerson: z.boolean(),
    legacyId: z.string().nullable(),
    members: z.array(
      z.object({
        name: z.string(),
        idNumber: z.string().openapi({ description: 'masked for roles that do not work the case (village assistants, supervisors, auditors)' }),
        relation: z.string(),
        birthDate: z.string(),
        covered: z.boolean(),
        active: z.boolean(),
      }),
    ),
    account: z.object({ bank: z.string(), accountNo: z.string().openapi({ description: 'masked: last 4 digits' }), holderName: z.string() }).nullable(),
    payments: z.array(z.unknown()).openapi({ description: 'payment history (the monthly roll writes it; empty until then)' }),
  })
  .openapi('Household');
