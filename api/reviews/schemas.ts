// The bodies and queries of "Reviews" in API.md (zod, OpenAPI names); the payloads are the workflow's own.
import { z } from 'zod';
import '../openapi';
import { caseIdSchema } from '../params';
import { cursorSchema } from '../paging';
import * as payload from '../../workflows/review/payloads';
import { STEPS } from '../../workflows/review/state';
import { dateSchema } from '../../workflows/application/payloads';

export const reviewIdParams = z.object({ reviewId: caseIdSchema });

export const reviewListQuery = z.object({
  jurisdiction: z.string().regex(/^\d{2,12}$/).optional(),
  step: z.enum(STEPS).optional(),
  /** open reviews with a statutory deadline falling due before this date (R-REV-04, R-REV-06) */
  dueBefore: dateSchema.optional(),
  limit: z.string().regex(/^\d{1,3}$/, '1 to 500').default('50').transform(Number).pipe(z.number().int().min(1).max(500)).openapi({ type: 'integer' }),
  cursor: cursorSchema('reviews').optional(),
});

export const outcomeSchema = payload.outcome.body.openapi('ReviewOutcome');
export const reviewInvestigationSchema = payload.investigation.body;
export const reviewViewSchema = z.object({ reviewId: z.string(), step: z.string(), status: z.string() }).loose().openapi('Review');
export const reviewListSchema = z
  .object({
    items: z.array(z.object({ reviewId: z.string(), householdId: z.string(), villageCode: z.string(), reason: z.string(), period: z.string().nullable(), step: z.string(), status: z.string(), assignee: z.string().nullable(), dueOn: z.string().nullable(), overdue: z.boolean(), updatedAt: z.string() })),
    nextCursor: z.string().nullable(),
  })
  .openapi('ReviewList');
