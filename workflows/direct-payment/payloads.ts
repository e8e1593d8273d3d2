// The payloads of a direct payment's commands, as zod schemas the API and the update validators both run
// (issue 16 API1). The payee is an account at a bank, always (R-DIR-01: never cash); which payee types a
// kind allows, and the amounts, are rules (workflows/rules/direct-payment.ts) the guards apply.
import { z } from 'zod';
import { actorSchema, dateSchema, fen, LIMITS, staffFactSchema, staffId, text } from '../application/payloads';
import { PAYEE_TYPES } from '../rules/direct-payment';
import { payeeSchema as bankPayeeSchema } from '../kit/payee';

// R-PAY-09: the bank's payee schema (kit/payee.ts), so a payee the bank would refuse never reaches the decision
export const payeeSchema = bankPayeeSchema
  .extend({
    type: z.enum(PAYEE_TYPES).meta({ description: 'funeral: undertaker (承办人) or institution (供养服务机构); medical: hospital (R-DIR-01/02)' }),
    accountNo: bankPayeeSchema.shape.accountNo.meta({ description: 'the payee’s account (never a recipient’s or a staff member’s)' }),
  })
  .strict();

/** What a request supplies: the payee and the amount; for medical costs the figures the residual comes from (R-DIR-02). */
export const requestShape = {
  payee: payeeSchema,
  amountFen: fen.positive(),
  totalCostFen: fen.optional().meta({ description: 'medical: the whole bill' }),
  insurancePaidFen: fen.optional().meta({ description: 'medical: what medical insurance paid' }),
  medicalAssistancePaidFen: fen.optional().meta({ description: 'medical: what medical assistance (医疗救助) paid' }),
  reason: text(LIMITS.reason).optional(),
};

const envelope = { actor: actorSchema };
const named = { staff: z.array(staffFactSchema).max(LIMITS.attendees + 1).optional() };

export const request = {
  body: z.object(requestShape).strict(),
  command: z.object({ ...requestShape, ...envelope }).strict(),
};

const approvalShape = {
  decision: z.enum(['approve', 'reject']),
  reason: text(LIMITS.reason),
  meeting: text(LIMITS.note).optional().meta({ description: '一事一议: the meeting that decides (R-APP-11)' }),
  meetingDate: dateSchema.optional(),
  attendees: z.array(staffId).min(1).max(LIMITS.attendees).optional(),
};

export const approval = {
  body: z.object(approvalShape).strict(),
  command: z.object({ ...approvalShape, ...envelope, ...named }).strict(),
};

const correctionShape = { payee: payeeSchema, reason: text(LIMITS.reason) };

/** After the bank rejected the account: the corrected payee, paid on a new line. */
export const correction = {
  body: z.object(correctionShape).strict(),
  command: z.object({ ...correctionShape, ...envelope }).strict(),
};

/** R-PAY-09: an escalated payment resumed on the same line, once the caseworker has settled it with the bank. */
export const resumption = {
  body: z.object({ reason: text(LIMITS.reason) }).strict(),
  command: z.object({ reason: text(LIMITS.reason), ...envelope }).strict(),
};
