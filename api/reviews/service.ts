// Reviews: the API side of the review workflow. Reads come from the `review` projection; commands go
// through the one command path (api/kind-commands.ts) with the review's read model.
import type { Client } from '@temporalio/client';
import type { Prisma } from '../../activities/db';
import type { UpdateAnswer } from '../../workflows/kit/command';
import { reviewStateQuery } from '../../workflows/review/messages';
import type { ReviewView } from '../../workflows/review/state';
import { inSubtree, type User } from '../auth';
import { notFound } from '../problems';
import { keysetPage } from '../paging';
import type { KindRow, ReadModel } from '../kind-commands';

const PROJECTION_ATTEMPTS = 20;
const PROJECTION_RETRY_MS = 50;

export class ReviewReadModel implements ReadModel<ReviewView> {
  readonly kind = 'review';
  constructor(private readonly deps: { prisma: Prisma; client: Client }) {}

  async visible(user: User, reviewId: string): Promise<KindRow> {
    const row = await this.deps.prisma.review.findUnique({ where: { reviewId } });
    if (!row || !inSubtree(user, row.villageCode)) throw notFound(`no review ${reviewId}`);
    return row;
  }

  closed(row: KindRow): boolean {
    return row.status !== 'open';
  }

  async at(answer: UpdateAnswer, row: KindRow): Promise<ReviewView> {
    for (let attempt = 0; attempt < PROJECTION_ATTEMPTS; attempt++) {
      const r = await this.deps.prisma.review.findUnique({ where: { reviewId: answer.caseId }, select: { view: true, revision: true } });
      if (r && Number(r.revision) >= answer.revision) return r.view as unknown as ReviewView;
      await new Promise((res) => setTimeout(res, PROJECTION_RETRY_MS));
    }
    return this.deps.client.workflow.getHandle(row.workflowId).query(reviewStateQuery);
  }

  async get(user: User, reviewId: string) {
    await this.visible(user, reviewId);
    const row = await this.deps.prisma.review.findUniqueOrThrow({ where: { reviewId } });
    const events = await this.deps.prisma.auditEvent.findMany({ where: { caseId: reviewId }, orderBy: { seq: 'asc' }, take: 1000 });
    return {
      ...(row.view as unknown as ReviewView),
      timeline: events.map((e) => ({ seq: e.seq.toString(), at: e.at.toISOString(), actor: e.actor, actorRole: e.actorRole, action: e.action, reason: e.reason, data: e.data })),
    };
  }

  /** R-REV-06: open reviews in the caller's subtree, by step and due date, paged by an opaque cursor. */
  async list(user: User, q: { jurisdiction?: string; step?: string; dueBefore?: string; limit: number; cursor?: string }) {
    const scope = q.jurisdiction ?? user.jurisdiction;
    if (!inSubtree(user, scope)) return { items: [], nextCursor: null };
    const rows = await this.deps.prisma.review.findMany({
      where: {
        villageCode: { startsWith: scope },
        status: 'open',
        ...(q.step ? { step: q.step } : {}),
        ...(q.dueBefore ? { dueOn: { lt: new Date(`${q.dueBefore}T00:00:00Z`) } } : {}),
        ...(q.cursor ? { reviewId: { gt: q.cursor } } : {}),
      },
      orderBy: { reviewId: 'asc' },
      take: q.limit + 1,
    });
    return keysetPage(
      'reviews',
      rows,
      q.limit,
      (r) => r.reviewId,
      (r) => ({
        reviewId: r.reviewId,
        householdId: r.householdId,
        villageCode: r.villageCode,
        reason: r.reason,
        period: r.period,
        step: r.step,
        status: r.status,
        assignee: r.assignee,
        dueOn: r.dueOn?.toISOString().slice(0, 10) ?? null,
        overdue: r.overdue,
        updatedAt: r.updatedAt.toISOString(),
      }),
    );
  }
}
