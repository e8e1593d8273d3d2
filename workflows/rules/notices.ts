// R-APP-10, R-APP-13: what a publicity and a rejection notice must state, as field errors (pure). The
// length bounds are technical (what a notice and a database row hold), not policy.
import type { FieldError } from '../kit/errors';
import { PUBLICITY_CHANNELS, type AppealRoute } from './types';

const MAX_REASONS = 20;
const MAX_REASON_CHARS = 500;
const MAX_NAME_CHARS = 200;

const blankOrLong = (v: unknown, max: number): string | undefined =>
  typeof v !== 'string' || !v.trim() ? 'must not be empty' : v.length > max ? `at most ${max} characters` : undefined;

/** R-APP-10: omitted is the policy's default; given, a non-empty list of known channels, each once. */
export function publicityChannelErrors(channels: unknown): FieldError[] {
  if (channels === undefined) return [];
  if (!Array.isArray(channels) || channels.length === 0) return [{ path: 'publicityChannels', message: 'a non-empty list' }];
  return channels.flatMap((c, n) =>
    !(PUBLICITY_CHANNELS as readonly unknown[]).includes(c)
      ? [{ path: `publicityChannels[${n}]`, message: `one of ${PUBLICITY_CHANNELS.join(', ')}` }]
      : channels.indexOf(c) !== n
        ? [{ path: `publicityChannels[${n}]`, message: 'named twice' }]
        : [],
  );
}

/** R-APP-13: at least one reason given to the applicant, and 行政复议 to a named body and/or 行政诉讼 at a named court. */
export function rejectionNoticeErrors(i: { reasons?: unknown; appeal?: AppealRoute }): FieldError[] {
  const errors: FieldError[] = [];
  if (!Array.isArray(i.reasons) || i.reasons.length === 0) errors.push({ path: 'reasons', message: 'state at least one reason given to the applicant' });
  else if (i.reasons.length > MAX_REASONS) errors.push({ path: 'reasons', message: `at most ${MAX_REASONS} reasons` });
  else
    i.reasons.forEach((r, n) => {
      const bad = blankOrLong(r, MAX_REASON_CHARS);
      if (bad) errors.push({ path: `reasons[${n}]`, message: bad });
    });
  const a = i.appeal;
  if (!a || (!a.reconsideration && !a.litigation)) {
    errors.push({ path: 'appeal', message: 'state the route of appeal: 行政复议 (reconsideration.body) and/or 行政诉讼 (litigation.court)' });
    return errors;
  }
  const body = a.reconsideration && blankOrLong(a.reconsideration.body, MAX_NAME_CHARS);
  if (body) errors.push({ path: 'appeal.reconsideration.body', message: body });
  const court = a.litigation && blankOrLong(a.litigation.court, MAX_NAME_CHARS);
  if (court) errors.push({ path: 'appeal.litigation.court', message: court });
  return errors;
}
