// Drives a review workflow in tests: a household on the roster (as enrolment or the roster import writes
// it), the review started as the recheck cycle starts it, its steps awaited and its commands sent.
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Prisma } from '../../activities/db';
import { review } from '../../workflows/review/review';
import type { ReviewInput, ReviewView } from '../../workflows/review/state';
import * as rm from '../../workflows/review/messages';
import { actors, member, VILLAGE } from './people';
import { TASK_QUEUE, trackWorkflow } from './temporal';
import type { Member } from '../../workflows/rules/types';

let households = 0;

/** A rural household of three on the roster of 演示村, paid `monthlyFen` (default 180000: 3 × 60000, no income). */
export async function rosterHousehold(prisma: Prisma, o: { monthlyFen?: number; reviewClass?: string } = {}): Promise<{ householdId: string; members: Member[] }> {
  const members = [
    member('赵大山', '1966-05-04', { relation: 'self', ableToWork: true }),
    member('钱桂兰', '1969-02-11', { relation: 'spouse' }),
    member('赵小雨', '2013-07-09', { relation: 'child', student: true }),
  ];
  const householdId = `H-RV-${process.pid}-${Date.now().toString(36)}-${++households}`;
  await prisma.household.create({
    data: {
      householdId,
      programme: 'DIBAO',
      villageCode: VILLAGE,
      townshipCode: VILLAGE.slice(0, 9),
      countyCode: VILLAGE.slice(0, 6),
      residence: 'rural',
      status: 'active',
      monthlyFen: o.monthlyFen ?? 180000,
      enrolledOn: new Date('2025-06-10T00:00:00Z'),
      paymentStartMonth: '2025-07',
      reviewClass: o.reviewClass ?? 'semiannual',
      nextReviewOn: new Date('2026-03-01T00:00:00Z'),
      members: { create: members.map((m) => ({ idNumber: m.idNumber, name: m.name, relation: m.relation, birthDate: new Date(`${m.birthDate}T00:00:00Z`), covered: true })) },
    },
  });
  return { householdId, members };
}

export type ReviewHandle = WorkflowHandle<typeof review>;

/** Starts a review as the recheck cycle does: `review-<household>-<period>`, reason scheduled (or as given). */
export async function startReview(client: Client, householdId: string, taskQueue = TASK_QUEUE, extra: Partial<ReviewInput> = {}): Promise<ReviewHandle> {
  const period = extra.period ?? '2026-03';
  const handle = await client.workflow.start(review, {
    args: [{ householdId, countyCode: '140599', period, reason: 'scheduled', ...extra }],
    workflowId: `review-${householdId}-${extra.reason && extra.reason !== 'scheduled' ? `${extra.reason}-${period}` : period}`,
    taskQueue,
  });
  trackWorkflow(taskQueue, handle.workflowId);
  return handle;
}

export async function waitForReviewStep(handle: ReviewHandle, step: string, timeoutMs = 30_000): Promise<ReviewView> {
  const started = Date.now();
  for (;;) {
    const v = await handle.query(rm.reviewStateQuery);
    if (v.step === step) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`review stayed in step ${v.step}, expected ${step}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The township's home visit by two of its staff (R-APP-04), the recorder among them: nothing declared. */
export function reviewInvestigation(visitedOn: string, overrides: Partial<rm.InvestigationInput> = {}): rm.InvestigationInput {
  return { actor: actors.caseworker, investigators: ['zhangmin', 'liqiang'], visitedOn, findings: '复核入户调查：家庭情况如实。', incomes: [], expenditures: [], assets: [], ...overrides };
}

export const proposal = (outcome: rm.OutcomeInput['outcome'], monthlyFen?: number): [rm.OutcomeInput] => [{ actor: actors.caseworker, outcome, monthlyFen, reason: '乡镇复核意见' }];
export const vote = (actor: (typeof actors)[keyof typeof actors], outcome: rm.OutcomeInput['outcome'], monthlyFen?: number): [rm.OutcomeInput] => [{ actor, outcome, monthlyFen, reason: '经集体审批' }];

/** The update, then the review as its `state` query shows it right after. */
export async function send<A extends [unknown, ...unknown[]]>(handle: ReviewHandle, def: import('@temporalio/common').UpdateDefinition<rm.UpdateAnswer, A>, args: A): Promise<ReviewView> {
  await handle.executeUpdate(def, { args });
  return handle.query(rm.reviewStateQuery);
}
