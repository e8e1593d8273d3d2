// The payloads of the application's commands, as zod schemas both sides run (issue 16 API1, API4): the
// API validates request bodies with them (api/applications/schemas.ts adds the OpenAPI names), and the
// workflow's update validators parse every command with them (with its actor), so an Update sent
// straight to Temporal meets the same shapes and limits. Pure zod: no OpenAPI extension, no Node
// modules (this runs in the workflow sandbox). Descriptions are zod `.meta()`, which /openapi.json reads.
import { z } from 'zod';
import { checkIdNumber } from '../rules/id-number';
import { isDate } from '../rules/dates';
import { CARE_GRADES, INCOME_SOURCES, PUBLICITY_CHANNELS } from '../rules/types';

/** Limits that fit a real case (README "Bounded work"): big enough for any real household, no bigger. */
export const LIMITS = {
  /** an investigation's whole body, serialised as JSON (UTF-8 bytes) */
  investigationBytes: 32 * 1024,
  findings: 4000,
  reason: 2000,
  note: 500,
  name: 64,
  members: 30,
  obligors: 30,
  materials: 50,
  staff: 10,
  attendees: 50,
  incomes: 60,
  expenditures: 60,
  assets: 50,
  perMemberLists: 30,
} as const;

// PostgreSQL cannot store NUL, and a lone surrogate is not text: either would make the case unrecordable.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((v) => !UNSAFE.test(v), 'contains control characters or broken Unicode');
export const dateSchema = z.string().refine(isDate, 'a date YYYY-MM-DD').meta({ example: '2026-11-24', format: 'date' });
export const fen = z.number().int().nonnegative().meta({ description: 'integer fen (分)' });
export const staffId = text(LIMITS.name);
/** R-APP-05: one vocabulary for the declaration, the investigation and the verification report */
export const incomeSource = z
  .enum(INCOME_SOURCES)
  .meta({ description: 'wages, pension, business, agriculture, casual_work (零工), rent, transfers (help from relatives and other private transfers), other' });

export const idNumberSchema = z
  .string()
  .superRefine((v, ctx) => {
    const r = checkIdNumber(v);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: `not a valid 居民身份证号: ${r.reason}` });
  })
  .meta({ description: '18-character 居民身份证号, check digit verified', example: '140599196803040119' });

/** UTF-8 bytes of a string, counted by hand (no TextEncoder needed in the workflow sandbox). */
export function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 4 : c >= 0xdc00 && c <= 0xdfff ? 0 : 3;
  }
  return n;
}

/**
 * What every command carries beside its body: who gives it (the API fills it from the token; the
 * workflow's admit checks its jurisdiction). Loose inside: the actor may carry more (a signature).
 * A field added to every command goes here, or the strict command schemas refuse it.
 */
export const actorSchema = z.object({ id: staffId, name: z.string().max(200).optional(), role: text(LIMITS.name), jurisdiction: z.string().regex(/^\d{2,12}$/) }).loose();
const COMMAND_ENVELOPE = { actor: actorSchema };

/**
 * Issue 21 §2: what the staff register says of one person a command names (investigator, visitor, voter,
 * attendee), resolved by the API and signed with the payload, so the workflow checks R-APP-04/08/11 itself.
 */
export const staffFactSchema = z.object({ id: staffId, role: text(LIMITS.name), jurisdiction: z.string().regex(/^\d{2,12}$/), active: z.boolean() }).strict();
/** A command that names staff carries their facts (never the request body: the API adds them). */
const NAMED_STAFF = { staff: z.array(staffFactSchema).max(LIMITS.staff + LIMITS.attendees + 1) };

/** A body and the same body as a command (with the actor the API adds from the token): both strict. */
function payload<S extends z.ZodRawShape>(shape: S, refine?: (b: z.infer<z.ZodObject<S>>, ctx: z.RefinementCtx) => void, envelope: z.ZodRawShape = {}) {
  const body = z.object(shape).strict();
  const command = z.object({ ...shape, ...COMMAND_ENVELOPE, ...envelope }).strict();
  return refine ? { body: body.superRefine(refine), command: command.superRefine(refine as never) } : { body, command };
}


// R-APP-01, R-APP-12: an empty list is a township caseworker accepting what a village assistant handed in
export const materials = payload({
  materials: z.array(text(LIMITS.name)).max(LIMITS.materials).meta({ description: "papers supplied; empty: the township caseworker accepts what was handed in (R-APP-12)" }),
});

export const investigation = payload(
  {
    investigators: z.array(staffId).min(2).max(LIMITS.staff).meta({ description: 'at least 2 distinct staff (R-APP-04)' }),
    visitedOn: dateSchema,
    findings: text(LIMITS.findings),
    incomes: z
      .array(z.object({ memberIdNumber: idNumberSchema, monthlyFen: fen, source: incomeSource }).strict())
      .max(LIMITS.incomes)
      .meta({ description: 'declared or found by the investigation; counted source by source as the larger of this and the verified figure (R-APP-05)' }),
    expenditures: z
      .array(
        z
          .object({
            kind: z.enum(['illness', 'disability', 'schooling']),
            monthlyFen: fen,
            memberIdNumber: idNumberSchema.optional().meta({ description: 'the ill, disabled member or the student it is for; a deduction naming nobody is refused (R-APP-05)' }),
          })
          .strict(),
      )
      .max(LIMITS.expenditures),
    assets: z
      .array(
        z
          .object({
            kind: text(LIMITS.name),
            description: text(LIMITS.note),
            valueFen: fen.optional(),
            exempt: z.boolean().optional(),
            exemptReason: text(LIMITS.note).optional().meta({ description: 'why it is necessary production or living property (R-APP-05)' }),
          })
          .strict(),
      )
      .max(LIMITS.assets)
      .default([]),
    incomeDrops: z
      .array(
        z
          .object({
            memberIdNumber: idNumberSchema,
            source: incomeSource.optional().meta({ description: 'the source whose income dropped; required when the verification found more than one' }),
            monthlyFen: fen,
            reason: text(LIMITS.reason),
            evidence: text(LIMITS.reason),
          })
          .strict(),
      )
      .max(LIMITS.perMemberLists)
      .optional()
      .meta({ description: '收入骤降: a documented current income lower than the verified one replaces it, audited (R-APP-05)' }),
    supporterFindings: z
      .array(z.object({ supporterIdNumber: idNumberSchema, reason: text(LIMITS.reason), evidence: text(LIMITS.reason).optional() }).strict())
      .max(LIMITS.perMemberLists)
      .optional()
      .meta({ description: 'TEKUN: a legal supporter (member or obligor) found unable to fulfil the duty of support' }),
    careGrades: z
      .array(z.object({ memberIdNumber: idNumberSchema, grade: z.enum(CARE_GRADES) }).strict())
      .max(LIMITS.perMemberLists)
      .optional()
      .meta({ description: 'TEKUN: self-care grade (全自理 self_care, 半护理 partial_care, 全护理 full_care) of each person' }),
  },
  (b, ctx) => {
    (b.assets ?? []).forEach((x, i) => {
      if (x.exempt && !x.exemptReason) ctx.addIssue({ code: 'custom', path: ['assets', i, 'exemptReason'], message: 'an exempted asset needs its reason (R-APP-05)' });
    });
    if (new Set(b.investigators).size < b.investigators.length) {
      ctx.addIssue({ code: 'custom', path: ['investigators'], message: 'each investigator is a distinct person (R-APP-04)', params: { rule: 'R-APP-04' } });
    }
    // API4: one investigation stays under 32 KB as a whole, whatever its parts' own limits allow
    const { actor: _actor, staff: _staff, ...body } = b as typeof b & { actor?: unknown; staff?: unknown };
    const bytes = utf8Bytes(JSON.stringify(body));
    if (bytes > LIMITS.investigationBytes) {
      ctx.addIssue({ code: 'too_big', origin: 'json', maximum: LIMITS.investigationBytes, input: bytes, path: [], message: `the investigation is ${bytes} bytes, at most ${LIMITS.investigationBytes} (API4)` });
    }
  },
  NAMED_STAFF,
);

export const countyVisit = payload({
  visitors: z.array(staffId).min(2).max(LIMITS.staff).meta({ description: "at least 2 distinct county civil-affairs staff of the case's county (R-APP-08)" }),
  visitedOn: dateSchema,
  findings: text(LIMITS.findings),
}, undefined, NAMED_STAFF);

export const townshipReview = payload({
  opinion: z.enum(['eligible', 'ineligible']),
  proposedMonthlyFen: fen.positive().optional(),
  reason: text(LIMITS.reason),
  coveredMembers: z.array(idNumberSchema).min(1).max(LIMITS.members).optional().meta({ description: 'omit for the whole household (R-APP-06); one member for a single-person household (R-APP-07)' }),
  publicityChannels: z
    .array(z.enum(PUBLICITY_CHANNELS))
    .min(1)
    .max(PUBLICITY_CHANNELS.length)
    .optional()
    .meta({ description: "where the publicity is posted: noticeboard (公开栏), screen (电子屏), website; omitted: the policy's publicityChannels (R-APP-10)" }),
});

export const objection = payload({
  summary: text(LIMITS.reason),
  raisedBy: text(200).meta({ description: 'who raised the objection; township staff record it on their behalf (R-APP-10)' }),
});

export const approval = payload({
  decision: z.enum(['approve', 'reject']),
  reason: text(LIMITS.reason),
  monthlyFen: fen.positive().optional(),
  meeting: text(LIMITS.note).optional().meta({ description: '一事一议: the meeting that decided a special case (R-APP-11)' }),
  meetingDate: dateSchema.optional().meta({ description: "一事一议: the meeting's date, given with the first vote that names it (R-APP-11)" }),
  attendees: z.array(staffId).min(1).max(LIMITS.attendees).optional().meta({ description: '一事一议: who attended the meeting, given with the first vote; every voter is among them (R-APP-11)' }),
  depositExemptions: z
    .array(z.object({ amountFen: fen.positive(), reason: text(LIMITS.reason), memberIdNumber: idNumberSchema.optional() }).strict())
    .max(LIMITS.perMemberLists)
    .optional()
    .meta({ description: 'deposits the collective decision exempts from the property test, each with the reason it records (R-APP-05)' }),
  support: z
    .discriminatedUnion('mode', [
      z.object({ mode: z.literal('dispersed') }).strict(),
      z.object({ mode: z.literal('centralised'), institution: z.object({ name: text(200), code: text(LIMITS.name) }).strict() }).strict(),
    ])
    .optional()
    .meta({ description: 'TEKUN approvals: 分散供养 at home, or 集中供养 in the named institution that receives the money' }),
}, undefined, NAMED_STAFF);

export const reason = payload({ reason: text(LIMITS.reason) });

// R-APP-13: the reasons and the route of appeal are required keys; an empty list or no route at all is
// refused by the guard's authorize (422 naming the field)
export const rejectionNotice = payload({
  servedOn: dateSchema,
  method: z.enum(['in_person', 'post', 'electronic']),
  noticeNo: text(LIMITS.name).optional(),
  reasons: z.array(text(500)).max(20).meta({ description: 'the reasons given to the applicant: at least one (R-APP-13)' }),
  appeal: z
    .object({
      reconsideration: z.object({ body: text(200).meta({ description: 'the body that hears 行政复议' }) }).strict().optional(),
      litigation: z.object({ court: text(200).meta({ description: 'the court that hears 行政诉讼' }) }).strict().optional(),
    })
    .strict()
    .meta({ description: 'the route of appeal: 行政复议 and/or 行政诉讼, at least one; the time limits come from the policy (appealReconsiderationDays, appealLitigationMonths)' }),
});
