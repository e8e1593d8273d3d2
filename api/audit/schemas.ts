// R-SUP-05: the audit endpoints' schemas (validation and /openapi.json).
import { z } from 'zod';

export const brokenAtSchema = z
  .object({
    seq: z.string().openapi({ description: 'global seq of the offending event; empty when the event is gone' }),
    chain: z.string().openapi({ description: 'the chain: a workflow id, jurisdiction:<code>, system, or legacy' }),
    chainSeq: z.string(),
    reason: z.string(),
    anchorId: z.string().optional().openapi({ description: 'the signed anchor the finding rests on' }),
  })
  .openapi('AuditBrokenAt');

export const verificationSchema = z
  .object({ ok: z.boolean(), events: z.number().int(), brokenAt: brokenAtSchema.optional() })
  .openapi('AuditVerification');

export const jobSchema = z
  .object({
    jobId: z.string(),
    scope: z.string().openapi({ description: 'jurisdiction prefix verified; empty for everything' }),
    status: z.enum(['running', 'done', 'failed']),
    progress: z.object({ chainsTotal: z.number().int(), chainsDone: z.number().int(), events: z.number().int() }),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    result: verificationSchema.optional(),
    error: z.string().optional(),
  })
  .openapi('AuditVerifyJob');

export const verifyQuery = z.object({
  caseId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a case id').optional().openapi({ description: 'verify this case’s chain now' }),
  jurisdiction: z
    .string()
    .regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/)
    .optional()
    .openapi({ description: 'narrow the background job to this part of the caller’s subtree' }),
});

export const verifyResponse = z.union([
  verificationSchema,
  z
    .object({
      scope: z.string(),
      job: jobSchema.nullable().openapi({ description: 'the job for this scope; null while a job for another scope runs (retry later)' }),
      last: verificationSchema.extend({ jobId: z.string(), finishedAt: z.string() }).nullable().openapi({ description: 'the last finished result for this scope' }),
    })
    .openapi('AuditVerifyJobAnswer'),
]);

export const anchorsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^\d{1,18}$/).optional().openapi({ description: 'the anchor id to continue after' }),
});

const headSchema = z.object({ chain: z.string(), chainSeq: z.string(), hash: z.string(), jurisdiction: z.string().nullable() });

export const anchorSchema = z
  .object({
    id: z.string(),
    anchoredAt: z.string(),
    root: z.string(),
    prevRoot: z.string(),
    suite: z.string(),
    keyId: z.string(),
    signature: z.string().openapi({ description: 'base64, over the canonical JSON {v:1, anchoredAt, keyId, prevRoot, root, suite}' }),
    headCount: z.number().int(),
    heads: z.array(headSchema).openapi({ description: 'the heads in the caller’s subtree' }),
  })
  .openapi('AuditAnchor');

export const anchorsResponse = z.object({
  items: z.array(anchorSchema),
  nextCursor: z.string().nullable(),
  keys: z.array(z.object({ keyId: z.string(), suite: z.string(), publicKey: z.string() })).openapi({ description: 'the public keys that verify the signatures (PEM)' }),
});
