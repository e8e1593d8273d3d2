// R-REV-03: the monthly change reports' request and answer shapes. The bodies are the workflow's own
// payload schemas (workflows/change-reports/payloads.ts), so an Update sent past the API meets the same.
import { z } from 'zod';
import '../openapi';
import { householdReportBody, monthSchema, townshipCheckBody, villageReportBody } from '../../workflows/change-reports/payloads';

export { householdReportBody, townshipCheckBody, villageReportBody };

export const householdParams = z.object({ householdId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a household id') });
export const villageParams = z.object({ villageCode: z.string().regex(/^\d{12}$/, 'a 12-digit village 区划代码') });
export const townshipMonthParams = z.object({ townshipCode: z.string().regex(/^\d{9}$/, 'a 9-digit township 区划代码'), month: monthSchema });

const followUpSchema = z.object({
  householdId: z.string(),
  followUp: z.enum(['none', 'review', 'death_stop', 'death_stop_pending']).openapi({ description: 'review: R-REV-04, opened now; death_stop: the person’s death stop opened or reached (R-DTH); death_stop_pending: recorded, no recipient on the roster matched' }),
  reviewWorkflowId: z.string().optional(),
  deathStopWorkflowId: z.string().optional(),
  alreadyOpen: z.boolean().optional(),
});

export const changeReportsAnswerSchema = z
  .object({
    workflowId: z.string(),
    townshipCode: z.string(),
    month: z.string(),
    revision: z.number(),
    villagesReported: z.array(z.string()),
    villagesMissing: z.array(z.string()),
    checked: z.boolean(),
    followUps: z.array(followUpSchema),
  })
  .openapi('ChangeReportsAnswer');

export const changeReportsViewSchema = z.object({}).loose().openapi('ChangeReportsView', { description: 'the month: villages (reported, due, overdue), households reported, deaths recorded, the check, deadlines' });
