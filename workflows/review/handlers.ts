// The human steps of a review, as Updates run by the kit's command runtime: the checks (guards.ts), then
// the change to state. Rule outcomes (the accounting, the coverage and so the outcome) come from
// activities, so they are in history: a rule changed later never re-decides a review on replay.
import { setHandler } from '@temporalio/workflow';
import { db } from '../kit/activity-proxies';
import { note, setFlag } from '../kit/case-log';
import type { CommandRuntime } from '../kit/command-runtime';
import { acceptNotices } from '../kit/notices';
import type { CommandResult, Command } from '../kit/command';
import { ruleViolation } from '../kit/errors';
import { chinaDate, nextMonth } from '../rules/dates';
import { bodyOf } from '../steps/actors';
import { agreed, recordMeeting } from '../steps/collective-decision';
import { refuseAccounting } from '../application/guards';
import { memberIds, view, type Assessment, type ReviewState } from './state';
import * as guard from './guards';
import * as m from './messages';
import * as payload from './payloads';

export function commandResult(s: ReviewState, changed: string[], revision = s.revision): CommandResult {
  return { caseId: s.reviewId, step: s.step, status: s.status, revision, changed };
}

/** R-REV-02: the outcome follows from the accounting's figure against the amount paid now. */
function assessed(s: ReviewState, c: { ok: boolean; maxMonthlyFen?: number; coveredMembers?: string[]; message?: string }): Assessment {
  if (!c.ok || !c.maxMonthlyFen) return { outcome: 'stop', monthlyFen: 0, coveredMembers: [], reason: c.message ?? 'no amount is due' };
  const now = s.household!.monthlyFen;
  const outcome = c.maxMonthlyFen === now ? 'continue' : c.maxMonthlyFen > now ? 'increase' : 'decrease';
  return { outcome, monthlyFen: c.maxMonthlyFen, coveredMembers: c.coveredMembers ?? [] };
}

export function registerHandlers(s: ReviewState, rt: CommandRuntime, written: () => number): void {
  const now = () => Date.now();
  const who = (c: Command) => ({ id: c.actor.id, role: c.actor.role });
  const answer = (...changed: string[]) => () => commandResult(s, changed, written());

  setHandler(m.reviewStateQuery, () => view(s));
  // issue 23 §4: another workflow's notice (the death stop of a member) is recorded for the caseworker
  acceptNotices(rt, s, answer('notices'));

  // R-APP-04 home investigation by ≥2 distinct people; R-APP-05 the accounting; R-REV-02 the outcome it gives
  rt.command(m.reviewInvestigationUpdate, {
    schema: payload.investigation.command,
    authorize: (i) => guard.investigation.authorize(s, i),
    check: (i) => guard.investigation.check(s, i),
    apply: async (i) => {
      const { actor, staff: _facts, ...record } = i;
      const accounting = await db.assessHousehold(guard.accountingInput(s, i, chinaDate(now())));
      refuseAccounting(accounting.refused);
      // whom the household's enrolment covers: the whole household, or its single-person / 特困 members (R-APP-06/07)
      const covered = s.household!.members.filter((x) => x.covered).map((x) => x.idNumber);
      const partial = s.programme === 'TEKUN' || s.household!.singlePerson;
      const c = await db.assessCoverage({ programme: s.programme, accounting, allMembers: memberIds(s), requested: partial ? covered : undefined });
      s.investigations.push({ ...record, investigators: [...new Set(i.investigators)], round: s.investigationRound, recordedBy: actor.id, recordedAt: now() });
      note(s, who(i), 'investigation.recorded', { round: s.investigationRound, investigators: i.investigators, visitedOn: i.visitedOn });
      s.accounting = accounting;
      s.assessment = assessed(s, c.ok ? c : { ok: false, message: c.message });
      setFlag(s, 'verified_income_above_declared', accounting.discrepancies.length > 0);
      note(s, 'system', 'accounting.computed', { netMonthlyFen: accounting.netMonthlyFen, standardFen: accounting.standardFen, outcome: s.assessment.outcome, monthlyFen: s.assessment.monthlyFen, currentMonthlyFen: s.household!.monthlyFen });
    },
    answer: answer('investigations', 'accounting', 'assessment'),
  });

  // R-REV-02: the township proposes the outcome; then each vote of the deciding body (R-APP-11)
  rt.command(m.outcomeUpdate, {
    schema: payload.outcome.command,
    authorize: (i) => guard.outcome.authorize(s, i),
    check: (i) => guard.outcome.check(s, i),
    apply: (i) => {
      const a = s.assessment!;
      if (s.step === 'township_review') {
        s.proposal = { outcome: i.outcome, monthlyFen: a.monthlyFen, reason: i.reason, by: i.actor.id, at: now() };
        note(s, who(i), 'review.proposed', { outcome: i.outcome, monthlyFen: a.monthlyFen, investigators: s.investigations.at(-1)?.investigators }, i.reason);
        return;
      }
      recordMeeting(s, i);
      s.votes.push({ approverId: i.actor.id, approverName: i.actor.name, outcome: i.outcome, monthlyFen: a.monthlyFen, reason: i.reason, meeting: i.meeting, body: bodyOf(i), at: now() });
      note(s, who(i), 'review.vote', { outcome: i.outcome, monthlyFen: a.monthlyFen, meeting: i.meeting }, i.reason);
      const agreeing = agreed(s.votes, (v) => v.outcome === i.outcome && v.monthlyFen === a.monthlyFen, s.policy!.params.minApprovers);
      if (!agreeing) return;
      const decidedOn = chinaDate(now());
      // R-APP-14: the roster and the amount change from the month after the decision
      s.decision = { outcome: i.outcome, monthlyFen: a.monthlyFen, decidedOn, fromMonth: nextMonth(decidedOn), approvers: agreeing.map((v) => v.approverId), reasons: agreeing.map((v) => v.reason) };
      note(s, 'system', 'review.decided', { outcome: i.outcome, monthlyFen: a.monthlyFen, fromMonth: s.decision.fromMonth, approvers: s.decision.approvers });
    },
    answer: answer('decisions'),
  });

  // R-REV-02: a new verification attempt after the agency refused or stalled
  rt.command(m.reviewRetryVerificationUpdate, {
    schema: payload.reason.command,
    authorize: (i) => guard.verificationRetry.authorize(s, i),
    check: () => guard.verificationRetry.check(s),
    apply: (i) => {
      if (!i.reason.trim()) throw ruleViolation('R-REV-02', 'a new verification attempt needs a reason', [{ path: 'reason', message: 'must not be empty' }]);
      s.verification.retryRequested = { by: i.actor.id, at: now(), reason: i.reason };
      note(s, who(i), 'verification.retry_requested', {}, i.reason);
    },
    answer: answer('verification'),
  });
}
