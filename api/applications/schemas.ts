// Request and response shapes of "Applications (低保/特困)" in API.md. Unknown fields are refused
// (.strict(): no mass assignment). These schemas validate requests and generate /openapi.json.
import { z } from 'zod';
import '../openapi';
import { checkIdNumber } from '../../workflows/rules/id-number';
import { isDate } from '../../workflows/rules/dates';
import { STEPS } from '../../workflows/application-state';
import { CARE_GRADES, PUBLICITY_CHANNELS } from '../../workflows/rules/types';

// PostgreSQL cannot store NUL, and a lone surrogate is not text: either would make the case unrecordable.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((v) => !UNSAFE.test(v), 'contains control characters or broken Unicode');
export const dateSchema = z.string().refine(isDate, 'a date YYYY-MM-DD').openapi({ example: '2026-11-24', format: 'date' });
const fen = z.number().int().nonnegative().openapi({ description: 'integer fen (分)' });
const staffId = text(64);

export const idNumberSchema = z
  .string()
  .superRefine((v, ctx) => {
    const r = checkIdNumber(v);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: `not a valid 居民身份证号: ${r.reason}` });
  })
  .openapi({ description: '18-character 居民身份证号, check digit verified', example: '140599196803040119' });

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
        members: z.array(memberSchema).min(1).max(30),
        obligors: z.array(obligorSchema).max(30).optional().openapi({ description: '赡养/抚养/扶养义务人, verified too (R-APP-03)' }),
      })
      .strict(),
    materials: z.array(text(64)).max(50),
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

export const caseIdParams = z.object({ caseId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a case id') });

export const materialsSchema = z.object({ materials: z.array(text(64)).min(1).max(50) }).strict().openapi('MaterialsRequest');

export const investigationSchema = z
  .object({
    investigators: z.array(staffId).min(2).max(10).openapi({ description: 'at least 2 distinct staff (R-APP-04)' }),
    visitedOn: dateSchema,
    findings: text(4000),
    incomes: z.array(z.object({ memberIdNumber: idNumberSchema, monthlyFen: fen, source: text(64) }).strict()).max(100),
    expenditures: z
      .array(
        z
          .object({
            kind: z.enum(['illness', 'disability', 'schooling']),
            monthlyFen: fen,
            memberIdNumber: idNumberSchema.optional().openapi({ description: 'the ill, disabled member or the student it is for; a deduction naming nobody is refused (R-APP-05)' }),
          })
          .strict(),
      )
      .max(50),
    assets: z
      .array(
        z
          .object({
            kind: text(64),
            description: text(500),
            valueFen: fen.optional(),
            exempt: z.boolean().optional(),
            exemptReason: text(500).optional().openapi({ description: 'why it is necessary production or living property (R-APP-05)' }),
          })
          .strict(),
      )
      .max(100)
      .default([]),
    incomeDrops: z
      .array(z.object({ memberIdNumber: idNumberSchema, monthlyFen: fen, reason: text(2000), evidence: text(2000) }).strict())
      .max(30)
      .optional()
      .openapi({ description: '收入骤降: a documented current income lower than the verified one replaces it, audited (R-APP-05)' }),
    supporterFindings: z
      .array(z.object({ supporterIdNumber: idNumberSchema, reason: text(2000), evidence: text(2000).optional() }).strict())
      .max(30)
      .optional()
      .openapi({ description: 'TEKUN: a legal supporter (member or obligor) found unable to fulfil the duty of support' }),
    careGrades: z
      .array(z.object({ memberIdNumber: idNumberSchema, grade: z.enum(CARE_GRADES) }).strict())
      .max(30)
      .optional()
      .openapi({ description: 'TEKUN: self-care grade (全自理 self_care, 半护理 partial_care, 全护理 full_care) of each person' }),
  })
  .strict()
  .superRefine((b, ctx) => {
    b.assets.forEach((x, i) => {
      if (x.exempt && !x.exemptReason) ctx.addIssue({ code: 'custom', path: ['assets', i, 'exemptReason'], message: 'an exempted asset needs its reason (R-APP-05)' });
    });
    if (new Set(b.investigators).size < b.investigators.length) {
      ctx.addIssue({ code: 'custom', path: ['investigators'], message: 'each investigator is a distinct person (R-APP-04)' });
    }
  })
  .openapi('InvestigationRequest');

export const countyVisitSchema = z
  .object({ visitors: z.array(staffId).min(2).max(10).openapi({ description: 'at least 2 distinct county civil-affairs staff of the case\'s county (R-APP-08)' }), visitedOn: dateSchema, findings: text(4000) })
  .strict()
  .openapi('CountyVisitRequest');

export const townshipReviewSchema = z
  .object({
    opinion: z.enum(['eligible', 'ineligible']),
    proposedMonthlyFen: fen.positive().optional(),
    reason: text(2000),
    coveredMembers: z.array(idNumberSchema).min(1).max(30).optional().openapi({ description: 'omit for the whole household (R-APP-06); one member for a single-person household (R-APP-07)' }),
    publicityChannels: z
      .array(z.enum(PUBLICITY_CHANNELS))
      .min(1)
      .max(PUBLICITY_CHANNELS.length)
      .optional()
      .openapi({ description: 'where the publicity is posted: noticeboard (公开栏), screen (电子屏), website; omitted: the policy\'s publicityChannels (R-APP-10)' }),
  })
  .strict()
  .openapi('TownshipReviewRequest');

export const objectionSchema = z
  .object({ summary: text(2000), raisedBy: text(200).openapi({ description: 'who raised the objection; township staff record it on their behalf (R-APP-10)' }) })
  .strict()
  .openapi('ObjectionRequest');

export const approvalSchema = z
  .object({
    decision: z.enum(['approve', 'reject']),
    reason: text(2000),
    monthlyFen: fen.positive().optional(),
    meeting: text(500).optional().openapi({ description: '一事一议: the meeting that decided a special case (R-APP-11)' }),
    meetingDate: dateSchema.optional().openapi({ description: '一事一议: the meeting\'s date, given with the first vote that names it (R-APP-11)' }),
    attendees: z.array(staffId).min(1).max(30).optional().openapi({ description: '一事一议: who attended the meeting, given with the first vote; every voter is among them (R-APP-11)' }),
    depositExemptions: z
      .array(z.object({ amountFen: fen.positive(), reason: text(2000), memberIdNumber: idNumberSchema.optional() }).strict())
      .max(30)
      .optional()
      .openapi({ description: 'deposits the collective decision exempts from the property test, each with the reason it records (R-APP-05)' }),
    support: z
      .discriminatedUnion('mode', [
        z.object({ mode: z.literal('dispersed') }).strict(),
        z.object({ mode: z.literal('centralised'), institution: z.object({ name: text(200), code: text(64) }).strict() }).strict(),
      ])
      .optional()
      .openapi({ description: 'TEKUN approvals: 分散供养 at home, or 集中供养 in the named institution that receives the money' }),
  })
  .strict()
  .openapi('ApprovalRequest');

export const reasonSchema = z.object({ reason: text(2000) }).strict().openapi('ReasonRequest');

// R-APP-13: the reasons and the route of appeal are required keys; an empty list or no route at all is
// refused by the workflow's validator (422 naming the field), which also guards Updates sent without the API
export const rejectionNoticeSchema = z
  .object({
    servedOn: dateSchema,
    method: z.enum(['in_person', 'post', 'electronic']),
    noticeNo: text(64).optional(),
    reasons: z.array(text(500)).max(20).openapi({ description: 'the reasons given to the applicant: at least one (R-APP-13)' }),
    appeal: z
      .object({
        reconsideration: z.object({ body: text(200).openapi({ description: 'the body that hears 行政复议' }) }).strict().optional(),
        litigation: z.object({ court: text(200).openapi({ description: 'the court that hears 行政诉讼' }) }).strict().optional(),
      })
      .strict()
      .openapi({ description: 'the route of appeal: 行政复议 and/or 行政诉讼, at least one; the time limits come from the policy (appealReconsiderationDays, appealLitigationMonths)' }),
  })
  .strict()
  .openapi('RejectionNoticeRequest');

export const listQuerySchema = z.object({
  jurisdiction: z.string().regex(/^\d{2,12}$/).optional(),
  step: z.enum(STEPS).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  limit: z.string().regex(/^\d{1,3}$/, '1 to 500').default('50').transform(Number).pipe(z.number().int().min(1).max(500)).openapi({ type: 'integer' }),
  // API8: a case id, nothing else (a NUL byte here was a 500)
  cursor: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a case id').optional(),
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
