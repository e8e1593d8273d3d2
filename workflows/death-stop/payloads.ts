// The payloads of the death stop's commands and the death record's row, as zod schemas both the API and
// the update validators run (issue 16 API1).
import { z } from 'zod';
import { actorSchema, dateSchema, fen, idNumberSchema, LIMITS, text } from '../application/payloads';
import { chinaDate } from '../rules/dates';
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
      for (const message of deathDateErrors(r.dateOfDeath, r.idNumber, today)) ctx.addIssue({ code: 'custom', path: ['dateOfDeath'], message });
    });
}

/**
 * R-DTH-02/03: a date of death opens a stop and holds payments from the month after it, so it must be a
 * fact: not in the future, not before the birth the ID number gives (where it gives one). One check for
 * the death record's row, a change report's death and the `recordDeath` command. `today`: China date.
 */
export function deathDateErrors(dateOfDeath: string, idNumber: string | undefined, today: string): string[] {
  const errors: string[] = [];
  if (dateOfDeath > today) errors.push('must not be in the future');
  const id = idNumber ? checkIdNumber(idNumber) : undefined;
  if (id?.ok && dateOfDeath < id.birthDate) errors.push(`must not be before the person's birth (${id.birthDate})`);
  return errors;
}

const recordDeathShape = { source: deathSource, dateOfDeath: dateSchema, actor: actorSchema };
export const recordDeath = {
  command: z.object(recordDeathShape).strict(),
  /**
   * R-DTH-02/03: the command as the stop of `idNumber` checks it (its validator only, so replay-safe): the
   * date a source gives is checked as the row's is; `today` is read at parse time (workflow time there).
   */
  commandFor(idNumber: string) {
    return z
      .object(recordDeathShape)
      .strict()
      .superRefine((c, ctx) => {
        for (const message of deathDateErrors(c.dateOfDeath, idNumber, chinaDate(Date.now()))) ctx.addIssue({ code: 'custom', path: ['dateOfDeath'], message });
      });
  },
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
