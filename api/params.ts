// API8: the declared formats of identifiers and page cursors in paths and queries. A value outside its
// format is a 400 naming the parameter; a well-formed id that names nothing (or nothing the caller may see)
// is a 404. The security property test (test/security/api8-bad-input.test.ts) holds the API to these.
import { z } from 'zod';
import './openapi';

/** Case ids: `<county>-<16 hex>` as issued (newCaseId); shorter ids of the same alphabet stay valid (v1 cases, tests). */
export const CASE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const caseIdSchema = z.string().regex(CASE_ID, 'a case id: letters, digits, - and _, at most 64, starting with a letter or digit').openapi({ example: '140502-9f86d081884c7d65' });

/**
 * The applications list's cursor: opaque to clients (API.md), base64url of `{"after":"<caseId>"}`. One that
 * does not decode to exactly that (a guessed, truncated or edited value) is not a position: 400.
 */
export const encodeCaseCursor = (caseId: string) => Buffer.from(JSON.stringify({ after: caseId })).toString('base64url');

const cursorBody = z.object({ after: caseIdSchema }).strict();

export const caseCursorSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,120}$/, 'a cursor: the nextCursor of an earlier page')
  .transform((s, ctx) => {
    const after = decodeCaseCursor(s);
    if (after === undefined) {
      ctx.addIssue({ code: 'custom', message: 'not a cursor this API issued: pass the nextCursor of an earlier page' });
      return z.NEVER;
    }
    return after;
  })
  .openapi({ type: 'string', pattern: '^[A-Za-z0-9_-]{1,120}$', description: 'the nextCursor of the previous page (opaque: base64url, decoded and checked)' });

function decodeCaseCursor(s: string): string | undefined {
  const bytes = Buffer.from(s, 'base64url');
  // canonical only: the same bytes written another way are not a cursor this API issued
  if (bytes.toString('base64url') !== s) return undefined;
  try {
    const r = cursorBody.safeParse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
    return r.success ? r.data.after : undefined;
  } catch {
    return undefined;
  }
}
