// Request and response shapes of "Applications (低保/特困)" in API.md. Unknown fields are refused
// (.strict(): no mass assignment). These schemas validate requests and generate /openapi.json.
import { z } from 'zod';
import '../openapi';
import { STEPS } from '../../workflows/application/state';
import { INCOME_SOURCES, PUBLICITY_CHANNELS } from '../../workflows/rules/types';
import * as payload from '../../workflows/application/payloads';
import { dateSchema, idNumberSchema, LIMITS, text } from '../../workflows/application/payloads';
import { checkIdNumber } from '../../workflows/rules/id-number';
import { caseIdSchema } from '../params';
import { cursorSchema } from '../paging';

// the shapes the workflow's validators parse too (issue 16 API1); re-exported for the API's other schemas
export { dateSchema, idNumberSchema };
const staffId = text(LIMITS.name);

export const villageCodeSchema = z.string().regex(/^\d{12}$/, 'a 12-digit village 区划代码').openapi({ example: '140599100201' });

export const memberSchema = z
  .object({
    name: text(64),
    idNumber: idNumberSchema,
    relation: z.enum(['self', 'spouse', 'child', 'parent', 'sibling', 'grandparent', 'grandchild', 'other']),
    birthDate: dateSchema,
    disabilityGrade: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
    severeIllness: z.boolean().optional(),
    ableToWork: z.boolean().optional(),
    student: z.boolean().optional(),
    confidential: z.boolean().optional().openapi({ description: 'never published (HIV/AIDS and others whose data must stay confidential, R-SUP-04); the reason is not recorded' }),
  })
  .strict()
  .superRefine((m, ctx) => {
    const r = checkIdNumber(m.idNumber);
    if (r.ok && r.birthDate !== m.birthDate) {
      ctx.addIssue({ code: 'custom', path: ['birthDate'], message: `does not match the ID number's birth date ${r.birthDate}` });
    }
  })
  .openapi('Member');

const obligorSchema = z.object({ name: text(64), idNumber: idNumberSchema, relation: text(32) }).strict().openapi('Obligor');

export const createApplicationSchema = z
  .object({
    programme: z.enum(['DIBAO', 'TEKUN']),
    villageCode: villageCodeSchema,
    receivedOn: dateSchema.optional().openapi({ description: 'a paper application received earlier: the deadline counts from here (R-APP-12)' }),
    household: z
      .object({
        residence: z.enum(['urban', 'rural']),
        members: z.array(memberSchema).min(1).max(LIMITS.members),
        obligors: z.array(obligorSchema).max(LIMITS.obligors).optional().openapi({ description: '赡养/抚养/扶养义务人, verified too (R-APP-03)' }),
      })
      .strict(),
    materials: z.array(text(LIMITS.name)).max(LIMITS.materials),
    // R-APP-02: every intake carries the declaration of near relatives among staff and village cadres
    nearRelativeDeclaration: z
      .object({
        hasStaffRelatives: z.boolean(),
        relations: z.array(z.object({ memberIdNumber: idNumberSchema, staffId, relation: text(32) }).strict()).max(30).optional(),
      })
      .strict(),
    account: z
      .object({ bank: text(64), accountNo: z.string().regex(/^\d{10,30}$/, '10 to 30 digits'), holderIdNumber: idNumberSchema })
      .strict()
      .optional()
      .openapi({ description: "the recipient's own account at the agent bank (R-PAY-01)" }),
  })
  .strict()
  .superRefine((a, ctx) => {
    const ids = a.household.members.map((m) => m.idNumber);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['household', 'members', i, 'idNumber'], message: 'appears twice in the household' });
    });
    const selves = a.household.members.filter((m) => m.relation === 'self').length;
    if (selves !== 1) ctx.addIssue({ code: 'custom', path: ['household', 'members'], message: `exactly one member must be the applicant (relation "self"), found ${selves}` });
    (a.household.obligors ?? []).forEach((o, i) => {
      if (ids.includes(o.idNumber)) ctx.addIssue({ code: 'custom', path: ['household', 'obligors', i, 'idNumber'], message: 'is a household member, not an obligor' });
    });
    const d = a.nearRelativeDeclaration;
    if (d.hasStaffRelatives && !d.relations?.length) {
      ctx.addIssue({ code: 'custom', path: ['nearRelativeDeclaration', 'relations'], message: 'list the relations when hasStaffRelatives is true (R-APP-02)' });
    }
    if (!d.hasStaffRelatives && d.relations?.length) {
      ctx.addIssue({ code: 'custom', path: ['nearRelativeDeclaration', 'hasStaffRelatives'], message: 'is false but relations are listed' });
    }
    (d.relations ?? []).forEach((r, i) => {
      if (!ids.includes(r.memberIdNumber)) ctx.addIssue({ code: 'custom', path: ['nearRelativeDeclaration', 'relations', i, 'memberIdNumber'], message: 'is not a household member' });
    });
    if (a.account && !ids.includes(a.account.holderIdNumber)) {
      ctx.addIssue({ code: 'custom', path: ['account', 'holderIdNumber'], message: "must be a household member's own account (R-PAY-01)" });
    }
  })
  .openapi('ApplicationRequest');

export const caseIdParams = z.object({ caseId: caseIdSchema });

/**
 * Names a payload schema for /openapi.json. The workflow's module never extends zod, and may be loaded
 * before this one did (a process that also runs the worker, a test): such a schema has no `.openapi`
 * of its own, so the extension's method is called on it.
 */
function named<T extends z.ZodType>(schema: T, name: string, meta?: { description: string }): T {
  const { openapi } = z.ZodType.prototype as unknown as { openapi: (this: T, name: string, meta?: object) => T };
  return openapi.call(schema, name, meta);
}

// Commands: the payload schemas of workflows/application/payloads.ts, named for /openapi.json.
export const materialsSchema = named(payload.materials.body, 'MaterialsRequest');
export const investigationSchema = named(payload.investigation.body, 'InvestigationRequest', {
  description: `at most ${LIMITS.investigationBytes} bytes as JSON (API4); findings ≤ ${LIMITS.findings} characters`,
});
export const countyVisitSchema = named(payload.countyVisit.body, 'CountyVisitRequest');
export const townshipReviewSchema = named(payload.townshipReview.body, 'TownshipReviewRequest');
export const objectionSchema = named(payload.objection.body, 'ObjectionRequest');
export const approvalSchema = named(payload.approval.body, 'ApprovalRequest');
export const reasonSchema = named(payload.reason.body, 'ReasonRequest');
export const rejectionNoticeSchema = named(payload.rejectionNotice.body, 'RejectionNoticeRequest');

export const listQuerySchema = z.object({
  jurisdiction: z.string().regex(/^\d{2,12}$/).optional(),
  step: z.enum(STEPS).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  limit: z.string().regex(/^\d{1,3}$/, '1 to 500').default('50').transform(Number).pipe(z.number().int().min(1).max(500)).openapi({ type: 'integer' }),
  // API8: a cursor this API issued, nothing else (a NUL byte here was a 500)
  cursor: cursorSchema('applications').optional(),
});

const deadlineSchema = z.object({
  name: z.string(),
  step: z.string(),
  startedOn: z.string(),
  dueOn: z.string(),
  overdue: z.boolean(),
  overdueSince: z.string().nullable(),
  extended: z.boolean(),
  warned: z.boolean(),
  beyondCalendar: z.boolean(),
  escalatedTo: z.string().nullable(),
  closed: z.boolean(),
});

// R-APP-05: counted income per member and source, as the accounting and the township review carry it
const sourceIncomeSchema = z
  .object({
    source: z.enum(INCOME_SOURCES),
    declaredFen: z.number().int(),
    verifiedFen: z.number().int(),
    countedFen: z.number().int().openapi({ description: 'the larger of declared and verified; lower than verified only with a documented drop (收入骤降)' }),
    documentedDropFen: z.number().int().optional(),
  })
  .openapi('SourceIncome');
const memberIncomeSchema = z
  .object({
    idNumber: z.string(),
    declaredFen: z.number().int(),
    verifiedFen: z.number().int(),
    countedFen: z.number().int(),
    documentedDropFen: z.number().int().optional(),
    sources: z.array(sourceIncomeSchema).optional().openapi({ description: 'absent from accountings made before income was counted source by source' }),
  })
  .openapi('MemberIncome');

export const applicationViewSchema = z
  .object({
    caseId: z.string(),
    programme: z.enum(['DIBAO', 'TEKUN']),
    villageCode: z.string(),
    status: z.enum(['open', 'enrolled', 'rejected', 'withdrawn']),
    step: z.enum(STEPS),
    assignee: z.string().optional(),
    receivedOn: z.string(),
    acceptedOn: z.string().nullable(),
    household: z.unknown(),
    missingMaterials: z.array(z.string()),
    flags: z.array(z.string()),
    specialFiling: z.array(z.string()),
    deadlines: z.array(deadlineSchema),
    decisions: z.unknown(),
    accounting: z
      .object({ members: z.array(memberIncomeSchema), grossMonthlyFen: z.number().int(), netMonthlyFen: z.number().int(), maxMonthlyFen: z.number().int() })
      .loose()
      .nullable()
      .optional()
      .openapi({ description: 'R-APP-05: the income accounting of the last investigation' }),
    townshipReview: z
      .object({ incomes: z.array(z.object({ idNumber: z.string(), sources: z.array(sourceIncomeSchema) })).optional() })
      .loose()
      .nullable()
      .optional()
      .openapi({ description: "the township's opinion, with the counted income per member and source it rests on (R-APP-05)" }),
    publicityArchive: z
      .array(z.object({ round: z.number().int(), channels: z.array(z.enum(PUBLICITY_CHANNELS)), from: z.string(), until: z.string(), posted: z.unknown() }))
      .optional()
      .openapi({ description: 'R-APP-10: what each publicity round posted (names, village, amount; never ID numbers, minors or confidential members, R-SUP-04), where and when' }),
    history: z.array(z.object({ seq: z.string(), at: z.string(), actor: z.string(), action: z.string(), reason: z.string().nullable(), data: z.unknown() })).optional(),
  })
  .loose()
  .openapi('Application');

export const applicationListSchema = z
  .object({
    items: z.array(
      z.object({
        caseId: z.string(),
        programme: z.string(),
        villageCode: z.string(),
        status: z.string(),
        step: z.string(),
        assignee: z.string().nullable(),
        decisionDueOn: z.string().nullable(),
        overdue: z.boolean(),
        updatedAt: z.string(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi('ApplicationList');

export type CreateApplication = z.infer<typeof createApplicationSchema>;
