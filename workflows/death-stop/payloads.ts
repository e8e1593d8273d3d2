// The payloads of the death stop's commands and the death record's row, as zod schemas both the API and
// the update validators run (issue 16 API1).
import { z } from 'zod';
import { actorSchema, dateSchema, fen, idNumberSchema, LIMITS, text } from '../application/payloads';
import { checkIdNumber } from '../rules/id-number';
import { DEATH_SOURCES } from './state';

export const deathSource = z.enum(DEATH_SOURCES).meta({ description: 'civil_registry (民政/户籍) | funeral (殡葬) | police (公安) | report (a village change report)' });

/** R-DTH-01: one death record, checked on its own (a file's bad rows never stop its good ones). `today`: China date. */
export function deathRecordRow(today: string) {
  return z
    .object({
      idNumber: idNumberSchema,
      name: text(LIMITS.name),
      dateOfDeath: dateSchema,
    })
    .strict()
    .superRefine((r, ctx) => {
      if (r.dateOfDeath > today) ctx.addIssue({ code: 'custom', path: ['dateOfDeath'], message: 'must not be in the future' });
      const id = checkIdNumber(r.idNumber);
      if (id.ok && r.dateOfDeath < id.birthDate) ctx.addIssue({ code: 'custom', path: ['dateOfDeath'], message: `must not be before the person's birth (${id.birthDate})` });
    });
}

export const recordDeath = {
  command: z.object({ source: deathSource, dateOfDeath: dateSchema, actor: actorSchema }).strict(),
};

const confirmShape = {
  monthlyFen: fen.meta({ description: 'from the month after death: the figure the accounting gives the remaining members (R-APP-05)' }),
  reason: text(LIMITS.reason),
};
export const confirmAmount = {
  body: z.object(confirmShape).strict(),
  command: z.object({ ...confirmShape, actor: actorSchema }).strict(),
};
export const retry = {
  body: z.object({ reason: text(LIMITS.reason) }).strict(),
  command: z.object({ reason: text(LIMITS.reason), actor: actorSchema }).strict(),
};
