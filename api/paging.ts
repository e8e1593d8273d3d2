// API8, issue 21 §3.2 (issue 22): the one keyset pager of every list (applications, roster, reviews, and
// the next kinds' as they come). A list is ordered by one unique key (a case, household or review id); the
// cursor names the last key of a page, and is opaque and tamper-evident: base64url of the key, a dot, and
// a MAC over the list's name and the key. A guessed, edited or another list's cursor is a 400 naming
// `query.cursor`, never a silent jump to a position the client made up.
//
// The MAC key is CURSOR_KEY (base64, at least 32 bytes; the same on every API instance behind one load
// balancer); without it each process draws its own, so a cursor does not outlive the process that issued
// it (the client starts the list again).
import crypto from 'node:crypto';
import { z } from 'zod';
import './openapi';

/** The lists that page; the name is in the MAC, so one list's cursor is refused by another. */
export type PagedList = 'applications' | 'roster' | 'reviews' | (string & {});

const MAC_BYTES = 12; // 96 bits: a forged cursor is found by chance never
const MAC_CHARS = Math.ceil((MAC_BYTES * 4) / 3);
/** 64-character keys at most (the id formats): a cursor stays under API8's 120 characters */
const KEY_MAX = 64;
const CURSOR = new RegExp(`^[A-Za-z0-9_-]{1,${Math.ceil((KEY_MAX * 4) / 3)}}\\.[A-Za-z0-9_-]{${MAC_CHARS}}$`);

let key: Buffer | undefined;
function cursorKey(): Buffer {
  if (key) return key;
  const configured = process.env.CURSOR_KEY;
  if (configured) {
    const bytes = Buffer.from(configured, 'base64');
    if (bytes.length < 32) throw new Error('CURSOR_KEY must be at least 32 bytes (base64)');
    return (key = bytes);
  }
  return (key = crypto.randomBytes(32));
}

const mac = (list: PagedList, after: string) => crypto.createHmac('sha256', cursorKey()).update(`${list}\0${after}`).digest().subarray(0, MAC_BYTES).toString('base64url');

/** The cursor of the position after `after` in `list`. */
export function encodeCursor(list: PagedList, after: string): string {
  return `${Buffer.from(after, 'utf8').toString('base64url')}.${mac(list, after)}`;
}

/** The key a cursor this API issued for `list` names; undefined for anything else. */
export function decodeCursor(list: PagedList, cursor: string): string | undefined {
  if (!CURSOR.test(cursor)) return undefined;
  const [body, tag] = cursor.split('.');
  const bytes = Buffer.from(body, 'base64url');
  // canonical only: the same bytes written another way are not a cursor this API issued
  if (bytes.toString('base64url') !== body) return undefined;
  let after: string;
  try {
    after = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  const expected = Buffer.from(mac(list, after));
  const given = Buffer.from(tag);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected) && after.length <= KEY_MAX ? after : undefined;
}

/** The `cursor` query parameter of `list`: parsed to the key the page continues after. */
export function cursorSchema(list: PagedList) {
  return z
    .string()
    .regex(CURSOR, 'a cursor: the nextCursor of an earlier page')
    .transform((s, ctx) => {
      const after = decodeCursor(list, s);
      if (after === undefined) {
        ctx.addIssue({ code: 'custom', message: 'not a cursor this API issued for this list: pass the nextCursor of an earlier page' });
        return z.NEVER;
      }
      return after;
    })
    .openapi({ type: 'string', pattern: CURSOR.source, description: 'the nextCursor of the previous page (opaque and signed: an edited one is refused)' });
}

/**
 * One keyset page: `rows` were read ordered by the key, `limit + 1` of them (the extra row says whether
 * another page follows). Returns the page's items and the cursor of the next page, or null.
 */
export function keysetPage<R, I>(list: PagedList, rows: R[], limit: number, keyOf: (row: R) => string, item: (row: R) => I): { items: I[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  return { items: page.map(item), nextCursor: rows.length > limit ? encodeCursor(list, keyOf(page.at(-1)!)) : null };
}
