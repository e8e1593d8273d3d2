// R-SUP-05: the audit trail, for auditors and supervisors; its integrity check and signed anchors.
import { z } from 'zod';
import type { Prisma } from '../../activities/db';
import { loadVerifyKeys, type VerifyKey } from '../../activities/audit/keys';
import type { ApiRoutes } from '../route';
import { visibleInAnyKind, type ReadModel } from '../kind-commands';
import { registerAuditAnchorRoutes } from './anchors-router';
import { registerAuditVerifyRoutes } from './verify-router';
import { AuditVerifyJobs } from './verify-jobs';
import { auditQuery } from './schemas';

const auditEventSchema = z
  .object({
    seq: z.string(),
    chain: z.string(),
    chainSeq: z.string(),
    at: z.string(),
    recordedAt: z.string(),
    actor: z.string(),
    actorRole: z.string().nullable(),
    action: z.string(),
    workflowId: z.string().nullable(),
    caseId: z.string().nullable(),
    jurisdiction: z.string().nullable(),
    reason: z.string().nullable(),
    data: z.unknown(),
    hash: z.string(),
  })
  .openapi('AuditEvent');

export function registerAuditRoutes(
  routes: ApiRoutes,
  deps: { prisma: Prisma; kinds: ReadModel[]; keys?: () => Map<string, VerifyKey>; jobs?: AuditVerifyJobs },
): void {
  routes.add({
    method: 'get',
    path: '/v1/audit',
    tag: 'Supervision',
    summary: 'Audit events in the caller’s jurisdiction, or of one case of any kind: an application or a review (R-SUP-05)',
    roles: ['auditor', 'supervisor'],
    query: auditQuery,
    responses: { 200: { description: 'events, oldest first', schema: z.object({ items: z.array(auditEventSchema), nextCursor: z.string().nullable() }) } },
    handler: async ({ user, query }) => {
      // issue 22 §1.5: a case of any kind (an application's case id, a review's id)
      if (query.caseId) await visibleInAnyKind(deps.kinds, user, query.caseId);
      const rows = await deps.prisma.auditEvent.findMany({
        where: {
          ...(query.caseId ? { caseId: query.caseId } : { jurisdiction: { startsWith: user.jurisdiction } }),
          ...(query.cursor ? { seq: { gt: BigInt(query.cursor) } } : {}),
        },
        orderBy: { seq: 'asc' },
        take: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      return {
        status: 200,
        body: {
          items: page.map((e) => ({ ...e, seq: e.seq.toString(), chainSeq: e.chainSeq.toString(), at: e.at.toISOString(), recordedAt: e.recordedAt.toISOString(), prevHash: undefined, eventKey: undefined, hashAlg: undefined })),
          nextCursor: rows.length > query.limit ? page.at(-1)!.seq.toString() : null,
        },
      };
    },
  });

  // the keys are read when used: a rotation listed in the environment needs no code change
  const keys = deps.keys ?? loadVerifyKeys;
  registerAuditVerifyRoutes(routes, { ...deps, keys, jobs: deps.jobs ?? new AuditVerifyJobs(deps.prisma, keys) });
  registerAuditAnchorRoutes(routes, { prisma: deps.prisma, keys });
}
