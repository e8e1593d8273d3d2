// 定期复核: the review of a household on the roster (R-REV-02, R-REV-04, R-REV-06), started by the recheck
// cycle (`review-<household>-<YYYY-MM>`), a change report or a partner alert. In the order of the
// regulation: the economic verification again (逢进必核) through the agency; the township's home visit by
// ≥2 staff and the income accounting (R-APP-04/05); the township's proposed outcome; the collective
// decision (R-APP-11) — continue, increase, decrease or stop, the one the accounting gives; the roster
// changed from the next month (R-APP-14). A major change found by the verification or reported must be
// processed within `majorChangeMonths` (R-REV-04): a deadline that lapses, is flagged and escalated.
import { allHandlersFinished, condition, workflowInfo } from '@temporalio/workflow';
import { db } from '../kit/activity-proxies';
import { verifyStart } from '../kit/start-signature';
import { CommandRuntime } from '../kit/command-runtime';
import { CaseWriter } from '../kit/case-writer';
import { DeadlineBook, newDeadline } from '../kit/deadline-clock';
import { note, setFlag, touch } from '../kit/case-log';
import { admitActor } from '../steps/actors';
import { memberSubjects, verifyEconomicStatus } from '../steps/economic-verification';
import { chinaDate } from '../rules/dates';
import type { PolicyDeadline } from '../../activities/deadlines';
import type { ReviewContext } from '../../activities/review/review-activities';
import { heldByCounty, memberIds, moveTo, newState, type ReviewInput, type ReviewState, type Step } from './state';
import { registerHandlers } from './handlers';
import { reviewRecord } from './record';

export interface ReviewOutcome {
  reviewId: string;
  status: ReviewState['status'];
  outcome?: string;
  monthlyFen?: number;
  fromMonth?: string;
}

const today = () => chinaDate(Date.now());

export async function review(input: ReviewInput): Promise<ReviewOutcome> {
  // issue 22 §1.3: a review acts only on a start the scheduler, the API or a change report's flow signed
  verifyStart('review', input);
  const s: ReviewState = newState(input, workflowInfo().workflowId, today());
  const writer = new CaseWriter(
    s,
    () => ({ kind: 'review', step: s.step, county: s.countyCode, overdue: s.flags.includes('overdue'), dueAt: clocks.nextDue()?.dueAt }),
    () => db.recordReview(reviewRecord(s)),
  );
  const rt = new CommandRuntime({
    persist: () => persist(),
    dirty: () => writer.dirty(),
    interrupted: () => false,
    urgent: () => clocks.alarmed,
    admit: (i) => admitActor(s, i),
  });
  // R-REV-06: a lapse is escalated one level above whoever holds the review
  const clocks = new DeadlineBook(s, () => `supervisor@${heldByCounty(s) ? s.countyCode.slice(0, 4) : s.countyCode}`);
  registerHandlers(s, rt, () => writer.revision);

  async function persist(): Promise<void> {
    clocks.alarmed = false;
    await writer.persist();
  }

  /** The roster's household, policy, register and filings as they are now; a deadline by its policy parameter. */
  async function refresh(deadline?: PolicyDeadline): Promise<ReviewContext> {
    const ctx = await db.reviewContext({ householdId: s.householdId, on: today(), report: s.verification.report, deadline });
    const before = JSON.stringify([s.policy?.sources, s.relations, s.specialFiling]);
    if (ctx.household) s.household = ctx.household;
    s.policy = ctx.policy ?? s.policy;
    s.relations = ctx.relations;
    s.specialFiling = ctx.specialFiling;
    setFlag(s, 'special_filing', s.specialFiling.length > 0);
    if (JSON.stringify([s.policy?.sources, s.relations, s.specialFiling]) !== before) touch(s);
    return ctx;
  }

  async function enter(step: Step): Promise<void> {
    moveTo(s, step);
    await persist();
    await refresh(); // the register may have changed since: recusal is checked against it (R-APP-09)
  }

  // R-REV-04: a major change must be processed within majorChangeMonths of being found
  async function majorChange(by: 'verification' | 'report', detail: string): Promise<void> {
    if (s.majorChange) return;
    s.majorChange = { foundOn: today(), by, detail };
    setFlag(s, 'major_change');
    const ctx = await refresh({ name: 'major_change', from: today(), months: 'majorChangeMonths' });
    clocks.start(newDeadline('major_change', 'county_decision', today(), ctx.deadline!));
    note(s, 'system', 'review.major_change', { by, detail, dueOn: ctx.deadline!.dueOn });
  }

  // R-REV-02 逢进必核: the household again, through the agency; refused rounds and a check that never completes go to a person
  async function verify(): Promise<void> {
    await verifyEconomicStatus(s, rt, { purpose: 'review', subjects: memberSubjects(s.household!.members), chained: false });
    const screen = await db.screenVerifiedChange({ householdId: s.householdId, on: today(), report: s.verification.report!, policy: s.policy!, household: s.household! });
    if (screen.changed) await majorChange('verification', screen.detail);
  }

  async function decide(): Promise<void> {
    await enter('investigating');
    await rt.wait(() => s.investigations.some((x) => x.round === s.investigationRound));
    await enter('township_review');
    await rt.wait(() => s.proposal !== undefined);
    await enter('county_decision');
    await rt.wait(() => s.decision !== undefined);
    const d = s.decision!;
    // R-APP-14: the roster and the amount change from the month after the decision
    const roster = await db.applyReviewDecision({ reviewId: s.reviewId, householdId: s.householdId, outcome: d.outcome, monthlyFen: d.monthlyFen, decidedOn: d.decidedOn, fromMonth: d.fromMonth });
    s.roster = roster;
    note(s, 'system', 'roster.changed', { outcome: d.outcome, monthlyFen: d.outcome === 'stop' ? 0 : d.monthlyFen, fromMonth: roster.fromMonth, nextReviewOn: roster.nextReviewOn });
    clocks.closeAll();
    moveTo(s, 'decided');
  }

  const ctx = await refresh();
  if (!ctx.household || ctx.household.status !== 'active') {
    // nobody to review: a household not on the roster, or already stopped (recorded, then closed)
    s.closedReason = ctx.household ? `household ${s.householdId} is ${ctx.household.status}` : `no household ${s.householdId} on the roster`;
    if (ctx.household) {
      s.villageCode = ctx.household.villageCode;
      s.townshipCode = s.villageCode.slice(0, 9);
      note(s, 'system', 'review.closed', { reason: s.closedReason });
      moveTo(s, 'closed');
      await persist();
    }
    return { reviewId: s.reviewId, status: 'closed' };
  }
  s.programme = ctx.household.programme;
  s.villageCode = ctx.household.villageCode;
  s.townshipCode = s.villageCode.slice(0, 9);
  note(s, 'system', 'review.opened', { reason: s.reason, period: s.period, trigger: s.trigger, monthlyFen: ctx.household.monthlyFen, members: memberIds(s).length });
  moveTo(s, 'verifying');
  // R-REV-04: a reported change is a finding already; the verification may find one too
  if (s.reason === 'change_report') await majorChange('report', s.trigger?.detail ?? s.trigger?.kind ?? 'reported change');
  await persist();
  await verify();
  await decide();
  await persist();
  rt.finish();
  await clocks.stopped();
  await condition(allHandlersFinished);
  const d = s.decision!;
  return { reviewId: s.reviewId, status: s.status, outcome: d.outcome, monthlyFen: d.monthlyFen, fromMonth: d.fromMonth };
}
