// The bodies and queries of "Direct payments" in API.md (zod, OpenAPI names); the payloads are the
// workflow's own. A medical amount above the residual, a payee of the wrong type or the medical figures
// missing are bad input (400, naming the field); the policy's funeral standard and the registers are
// checked by the service (422).
import { z } from 'zod';
import '../openapi';
import { caseIdSchema } from '../params';
import { cursorSchema } from '../paging';
import * as payload from '../../workflows/direct-payment/payloads';
import { STEPS } from '../../workflows/direct-payment/state';
import { dateSchema, idNumberSchema } from '../../workflows/application/payloads';
import { medicalIssues, payeeIssues } from '../../workflows/rules/direct-payment';

export const paymentIdParams = z.object({ paymentId: caseIdSchema });

export const createDirectPaymentSchema = z
  .object({
    kind: z.enum(['funeral', 'medical']).meta({ description: 'funeral: the payee and amount of the funeral payment the death stop started (R-DTH-04); medical: a new payment (R-DIR-02)' }),
    personIdNumber: idNumberSchema,
    ...payload.requestShape,
  })
  .strict()
  .superRefine((b, ctx) => {
    for (const i of [...payeeIssues(b.kind, b.payee), ...medicalIssues(b.kind, b)]) ctx.addIssue({ code: 'custom', path: i.path.split('.'), message: i.message });
  })
  .openapi('DirectPaymentRequest');

export type CreateDirectPayment = z.infer<typeof createDirectPaymentSchema>;

export const directPaymentApprovalSchema = payload.approval.body.openapi('DirectPaymentApproval');
export const payeeCorrectionSchema = payload.correction.body.openapi('PayeeCorrection');
export const paymentResumptionSchema = payload.resumption.body.openapi('PaymentResumption');

export const directPaymentListQuery = z.object({
  jurisdiction: z.string().regex(/^\d{2,12}$/).optional(),
  kind: z.enum(['funeral', 'medical']).optional(),
  step: z.enum(STEPS).optional(),
  /** open payments due before this date (the rules set no deadline today: kept for the list's common shape) */
  dueBefore: dateSchema.optional(),
  limit: z.string().regex(/^\d{1,3}$/, '1 to 500').default('50').transform(Number).pipe(z.number().int().min(1).max(500)).openapi({ type: 'integer' }),
  cursor: cursorSchema('direct-payments').optional(),
});

export const directPaymentViewSchema = z
  .object({ paymentId: z.string(), kind: z.string(), step: z.string(), status: z.string(), bank: z.object({ reference: z.string().nullable(), bankRef: z.string().nullable() }).loose() })
  .loose()
  .openapi('DirectPayment');

export const directPaymentListSchema = z
  .object({
    items: z.array(
      z.object({ paymentId: z.string(), kind: z.string(), householdId: z.string().nullable(), villageCode: z.string(), step: z.string(), status: z.string(), assignee: z.string().nullable(), amountFen: z.number().nullable(), reference: z.string().nullable(), bankRef: z.string().nullable(), dueOn: z.string().nullable(), updatedAt: z.string() }),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi('DirectPaymentList');
