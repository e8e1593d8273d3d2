// The human steps of an application, as Update handlers: validator first (application-guards.ts),
// then the change to state, then settle() so the caller sees the state after the workflow's reaction.
import { setHandler } from '@temporalio/workflow';
import { db } from './activity-proxies';
import { moveDeadline } from './deadline-clock';
import { memberIds, note, setFlag, view } from './application-state';
import type { CaseRuntime } from './application-runtime';
import * as guard from './application-guards';
import * as m from '../messages';
import { coverage } from './rules/accounting';
import { chinaDate } from './rules/dates';

export function registerHandlers(rt: CaseRuntime): void {
  const s = rt.s;
  const now = () => Date.now();
  const who = (c: m.Command) => ({ id: c.actor.id, role: c.actor.role });

  setHandler(m.stateQuery, () => view(s));

  // R-APP-01: supplements against the list told once at intake; nothing new is asked for.
  setHandler(
    m.supplementMaterialsUpdate,
    async (i) => {
      s.materials.provided = [...new Set([...s.materials.provided, ...i.materials])];
      s.materials.missing = s.materials.required.filter((x) => !s.materials.provided.includes(x));
      note(s, now(), who(i), 'materials.supplemented', { materials: i.materials, stillMissing: s.materials.missing });
      return rt.settle();
    },
    { validator: (i) => (guard.notMoving(s, rt.busy, 'supplementing materials'), guard.guardMaterials(s, i)) },
  );

  // R-APP-04 home investigation by ≥2 distinct people; R-APP-09 recusal.
  setHandler(
    m.recordInvestigationUpdate,
    async (i) => {
      const { actor, ...record } = i;
      s.investigations.push({ ...record, investigators: [...new Set(i.investigators)], round: s.investigationRound, recordedBy: actor.id, recordedAt: now() });
      note(s, now(), who(i), 'investigation.recorded', { round: s.investigationRound, investigators: i.investigators, visitedOn: i.visitedOn });
      return rt.settle();
    },
    { validator: (i) => (guard.notMoving(s, rt.busy, 'an investigation'), guard.guardInvestigation(s, i)) },
  );

  // R-APP-08: the county visits a specially filed household itself.
  setHandler(
    m.recordCountyVisitUpdate,
    async (i) => {
      s.countyVisit = { visitors: i.visitors, visitedOn: i.visitedOn, findings: i.findings, recordedBy: i.actor.id, recordedAt: now() };
      note(s, now(), who(i), 'county_visit.recorded', { visitors: i.visitors, visitedOn: i.visitedOn });
      return rt.settle();
    },
    { validator: (i) => (guard.notMoving(s, rt.busy, 'a county home visit'), guard.guardCountyVisit(s, i)) },
  );

  // R-APP-05/06/07: the township's opinion, bounded by the income accounting.
  setHandler(
    m.townshipReviewUpdate,
    async (i) => {
      const c = i.opinion === 'eligible' ? coverage(s.programme, s.accounting!, memberIds(s), i.coveredMembers) : undefined;
      const covered = c?.ok ? c : { coveredMembers: [], singlePerson: false, maxMonthlyFen: 0 };
      s.townshipReview = {
        opinion: i.opinion,
        proposedMonthlyFen: i.opinion === 'eligible' ? (i.proposedMonthlyFen ?? covered.maxMonthlyFen) : undefined,
        coveredMembers: covered.coveredMembers,
        singlePerson: covered.singlePerson,
        maxMonthlyFen: covered.maxMonthlyFen,
        reason: i.reason,
        by: i.actor.id,
        at: now(),
      };
      setFlag(s, 'single_person_household', covered.singlePerson);
      note(s, now(), who(i), 'township_review.recorded', { opinion: i.opinion, proposedMonthlyFen: s.townshipReview.proposedMonthlyFen, coveredMembers: covered.coveredMembers }, i.reason);
      return rt.settle();
    },
    { validator: (i) => (guard.notMoving(s, rt.busy, 'the township review'), guard.guardTownshipReview(s, i)) },
  );

  // R-APP-10: an objection during publicity sends the case back to investigation.
  setHandler(
    m.objectionUpdate,
    async (i) => {
      s.publicity!.objections.push({ summary: i.summary, by: i.actor.id, at: now() });
      note(s, now(), who(i), 'publicity.objection', { summary: i.summary });
      return rt.settle();
    },
    { validator: (i) => (guard.notMoving(s, rt.busy, 'an objection'), guard.guardObjection(s, i)) },
  );

  // R-APP-11: collective approval by minApprovers distinct approvers agreeing.
  setHandler(
    m.approvalUpdate,
    async (i) => {
      const cover = i.decision === 'approve' ? guard.decisionCoverage(s) : undefined;
      const amount = cover ? guard.approvedAmount(s, i, cover) : undefined;
      s.votes.push({ approverId: i.actor.id, approverName: i.actor.name, decision: i.decision, reason: i.reason, monthlyFen: amount, meeting: i.meeting, at: now() });
      note(s, now(), who(i), 'approval.vote', { decision: i.decision, monthlyFen: amount, meeting: i.meeting }, i.reason);
      const agreeing = s.votes.filter((v) => v.decision === i.decision);
      if (agreeing.length >= s.policy!.params.minApprovers) {
        s.decision = {
          outcome: i.decision,
          decidedOn: chinaDate(now()),
          monthlyFen: amount,
          coveredMembers: cover?.coveredMembers ?? [],
          singlePerson: cover?.singlePerson ?? false,
          reasons: agreeing.map((v) => v.reason),
          approvers: agreeing.map((v) => v.approverId),
        };
        note(s, now(), 'system', 'application.decided', { outcome: i.decision, monthlyFen: amount, approvers: s.decision.approvers });
      }
      return rt.settle();
    },
    { validator: (i) => (guard.notMoving(s, rt.busy, 'an approval'), guard.guardApproval(s, i)) },
  );

  // R-APP-12: one extension, with a reason, to the extended limit counted from acceptance.
  setHandler(
    m.extensionUpdate,
    async (i) => {
      const d = s.deadlines.find((x) => x.name === 'decision')!;
      d.extended = true; // before the await: a concurrent second extension is refused by the validator
      d.moving = true; // and the clock holds still until the new date is known
      const p = s.policy!.params;
      const c = await db.computeDeadline({ from: d.startedOn, workingDays: p.extendedWorkingDays, warnBefore: p.decisionWarningWorkingDays });
      moveDeadline(d, c);
      setFlag(s, 'deadline_extended');
      if (c.beyondCalendar) setFlag(s, 'deadline_beyond_calendar');
      note(s, now(), who(i), 'deadline.extended', { name: d.name, dueOn: d.dueOn }, i.reason);
      return rt.settle();
    },
    { validator: (i) => guard.guardExtension(s, i) },
  );

  setHandler(
    m.withdrawalUpdate,
    async (i) => {
      s.withdrawal = { reason: i.reason, by: i.actor.id, at: now() };
      note(s, now(), who(i), 'application.withdrawn', {}, i.reason);
      return rt.settle();
    },
    { validator: (i) => guard.guardWithdrawal(s, i) },
  );

  // R-APP-13: the written rejection notice, served within the policy's working days.
  setHandler(
    m.rejectionNoticeUpdate,
    async (i) => {
      s.rejectionNotice = { servedOn: i.servedOn, method: i.method, noticeNo: i.noticeNo, by: i.actor.id };
      note(s, now(), who(i), 'rejection_notice.served', { servedOn: i.servedOn, method: i.method, noticeNo: i.noticeNo });
      return rt.settle();
    },
    { validator: (i) => (guard.notMoving(s, rt.busy, 'a rejection notice'), guard.guardRejectionNotice(s, i)) },
  );
}
