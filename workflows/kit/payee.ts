// R-PAY-01, R-PAY-09: the one payee schema, with the agent bank's limits. The bank's protocol
// (activities/bank/protocol.ts) and every paying kind's payloads (workflows/direct-payment/payloads.ts) use it,
// so a payee the bank would refuse is a 400 at the API (and refused by the Update's validator), never a payment
// that passes the decision and comes back from the bank as a rejected account. Workflow-safe (zod only).
import { z } from 'zod';

/** The bank's limits (its protocol's, not ours to widen). */
export const PAYEE_LIMITS = { name: 100, bank: 64, accountDigits: { min: 10, max: 30 } } as const;

// the same rule as the payloads' text (application/payloads.ts): NUL or a lone surrogate cannot be recorded
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((v) => !UNSAFE.test(v), 'contains control characters or broken Unicode');

const { min, max } = PAYEE_LIMITS.accountDigits;

export const payeeSchema = z.object({
  type: z.enum(['undertaker', 'institution', 'hospital', 'recipient']),
  name: text(PAYEE_LIMITS.name),
  bank: text(PAYEE_LIMITS.bank),
  accountNo: z.string().regex(new RegExp(`^\\d{${min},${max}}$`), `${min} to ${max} digits`),
});
