// The bodies and queries of "Deaths" in API.md (zod, OpenAPI names). Each record is checked on its own by
// the service (workflows/death-stop/payloads.ts deathRecordRow), so a file's bad rows never stop its good ones.
import { z } from 'zod';
import '../openapi';
import { caseIdSchema } from '../params';
import { cursorSchema } from '../paging';
import { dateSchema } from '../../workflows/application/payloads';
import { deathSource } from '../../workflows/death-stop/payloads';
import { STEPS } from '../../workflows/death-stop/state';

/** Bounded work per request (README "Bounded work"): each matched record is one update-with-start. */
export const MAX_DEATH_RECORDS = 1000;

export const deathRecordsBody = z
  .object({
    source: deathSource,
    records: z.array(z.unknown()).min(1).max(MAX_DEATH_RECORDS).openapi({ description: `[{ idNumber, name, dateOfDeath }], at most ${MAX_DEATH_RECORDS}; also text/csv or XLSX with those columns (?source=)` }),
  })
  .strict()
  .openapi('DeathRecords');

export const deathRecordsAnswer = z
  .object({
    received: z.number().int(),
    matched: z.array(z.object({ index: z.number().int(), idNumber: z.string(), householdId: z.string(), workflowId: z.string() })),
    unmatched: z.array(z.object({ index: z.number().int(), idNumber: z.string() })),
    rejected: z.array(z.object({ index: z.number().int(), errors: z.array(z.object({ path: z.string(), message: z.string() })) })),
  })
  .openapi('DeathRecordsAnswer');

export const deathStopParams = z.object({ workflowId: caseIdSchema.openapi({ example: 'death-stop-DS-140521-9f86d081884c7d65' }) });

export const deathStopListQuery = z.object({
  jurisdiction: z.string().regex(/^\d{2,12}$/).optional(),
  step: z.enum(STEPS).optional(),
  /** death stops whose deadline (date of death + deathReviewMonths) falls before this date (R-DTH-02) */
  dueBefore: dateSchema.optional(),
  limit: z.string().regex(/^\d{1,3}$/, '1 to 500').default('50').transform(Number).pipe(z.number().int().min(1).max(500)).openapi({ type: 'integer' }),
  cursor: cursorSchema('death-stops').optional(),
});

export const deathStopViewSchema = z
  .object({ deathStopId: z.string(), workflowId: z.string(), step: z.string(), status: z.string(), deadline: z.string().nullable(), paymentsHeld: z.unknown(), recoveryDue: z.unknown() })
  .loose()
  .openapi('DeathStop');

export const deathStopListSchema = z
  .object({
    items: z.array(z.object({ deathStopId: z.string(), workflowId: z.string(), householdId: z.string(), villageCode: z.string(), dateOfDeath: z.string(), step: z.string(), status: z.string(), assignee: z.string().nullable(), dueOn: z.string().nullable(), overdue: z.boolean(), recoveryFen: z.number().nullable() })),
    nextCursor: z.string().nullable(),
  })
  .openapi('DeathStopList');
