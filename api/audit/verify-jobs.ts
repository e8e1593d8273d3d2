// R-SUP-05: verification of a jurisdiction's chains (or all of them) as a background job: one at a
// time (a unique index on the running job, whatever the number of API processes), its progress in
// audit_verify_job, the last finished result kept per scope. Each chain is a few awaited queries, so
// the API's event loop stays free between chains. A job whose process died (no heartbeat for
// STALE_AFTER_MS) is marked failed and a new one may start.
import crypto from 'node:crypto';
import type { AuditVerifyJob } from '@prisma/client';
import type { Prisma } from '../../activities/db';
import { LEGACY_CHAIN } from '../../activities/audit-log';
import type { VerifyKey } from '../../activities/audit/keys';
import { checkAnchorFile } from '../../activities/audit/anchor-file';
import { anchorChainBreak } from '../../activities/audit/anchor-chain';
import { verifyChain, type BrokenAt } from '../../activities/audit/verify-chain';
import fs from 'node:fs';

const STALE_AFTER_MS = 60_000;
const HEARTBEAT_MS = 500;

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'P2002' || /unique/i.test(String((err as Error)?.message));

/** Chains in a scope: by their own jurisdiction, and by the anchors that list them (a chain deleted
 *  whole is still found), and the legacy chain where the scope has legacy events. */
export async function chainsInScope(prisma: Prisma, scope: string): Promise<string[]> {
  const like = `${scope}%`;
  const rows = await prisma.$queryRaw<{ chain: string }[]>`
    SELECT chain FROM audit_chain WHERE chain <> ${LEGACY_CHAIN} AND (${scope} = '' OR jurisdiction LIKE ${like})
    UNION
    SELECT h->>'chain' FROM audit_anchor, jsonb_array_elements(heads) h
      WHERE h->>'chain' <> ${LEGACY_CHAIN} AND (${scope} = '' OR h->>'jurisdiction' LIKE ${like})
    ORDER BY 1`;
  const legacy = await prisma.auditEvent.findFirst({ where: { chain: LEGACY_CHAIN, ...(scope ? { jurisdiction: { startsWith: scope } } : {}) }, select: { seq: true } });
  return [...(legacy ? [LEGACY_CHAIN] : []), ...rows.map((r) => r.chain)];
}

export class AuditVerifyJobs {
  /** the job runs of this process, for tests and a clean shutdown */
  readonly runs = new Map<string, Promise<void>>();

  constructor(
    private readonly prisma: Prisma,
    private readonly keys: () => Map<string, VerifyKey>,
    private readonly o: { heartbeatMs?: number; anchorFile?: string } = {},
  ) {}

  /** Starts a job for the scope unless one (of any scope) runs; returns the running job. */
  async start(scope: string, requestedBy: string): Promise<AuditVerifyJob> {
    await this.prisma.auditVerifyJob.updateMany({
      where: { status: 'running', heartbeatAt: { lt: new Date(Date.now() - STALE_AFTER_MS) } },
      data: { status: 'failed', error: 'the process running this job stopped', finishedAt: new Date() },
    });
    const running = await this.running();
    if (running) return running;
    try {
      const job = await this.prisma.auditVerifyJob.create({ data: { id: crypto.randomUUID(), scope, status: 'running', requestedBy } });
      this.runs.set(job.id, this.run(job).finally(() => this.runs.delete(job.id)));
      return job;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return (await this.running())!; // another process started one a moment ago
    }
  }

  running(): Promise<AuditVerifyJob | null> {
    return this.prisma.auditVerifyJob.findFirst({ where: { status: 'running' } });
  }

  get(id: string): Promise<AuditVerifyJob | null> {
    return this.prisma.auditVerifyJob.findUnique({ where: { id } });
  }

  lastFinished(scope: string): Promise<AuditVerifyJob | null> {
    return this.prisma.auditVerifyJob.findFirst({ where: { scope, status: 'done' }, orderBy: { finishedAt: 'desc' } });
  }

  private async run(job: AuditVerifyJob): Promise<void> {
    try {
      const chains = await chainsInScope(this.prisma, job.scope);
      await this.prisma.auditVerifyJob.update({ where: { id: job.id }, data: { chainsTotal: chains.length, heartbeatAt: new Date() } });
      const keys = this.keys();
      const anchorCache = new Map<string, string>();
      const counts = (r: { jurisdiction: string | null }) => job.scope === '' || (r.jurisdiction ?? '').startsWith(job.scope);
      let events = 0;
      let brokenAt: BrokenAt | undefined;
      let last = Date.now();
      let done = 0;
      const beat = async (progress: { chainsDone?: number; events?: number } = {}) => {
        if (Date.now() - last < (this.o.heartbeatMs ?? HEARTBEAT_MS)) return;
        last = Date.now();
        await this.prisma.auditVerifyJob.update({ where: { id: job.id }, data: { ...progress, heartbeatAt: new Date() } });
      };
      for (const chain of chains) {
        const r = await verifyChain(this.prisma, chain, { keys, counts, anchorCache, onBatch: () => beat({ chainsDone: done, events }) });
        events += r.events;
        done++;
        // the first break is reported; the rest of the scope is still verified and counted
        if (!r.ok) brokenAt ??= r.brokenAt;
        await beat({ chainsDone: done, events });
      }
      // the anchors chain to each other (issue 21 §5.3): a deleted one shows without the anchor file
      const gap = await anchorChainBreak(this.prisma);
      if (gap) brokenAt ??= { seq: '', chain: '', chainSeq: '', ...gap };
      // where this process can read the anchor file, the table's anchors must match it
      const file = this.o.anchorFile ?? process.env.AUDIT_ANCHOR_FILE;
      if (file && fs.existsSync(file)) {
        const f = await checkAnchorFile(this.prisma, file, keys);
        if (!f.ok) brokenAt ??= { seq: '', chain: '', chainSeq: '', ...f.problems[0] };
      }
      await this.prisma.auditVerifyJob.update({
        where: { id: job.id },
        data: { status: 'done', chainsDone: done, events, ok: !brokenAt, brokenAt: brokenAt ? { ...brokenAt } : undefined, finishedAt: new Date(), heartbeatAt: new Date() },
      });
    } catch (err) {
      // the raw error (a database message names tables and hosts) goes to the log; the job says where to look (issue 21 §5.7)
      console.error(`audit verification job ${job.id} failed: ${(err as Error).message}`);
      await this.prisma.auditVerifyJob
        .update({ where: { id: job.id }, data: { status: 'failed', error: `the verification failed: see the API log for job ${job.id}`, finishedAt: new Date() } })
        .catch(() => undefined);
    }
  }
}

export function jobView(j: AuditVerifyJob) {
  return {
    jobId: j.id,
    scope: j.scope,
    status: j.status as 'running' | 'done' | 'failed',
    progress: { chainsTotal: j.chainsTotal, chainsDone: j.chainsDone, events: j.events },
    startedAt: j.startedAt.toISOString(),
    finishedAt: j.finishedAt?.toISOString() ?? null,
    ...(j.status === 'done' ? { result: resultView(j) } : {}),
    ...(j.error ? { error: j.error } : {}),
  };
}

export function resultView(j: AuditVerifyJob) {
  return { ok: j.ok ?? false, events: j.events, ...(j.brokenAt ? { brokenAt: j.brokenAt as unknown as BrokenAt } : {}) };
}
