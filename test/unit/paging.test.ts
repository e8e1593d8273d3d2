// API8, issue 21 §3.2 (issue 22): the shared keyset pager's cursors are opaque, bound to their list, and
// short enough for every id format (API8 refuses any parameter over 120 characters).
import { decodeCursor, encodeCursor, keysetPage } from '../../api/paging';

describe('keyset pager', () => {
  it('API8: a cursor decodes only for the list that issued it, and the longest id (64) stays under 120 characters', () => {
    const id = 'x'.repeat(64);
    const c = encodeCursor('roster', id);
    expect(c.length).toBeLessThanOrEqual(120);
    expect(decodeCursor('roster', c)).toBe(id);
    expect(decodeCursor('reviews', c)).toBeUndefined();
    expect(decodeCursor('roster', c.replace(/^./, (ch) => (ch === 'e' ? 'f' : 'e')))).toBeUndefined();
  });

  it('API8: a page of limit + 1 rows gives the next cursor after its last item; a short page gives none', () => {
    const rows = ['a', 'b', 'c'].map((id) => ({ id }));
    const page = keysetPage('applications', rows, 2, (r) => r.id, (r) => r.id.toUpperCase());
    expect(page).toEqual({ items: ['A', 'B'], nextCursor: encodeCursor('applications', 'b') });
    expect(keysetPage('applications', rows.slice(0, 2), 2, (r) => r.id, (r) => r.id).nextCursor).toBeNull();
  });
});
