// R-REV-05: partner agencies' alerts (car purchase, air travel, large consumption). A bad row is reported
// with its index and fields, never failing the rest: the records are parsed one by one (alertRowSchema).
import { z } from 'zod';
import '../openapi';
import { dateSchema, fen, idNumberSchema, LIMITS, text } from '../../workflows/application/payloads';

export const ALERT_SOURCES = ['vehicle', 'air_travel', 'large_consumption'] as const;
export const ALERT_LIMITS = { records: 1000 } as const;

export const alertRowSchema = z
  .object({
    idNumber: idNumberSchema,
    occurredOn: dateSchema,
    detail: text(LIMITS.reason).optional(),
    amountFen: fen.optional(),
  })
  .strict()
  .openapi('AlertRecord');

export const alertsBody = z
  .object({
    source: z.enum(ALERT_SOURCES).openapi({ description: 'vehicle: a car purchase or registration; air_travel; large_consumption' }),
    records: z.array(z.unknown()).min(1).max(ALERT_LIMITS.records).openapi({ description: 'AlertRecord items; a malformed one is listed in `rejected` with its index' }),
  })
  .strict();

export const alertsAnswerSchema = z
  .object({
    received: z.number().int(),
    opened: z.array(z.object({ idNumber: z.string(), householdId: z.string(), workflowId: z.string(), alreadyOpen: z.boolean().optional() })),
    unknown: z.array(z.object({ index: z.number().int(), idNumber: z.string() })),
    rejected: z.array(z.object({ index: z.number().int(), errors: z.array(z.object({ path: z.string(), message: z.string() })) })),
  })
  .openapi('AlertsAnswer');
export type AlertsAnswer = z.infer<typeof alertsAnswerSchema>;
