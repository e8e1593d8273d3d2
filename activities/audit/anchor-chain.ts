// R-SUP-05, issue 21 §5.3: the anchors form a chain: each signs the previous anchor's root as its
// prevRoot (the first signs EMPTY_ROOT). An anchor deleted from the table leaves the next one naming a
// root nobody has; an anchor's signature binds its prevRoot, so the gap cannot be papered over. (The
// newest anchor has no successor: deleting it is caught against the anchor file, activities/audit/anchor-file.ts.)
import type { Prisma } from '../db';
import { EMPTY_ROOT } from './merkle';

export interface AnchorChainBreak {
  anchorId: string;
  reason: string;
}

const PAGE = 5_000;

/** The first anchor whose prevRoot is not the root of the anchor before it, or undefined. */
export async function anchorChainBreak(prisma: Prisma): Promise<AnchorChainBreak | undefined> {
  let previous: { id: bigint; root: string } | undefined;
  for (;;) {
    const rows = await prisma.auditAnchor.findMany({ where: previous ? { id: { gt: previous.id } } : {}, orderBy: { id: 'asc' }, take: PAGE, select: { id: true, root: true, prevRoot: true } });
    for (const r of rows) {
      const expected = previous?.root ?? EMPTY_ROOT;
      if (r.prevRoot !== expected) {
        const after = previous ? `anchor ${previous.id}` : 'the start of the anchors';
        return { anchorId: r.id.toString(), reason: `anchor ${r.id}: its prevRoot is not the root of ${after}: an anchor before it was deleted or replaced` };
      }
      previous = r;
    }
    if (rows.length < PAGE) return undefined;
  }
}
