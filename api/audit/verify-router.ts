// R-SUP-05: is the audit trail intact? One case at once; a subtree as a background job (issue 16).
import type { Prisma } from '../../activities/db';
import { chainOf } from '../../activities/audit-log';
import type { VerifyKey } from '../../activities/audit/keys';
import { verifyChains } from '../../activities/audit/verify-chain';
import { anchorChainBreak } from '../../activities/audit/anchor-chain';
import { inSubtree } from '../auth';
import { forbidden, notFound } from '../problems';
import type { ApiRoutes } from '../route';
import { visibleInAnyKind, type ReadModel } from '../kind-commands';
import { jobIdParams, jobSchema, verifyQuery, verifyResponse } from './schemas';
import { AuditVerifyJobs, jobView, resultView } from './verify-jobs';

export function registerAuditVerifyRoutes(
  routes: ApiRoutes,
  deps: { prisma: Prisma; kinds: ReadModel[]; jobs: AuditVerifyJobs; keys: () => Map<string, VerifyKey> },
): void {
  routes.add({
    method: 'get',
    path: '/v1/audit/verify',
    tag: 'Supervision',
    summary: 'Is the audit trail intact? One case at once, or the caller’s subtree as a background job (R-SUP-05)',
    description:
      'With caseId: the case’s chain is verified now (hashes, sequence, and every signed anchor covering it) and the answer is ' +
      '`{ ok, events, brokenAt? }`. Without: the caller’s subtree (or the narrower `jurisdiction`) is verified by a background ' +
      'job, one at a time; the answer is the job and the last finished result for that scope. Poll /v1/audit/verify/jobs/{jobId}.',
    roles: ['auditor', 'supervisor'],
    rateLimit: 'verify',
    query: verifyQuery,
    responses: { 200: { description: 'a case’s verification, or the job and the last result', schema: verifyResponse } },
    handler: async ({ user, query }) => {
      if (query.caseId) {
        const row = await visibleInAnyKind(deps.kinds, user, query.caseId); // a case of any kind (issue 22 §1.5)
        const found = await deps.prisma.auditEvent.findMany({ where: { caseId: query.caseId }, distinct: ['chain'], select: { chain: true } });
        const chains = [...new Set([chainOf({ workflowId: row.workflowId }), ...found.map((f) => f.chain)])].sort();
        const caseId = query.caseId;
        const result = await verifyChains(deps.prisma, chains, { keys: deps.keys(), counts: (r) => r.caseId === caseId });
        // an anchor deleted anywhere may have been one that covered this case (issue 21 §5.3)
        const gap = result.ok ? await anchorChainBreak(deps.prisma) : undefined;
        return { status: 200, body: gap ? { ok: false, events: result.events, brokenAt: { seq: '', chain: '', chainSeq: '', ...gap } } : result };
      }
      const scope = query.jurisdiction ?? user.jurisdiction;
      if (!inSubtree(user, scope)) throw forbidden(`jurisdiction ${scope} is outside your jurisdiction ${user.jurisdiction}`);
      const job = await deps.jobs.start(scope, user.sub);
      const last = await deps.jobs.lastFinished(scope);
      const mine = job.scope === scope;
      return {
        status: 200,
        headers: mine ? undefined : { 'Retry-After': '30' },
        body: {
          scope,
          job: mine ? jobView(job) : null,
          last: last ? { ...resultView(last), jobId: last.id, finishedAt: last.finishedAt!.toISOString() } : null,
        },
      };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/audit/verify/jobs/{jobId}',
    tag: 'Supervision',
    summary: 'A background audit verification: status, progress and result (R-SUP-05)',
    roles: ['auditor', 'supervisor'],
    params: jobIdParams,
    responses: { 200: { description: 'the job', schema: jobSchema } },
    handler: async ({ user, params }) => {
      const job = await deps.jobs.get(params.jobId);
      // a job over a wider or another scope looks like one that does not exist
      if (!job || !job.scope.startsWith(user.jurisdiction)) throw notFound(`no verification job ${params.jobId}`);
      return { status: 200, body: jobView(job) };
    },
  });
}
