// Wire format of the agent bank (代发银行, R-PAY-01). The HTTP client (http-bank.ts) and the sandbox bank
// (sandbox-bank.ts) both use these schemas, so the two cannot drift apart silently.
//
// ── Protocol ───────────────────────────────────────────────────────────────────────────────────────
// Every request: `Authorization: Bearer <apiKey>`; missing or wrong → 401. Errors are RFC 9457 problem
// JSON (`application/problem+json`): { type, title, status, detail, errors? }.
//
// POST /v1/transfers                       submit one transfer (R-PAY-09: idempotent by reference)
//   headers  Idempotency-Key: <reference>  required, equal to the body's reference; missing/different → 400
//   body     { reference, payee: { type, name, bank, accountNo }, amountFen, memo }
//   201      Transfer (status accepted): a new transfer
//   200      Transfer as the bank holds it now, when the reference was submitted before with the same body
//   422      the reference was submitted before with a different body (never a second transfer): the bank
//            holds a transfer under it, so a client never reads it as a refusal of its own (R-PAY-09)
// GET /v1/transfers/{reference}            200 Transfer | 404 with type UNKNOWN_TRANSFER (never received)
// POST /v1/batches                         { batchId, lines: [{ lineId, ...transfer }] }: idempotent by batchId
//   202 (new) | 200 (same batch again)     { batchId, accepted }; every line is a transfer by its reference
// GET /v1/batches/{batchId}                200 { batchId, lines: [{ lineId, reference, transfer }] } | 404
// GET /v1/statements/{YYYY-MM-DD}          200 { date, lines: StatementLine[] }: transfers settled that value date
//
// A Transfer: { reference, bankRef, status: accepted|paid|failed, acceptedAt, settledOn?, code?, reason? }.
// Settlement is asynchronous: accepted now, paid (or failed: account_rejected, account_closed, name_mismatch)
// later; a paid or failed transfer never changes again.
// 503/429/5xx, 401/403/408/409/425 and network faults are transient: clients retry. 400/404/405/410/413/415/422
// to a submission are final (404 on GET /v1/transfers/{reference} means "unknown", an answer, not an error);
// any other refusal of a lookup is retried (R-PAY-09: it says nothing of the transfer).
//
// Sandbox only (same auth; sandbox-bank.ts):
//   PUT /sandbox/config   { settleDelayMs? }
//   PUT /sandbox/faults   { timeoutAfterAccept?: n, timeoutMode?: drop|hang, rejectAccounts?: [accountNo], down?: boolean,
//                           refuseLookups?: n }
//   GET /sandbox/transfers?reference=  { transfers: [...], count, duplicates } for tests to count submissions
import { z } from 'zod';
import type { TransferState } from '../../workflows/kit/payment-order';
import type { StatementLine } from './adapter';
import { payeeSchema } from '../../workflows/kit/payee';

/** The problem type of a 404 on GET /v1/transfers/{reference}: the bank never received that reference. */
export const UNKNOWN_TRANSFER = 'urn:jiuzhu:bank:unknown-transfer';

const text = (max: number) => z.string().trim().min(1).max(max);
export const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

/** One schema with the paying kinds' payloads (workflows/kit/payee.ts): the API refuses what the bank would. */
export { payeeSchema };

export const transferRequestSchema = z.object({
  reference: text(200),
  payee: payeeSchema,
  amountFen: z.int().positive(),
  memo: z.string().max(140),
});
export type TransferRequestBody = z.infer<typeof transferRequestSchema>;

export const transferSchema = z.object({
  reference: z.string(),
  bankRef: z.string(),
  status: z.enum(['accepted', 'paid', 'failed']),
  acceptedAt: z.string(),
  settledOn: dateSchema.optional(),
  code: z.string().optional(),
  reason: z.string().optional(),
});
export type Transfer = z.infer<typeof transferSchema>;

/** What our ledger records of a transfer the bank holds. */
export function toTransferState(t: Transfer): TransferState {
  if (t.status === 'paid') return { status: 'paid', bankRef: t.bankRef, settledOn: t.settledOn ?? t.acceptedAt.slice(0, 10) };
  if (t.status === 'failed') return { status: 'failed', bankRef: t.bankRef, code: t.code ?? 'failed', reason: t.reason ?? '' };
  return { status: 'accepted', bankRef: t.bankRef };
}

export const batchRequestSchema = z
  .object({
    batchId: text(200),
    lines: z.array(transferRequestSchema.extend({ lineId: text(100) })).min(1).max(10_000),
  })
  .superRefine((b, ctx) => {
    const lines = new Set<string>();
    const refs = new Set<string>();
    b.lines.forEach((l, i) => {
      if (lines.has(l.lineId)) ctx.addIssue({ code: 'custom', path: ['lines', i, 'lineId'], message: 'listed twice' });
      if (refs.has(l.reference)) ctx.addIssue({ code: 'custom', path: ['lines', i, 'reference'], message: 'listed twice' });
      lines.add(l.lineId);
      refs.add(l.reference);
    });
  });
export type BatchRequestBody = z.infer<typeof batchRequestSchema>;

export const batchAcceptedSchema = z.object({ batchId: z.string(), accepted: z.int().nonnegative() });
export const batchStatusSchema = z.object({
  batchId: z.string(),
  lines: z.array(z.object({ lineId: z.string(), reference: z.string(), transfer: transferSchema })),
});

export const statementLineSchema = z.object({
  reference: z.string(),
  bankRef: z.string(),
  amountFen: z.int(),
  status: z.enum(['paid', 'returned']),
  valueDate: dateSchema,
}) satisfies z.ZodType<StatementLine>;
export const statementSchema = z.object({ date: dateSchema, lines: z.array(statementLineSchema) });

export const sandboxConfigSchema = z.object({ settleDelayMs: z.int().nonnegative().optional() }).strict();
export const sandboxFaultsSchema = z
  .object({
    /** the next n transfer submissions are recorded, then answered never (hang) or with a dropped connection */
    timeoutAfterAccept: z.int().nonnegative().optional(),
    timeoutMode: z.enum(['drop', 'hang']).optional(),
    /** transfers to these accounts fail at settlement with account_rejected */
    rejectAccounts: z.array(z.string()).optional(),
    /** every /v1 request answers 503 */
    down: z.boolean().optional(),
    /** the next n GET /v1/transfers/{reference} of a transfer the bank holds answer 400, as a proxy in front of it might */
    refuseLookups: z.int().nonnegative().optional(),
  })
  .strict();
export type SandboxFaults = z.infer<typeof sandboxFaultsSchema>;

/** Read leniently: a proxy in front of the bank may answer with something else entirely. */
export const problemSchema = z.object({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().optional(),
  detail: z.string().optional(),
});
