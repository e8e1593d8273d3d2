// Wire format of the economic-status verification agency (家庭经济状况核对中心), R-APP-03.
// The HTTP client (agency.ts) and the sandbox (sandbox-agency.ts) both use these schemas, so the two
// cannot drift apart silently.
//
// ── Protocol ───────────────────────────────────────────────────────────────────────────────────────
// Every request: `Authorization: Bearer <apiKey>`; missing or wrong → 401.
// Errors are RFC 9457 problem JSON (`application/problem+json`): { type, title, status, detail } and,
// for a body that fails validation, `errors: [{ path: 'subjects.0.idNumber', message }]`.
//
// POST /v1/checks                     submit a check
//   headers  Idempotency-Key: <key>   required (1..255 chars); missing → 400
//   body     { reference, subjects: VerificationSubject[1..50], purpose: application|review|death|alert }
//   202      { checkId, status: 'pending', submittedAt }
//   200      same body as the first answer, when the key is replayed with the same body (compared after
//            validation, key order ignored): a retried submission finds the first check.
//   422      the key was used before with a different body.
//   400      invalid body (ID numbers are checked against GB 11643: birth date and check digit).
//
//   A finding's income `source` is the agency's label: toIncomeSource maps it onto R-APP-05's vocabulary
//   (wages, pension, business, agriculture, casual_work, rent, transfers, other; anything else is other).
//
// GET /v1/checks/{checkId}            poll a check
//   200      { checkId, status: 'pending', submittedAt }
//          | { checkId, status: 'completed', submittedAt, completedAt, report: VerificationReport }
//   404      unknown checkId.
//   A completed report is frozen: later polls return the same findings.
//
// 503/429/5xx and network faults are transient: clients retry. 400/401/403/404/422 are final.
//
// Sandbox only (same auth):
//   PUT    /sandbox/people/{idNumber}  partial SubjectFindings (without idNumber/role): that person's fixture
//   DELETE /sandbox/people             clear every fixture
//   PUT    /sandbox/config             { latencyMs?, failNextRequests? }: the next n /v1 requests answer 503
//   GET    /sandbox/checks             every check submitted, for tests to count submissions
import { z } from 'zod';
import { checkIdNumber } from '../../workflows/rules/id-number';
import { INCOME_SOURCES, type IncomeSource, type SubjectFindings, type VerificationReport, type VerificationSubject } from '../../workflows/rules/types';

export const purposeSchema = z.enum(['application', 'review', 'death', 'alert']);
export type CheckPurpose = z.infer<typeof purposeSchema>;

export const idNumberSchema = z.string().superRefine((value, ctx) => {
  const result = checkIdNumber(value);
  if (!result.ok) ctx.addIssue({ code: 'custom', message: `not a valid ID number: ${result.reason}` });
});

const fen = z.int().nonnegative();

/** Labels an agency is known to use for a source of R-APP-05's vocabulary (compared trimmed, lower-case). */
const AGENCY_SOURCE_LABELS: Record<string, IncomeSource> = {
  wage: 'wages', salary: 'wages', 工资: 'wages', 工资性收入: 'wages',
  retirement: 'pension', 养老金: 'pension', 退休金: 'pension',
  经营: 'business', 经营性收入: 'business',
  farming: 'agriculture', 农业: 'agriculture', 种养殖: 'agriculture',
  casual: 'casual_work', 零工: 'casual_work', 灵活就业: 'casual_work',
  rental: 'rent', 租金: 'rent', 出租: 'rent',
  transfer: 'transfers', 赡养费: 'transfers', 抚养费: 'transfers',
};

/**
 * R-APP-05: the agency's income source onto the shared vocabulary, at the adapter boundary. Whatever the
 * agency reports that the vocabulary does not know is `other`, never an error: the figure still counts.
 */
export function toIncomeSource(label: unknown): IncomeSource {
  if (typeof label !== 'string') return 'other';
  const key = label.trim().toLowerCase();
  return (INCOME_SOURCES as readonly string[]).includes(key) ? (key as IncomeSource) : (AGENCY_SOURCE_LABELS[key] ?? 'other');
}
const roleSchema = z.enum(['member', 'obligor']);

export const subjectSchema = z.object({
  idNumber: idNumberSchema,
  name: z.string().trim().min(1).max(100),
  role: roleSchema,
}) satisfies z.ZodType<VerificationSubject>;

export const submitCheckBodySchema = z
  .object({
    reference: z.string().trim().min(1).max(200),
    subjects: z.array(subjectSchema).min(1).max(50),
    purpose: purposeSchema,
  })
  .superRefine((body, ctx) => {
    // One person listed twice would get two findings, and a household total would count them twice.
    const seen = new Set<string>();
    body.subjects.forEach((s, i) => {
      if (seen.has(s.idNumber)) ctx.addIssue({ code: 'custom', path: ['subjects', i, 'idNumber'], message: 'listed twice' });
      seen.add(s.idNumber);
    });
  });
export type SubmitCheckBody = z.infer<typeof submitCheckBodySchema>;

export const subjectFindingsSchema = z.object({
  idNumber: z.string(),
  role: roleSchema,
  registeredResidence: z.string().nullable(),
  incomes: z.array(
    z.object({
      source: z.unknown().optional().transform(toIncomeSource),
      monthlyFen: fen,
      payer: z.string().optional(),
    }),
  ),
  depositsFen: fen,
  realEstate: z.array(
    z.object({
      kind: z.enum(['residential', 'commercial', 'rural_homestead']),
      areaM2: z.number().nonnegative(),
      address: z.string().optional(),
    }),
  ),
  vehicles: z.array(z.object({ kind: z.enum(['consumer', 'production']), plate: z.string().optional(), valueFen: fen })),
  businesses: z.array(z.object({ name: z.string(), registeredCapitalFen: fen })),
  housingFundMonthlyFen: fen,
  pensionContributionMonthlyFen: fen,
  publicEmployeeRelatives: z.array(z.object({ name: z.string(), relation: z.string(), employer: z.string() })),
}) satisfies z.ZodType<SubjectFindings>;

export const verificationReportSchema = z.object({
  checkId: z.string(),
  completedAt: z.string(),
  subjects: z.array(subjectFindingsSchema),
}) satisfies z.ZodType<VerificationReport>;

/** Sandbox fixture: what the agency will find about one person; omitted fields are clean. Strict, so a
 * misspelt field fails loudly instead of leaving the person clean. */
export const fixtureBodySchema = subjectFindingsSchema.omit({ idNumber: true, role: true }).partial().strict();
export type Fixture = z.infer<typeof fixtureBodySchema>;

export const submitCheckResponseSchema = z.object({
  checkId: z.string().min(1),
  status: z.literal('pending'),
  submittedAt: z.string(),
});
export type SubmitCheckResponse = z.infer<typeof submitCheckResponseSchema>;

export const checkResponseSchema = z.discriminatedUnion('status', [
  submitCheckResponseSchema,
  submitCheckResponseSchema.extend({
    status: z.literal('completed'),
    completedAt: z.string(),
    report: verificationReportSchema,
  }),
]);
export type CheckResponse = z.infer<typeof checkResponseSchema>;

export const sandboxConfigSchema = z
  .object({ latencyMs: z.int().nonnegative().optional(), failNextRequests: z.int().nonnegative().optional() })
  .strict();

export interface ProblemFieldError {
  path: string;
  message: string;
}

/** Read leniently: a proxy in front of the agency may answer with something else entirely. */
export const problemSchema = z.object({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().optional(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** What the agency reports about a person of whom it found nothing. */
export function emptyFindings(idNumber: string, role: SubjectFindings['role']): SubjectFindings {
  return {
    idNumber,
    role,
    registeredResidence: null,
    incomes: [],
    depositsFen: 0,
    realEstate: [],
    vehicles: [],
    businesses: [],
    housingFundMonthlyFen: 0,
    pensionContributionMonthlyFen: 0,
    publicEmployeeRelatives: [],
  };
}
