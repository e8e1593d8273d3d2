// R-SUP-05: the signed anchors, exported with the audit so an auditor can keep and check them
// outside the database (with the public keys listed here, or the anchor file's copy).
import type { Prisma } from '../../activities/db';
import type { VerifyKey } from '../../activities/audit/keys';
import type { AnchorRecord } from '../../activities/audit/anchor-statement';
import type { ApiRoutes } from '../route';
import { anchorsQuery, anchorsResponse } from './schemas';

export function registerAuditAnchorRoutes(routes: ApiRoutes, deps: { prisma: Prisma; keys: () => Map<string, VerifyKey> }): void {
  routes.add({
    method: 'get',
    path: '/v1/audit/anchors',
    tag: 'Supervision',
    summary: 'Signed Merkle roots over the audit chains’ heads, oldest first (R-SUP-05)',
    roles: ['auditor', 'supervisor'],
    query: anchorsQuery,
    responses: { 200: { description: 'anchors, with the heads in the caller’s subtree', schema: anchorsResponse } },
    handler: async ({ user, query }) => {
      const rows = await deps.prisma.auditAnchor.findMany({
        where: query.cursor ? { id: { gt: BigInt(query.cursor) } } : {},
        orderBy: { id: 'asc' },
        take: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const items = page.map((a) => {
        const heads = a.heads as unknown as AnchorRecord['heads'];
        return {
          id: a.id.toString(),
          anchoredAt: a.anchoredAt.toISOString(),
          root: a.root,
          prevRoot: a.prevRoot,
          suite: a.suite,
          keyId: a.keyId,
          signature: a.signature,
          headCount: heads.length,
          heads: heads.filter((h) => (h.jurisdiction ?? '').startsWith(user.jurisdiction)),
        };
      });
      const keys = [...deps.keys().values()].map((k) => ({ keyId: k.keyId, suite: k.suite, publicKey: k.publicKeyPem }));
      return { status: 200, body: { items, nextCursor: rows.length > query.limit ? page.at(-1)!.id.toString() : null, keys } };
    },
  });
}
