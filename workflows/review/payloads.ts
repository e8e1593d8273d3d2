// The payloads of the review's commands, as zod schemas both the API and the update validators run (issue
// 16 API1). The investigation is the application's schema (workflows/application/payloads.ts).
import { z } from 'zod';
import { actorSchema, dateSchema, fen, LIMITS, staffFactSchema, staffId, text } from '../application/payloads';
import { OUTCOMES } from './state';

export { investigation, reason } from '../application/payloads';

const outcomeShape = {
  outcome: z.enum(OUTCOMES).meta({ description: 'continue | increase | decrease | stop: the one the accounting gives (R-REV-02)' }),
  monthlyFen: fen.positive().optional().meta({ description: 'from next month: the figure of the income accounting (increase/decrease: required; continue: the current amount; stop: omitted)' }),
  reason: text(LIMITS.reason),
  meeting: text(LIMITS.note).optional().meta({ description: '一事一议: the meeting that decides a specially filed household (R-APP-11)' }),
  meetingDate: dateSchema.optional(),
  attendees: z.array(staffId).min(1).max(LIMITS.attendees).optional(),
};

export const outcome = {
  body: z.object(outcomeShape).strict(),
  command: z.object({ ...outcomeShape, actor: actorSchema, staff: z.array(staffFactSchema).max(LIMITS.staff + LIMITS.attendees + 1).optional() }).strict(),
};
