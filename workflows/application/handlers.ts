// The human steps of an application, as Updates run by the kit's command runtime: the checks
// (guards.ts), then the change to state. The caller gets a compact answer (step, revision,
// what changed) once the main flow has reacted (the next step) and it is written; the case itself is read
// from the projection (issue 16 API4). Payloads are parsed by the API's own schemas first (API1). Rule outcomes that decide amounts or branches come from
// activities, so their results are in history: a rule changed for new cases never re-decides this one.
import { patched, setHandler } from '@temporalio/workflow';
import { db } from '../kit/activity-proxies';
import { moveDeadline } from '../kit/deadline-clock';
import { note, setFlag } from '../kit/case-log';
import type { CommandRuntime } from '../kit/command-runtime';
import { acceptNotices } from '../kit/notices';
import { handIn, memberIds, TOWNSHIP_ACCEPTS, view, type ApplicationState } from './state';
import * as guard from './guards';
import * as m from './messages';
import { chinaDate } from '../rules/dates';
import { ruleViolation } from '../kit/errors';
import { bodyOf } from '../steps/actors';
import { agreed, recordMeeting } from '../steps/collective-decision';
import { commandResult } from './answer';
import * as payload from './payloads';

/**
 * R-APP-13: the reasons and the route of appeal the notice states, with the time limits of the policy in
 * force when the case was rejected. Notices recorded before the rule have neither (they replay as they were).
 */
function noticeContent(s: ApplicationState, i: m.RejectionNoticeInput): Pick<NonNullable<ApplicationState['rejectionNotice']>, 'reasons' | 'appeal'> {
  if (!i.reasons && !i.appeal) return {};
  const p = s.policy?.params;
  const a = i.appeal;
  return {
    reasons: i.reasons,
    appeal: {
      ...(a?.reconsideration ? { reconsideration: { body: a.reconsideration.body, withinDays: p?.appealReconsiderationDays } } : {}),
      ...(a?.litigation ? { litigation: { court: a.litigation.court, withinMonths: p?.appealLitigationMonths } } : {}),
    },
  };
}

/** `written`: the revision of the case's last write, which every answer names (issue 16 API4) */
export function registerHandlers(s: ApplicationState, rt: CommandRuntime, written: () => number = () => s.revision): void {
  const now = () => Date.now();
  const who = (c: m.Command) => ({ id: c.actor.id, role: c.actor.role });
  /** the compact answer, naming the parts of the view the command touches (issue 16 API4) */
  const answer = (...changed: string[]) => () => commandResult(s, changed, written());

  setHandler(m.stateQuery, () => view(s));
  // issue 23 §4: another workflow's notice (the death stop of a member) is recorded for the caseworker
  acceptNotices(rt, s, answer('notices'));

  // R-APP-01: supplements against the list told once at intake; nothing new is asked for.
  rt.command(m.supplementMaterialsUpdate, {
    schema: payload.materials.command,
    authorize: (i) => guard.materials.authorize(s, i),
    check: (i) => guard.materials.check(s, i),
    apply: (i) => {
      // R-APP-12, R-APP-16: a village assistant's papers are handed in, recorded and audited, not accepted:
      // acceptance (受理) starts the statutory clock and is the township's (before the patch, they were)
      if (i.actor.role !== 'township_caseworker' && patched(TOWNSHIP_ACCEPTS)) {
        handIn(s, i.materials);
        note(s, who(i), 'materials.handed_in', { materials: i.materials, stillMissing: s.materials.missing });
        return;
      }
      // a township caseworker's supplement accepts what was handed in with it (an empty list: only that)
      const accepted = s.materials.handedIn ?? [];
      s.materials.provided = [...new Set([...s.materials.provided, ...accepted, ...i.materials])];
      if (accepted.length) s.materials.handedIn = [];
      s.materials.missing = s.materials.required.filter((x) => !s.materials.provided.includes(x));
      note(s, who(i), 'materials.supplemented', { materials: i.materials, ...(accepted.length ? { accepted } : {}), stillMissing: s.materials.missing });
    },
    answer: answer('materials', 'missingMaterials'),
  });

  // R-APP-04 home investigation by ≥2 distinct people; R-APP-05 the accounting follows from it.
  rt.command(m.recordInvestigationUpdate, {
    schema: payload.investigation.command,
    authorize: (i) => guard.investigation.authorize(s, i),
    check: (i) => guard.investigation.check(s, i),
    apply: async (i) => {
      const { actor, staff: _facts, ...record } = i; // the register's facts were for the validator only
      const accounting = await db.assessHousehold(guard.accountingInput(s, i, chinaDate(now())));
      // R-APP-05: what the accounting refuses to count is refused with its field (nothing is recorded)
      guard.refuseAccounting(accounting.refused);
      s.investigations.push({ ...record, investigators: [...new Set(i.investigators)], round: s.investigationRound, recordedBy: actor.id, recordedAt: now() });
      note(s, who(i), 'investigation.recorded', { round: s.investigationRound, investigators: i.investigators, visitedOn: i.visitedOn });
      s.accounting = accounting;
      setFlag(s, 'verified_income_above_declared', accounting.discrepancies.length > 0);
      note(s, 'system', 'accounting.computed', {
        perCapitaFen: accounting.perCapitaFen,
        standardFen: accounting.standardFen,
        householdStandardFen: accounting.householdStandardFen,
        netMonthlyFen: accounting.netMonthlyFen,
        eligibleWhole: accounting.eligibleWhole,
        maxMonthlyFen: accounting.maxMonthlyFen,
      });
      // R-APP-05: a documented lower current income replaced the verified figure: audited with its reason and evidence
      if (accounting.incomeDrops?.length) {
        setFlag(s, 'income_drop_documented');
        note(s, who(i), 'accounting.income_drop', { members: accounting.incomeDrops, drops: i.incomeDrops ?? [] });
      }
      // R-APP-05: a source declared or recorded above the verified figure, which counts there (零工, cash income)
      setFlag(s, 'declared_income_above_verified', (accounting.declaredAboveVerified ?? []).length > 0);
      if (s.programme === 'TEKUN' && accounting.tekunSupporters?.length) {
        note(s, 'system', 'tekun.supporters', { supporters: accounting.tekunSupporters, findings: i.supporterFindings ?? [] });
      }
    },
    answer: answer('investigations', 'accounting', 'flags'),
  });

  // R-APP-08: the county visits a specially filed household itself.
  rt.command(m.recordCountyVisitUpdate, {
    schema: payload.countyVisit.command,
    authorize: (i) => guard.countyVisit.authorize(s, i),
    check: (i) => guard.countyVisit.check(s, i),
    apply: (i) => {
      s.countyVisit = { visitors: i.visitors, visitedOn: i.visitedOn, findings: i.findings, recordedBy: i.actor.id, recordedAt: now() };
      note(s, who(i), 'county_visit.recorded', { visitors: i.visitors, visitedOn: i.visitedOn });
    },
    answer: answer('countyVisit'),
  });

  // R-APP-05/06/07: the township's opinion, bounded by the income accounting.
  rt.command(m.townshipReviewUpdate, {
    schema: payload.townshipReview.command,
    authorize: (i) => guard.townshipReview.authorize(s, i),
    check: (i) => guard.townshipReview.check(s, i),
    screen: (i) => guard.townshipReview.screen(s, i),
    apply: async (i) => {
      let covered = { coveredMembers: [] as string[], singlePerson: false, maxMonthlyFen: 0 };
      let perMember: { idNumber: string; monthlyFen: number }[] = [];
      if (i.opinion === 'eligible') {
        const c = await db.assessCoverage({
          programme: s.programme,
          accounting: s.accounting!,
          allMembers: memberIds(s),
          requested: i.coveredMembers,
          proposedFen: i.proposedMonthlyFen,
        });
        if (!c.ok) throw ruleViolation(c.rule, c.message, [{ path: i.coveredMembers ? 'coveredMembers' : 'opinion', message: c.message }]);
        // R-APP-05: the amount is the accounting's figure (the activity's answer, in history)
        guard.refuseAmount(c.amount!, 'proposedMonthlyFen');
        covered = { coveredMembers: c.coveredMembers, singlePerson: c.singlePerson, maxMonthlyFen: c.maxMonthlyFen };
        perMember = c.perMember ?? [];
      }
      s.townshipReview = {
        opinion: i.opinion,
        proposedMonthlyFen: i.opinion === 'eligible' ? (i.proposedMonthlyFen ?? covered.maxMonthlyFen) : undefined,
        coveredMembers: covered.coveredMembers,
        singlePerson: covered.singlePerson,
        maxMonthlyFen: covered.maxMonthlyFen,
        perMember,
        // R-APP-05: the counted income the opinion rests on, per member and source (declared / verified / counted)
        incomes: (s.accounting?.members ?? []).map((x) => ({ idNumber: x.idNumber, sources: x.sources ?? [] })),
        reason: i.reason,
        by: i.actor.id,
        at: now(),
        // R-APP-10: where it is posted (the publicity archive records it); the policy's default if not named
        ...(i.opinion === 'eligible' ? { publicityChannels: i.publicityChannels ?? s.policy?.params.publicityChannels } : {}),
      };
      setFlag(s, 'single_person_household', covered.singlePerson);
      note(s, who(i), 'township_review.recorded', { opinion: i.opinion, proposedMonthlyFen: s.townshipReview.proposedMonthlyFen, coveredMembers: covered.coveredMembers, perMember }, i.reason);
    },
    answer: answer('townshipReview', 'flags'),
  });

  // R-APP-10: an objection during publicity sends the case back to investigation (or, in the last round, to the decision).
  rt.command(m.objectionUpdate, {
    schema: payload.objection.command,
    authorize: (i) => guard.objection.authorize(s, i),
    check: (i) => guard.objection.check(s, i),
    apply: (i) => {
      const objection = { summary: i.summary, raisedBy: i.raisedBy, by: i.actor.id, at: now() };
      s.publicity!.objections.push(objection);
      s.objections.push({ round: s.publicity!.round, ...objection });
      note(s, who(i), 'publicity.objection', { summary: i.summary, raisedBy: i.raisedBy });
    },
    answer: answer('publicity'),
  });

  // R-APP-11: collective approval by minApprovers distinct approvers agreeing.
  rt.command(m.approvalUpdate, {
    schema: payload.approval.command,
    authorize: (i) => guard.approval.authorize(s, i),
    check: (i) => guard.approval.check(s, i),
    apply: (i) => {
      const cover = i.decision === 'approve' ? guard.decisionCoverage(s) : undefined;
      const amount = cover ? guard.approvedAmount(s, i, cover) : undefined;
      const depositExemptions = i.depositExemptions?.length ? i.depositExemptions : undefined;
      const support = i.decision === 'approve' ? i.support : undefined;
      // R-APP-11: the first vote that gives a meeting's date and attendees records the meeting (once)
      recordMeeting(s, i);
      s.votes.push({ approverId: i.actor.id, approverName: i.actor.name, decision: i.decision, reason: i.reason, monthlyFen: amount, meeting: i.meeting, depositExemptions, support, body: bodyOf(i), at: now() });
      // R-APP-15: the vote is made and recorded in the system, never off-line only
      note(s, who(i), 'approval.vote', { decision: i.decision, monthlyFen: amount, meeting: i.meeting, ...(depositExemptions ? { depositExemptions } : {}), ...(support ? { support } : {}) }, i.reason);
      const agreeing = agreed(s.votes, (v) => v.decision === i.decision, s.policy!.params.minApprovers);
      if (agreeing) {
        s.decision = {
          outcome: i.decision,
          decidedOn: chinaDate(now()),
          monthlyFen: amount,
          coveredMembers: cover?.coveredMembers ?? [],
          singlePerson: cover?.singlePerson ?? false,
          reasons: agreeing.map((v) => v.reason),
          approvers: agreeing.map((v) => v.approverId),
          ...(support ? { support } : {}),
        };
        note(s, 'system', 'application.decided', { outcome: i.decision, monthlyFen: amount, approvers: s.decision.approvers });
      }
    },
    answer: answer('decisions'),
  });

  // R-APP-12: one extension, with a reason, to the extended limit counted from acceptance.
  rt.command(m.extensionUpdate, {
    schema: payload.reason.command,
    authorize: (i) => guard.extension.authorize(s, i),
    check: (i) => guard.extension.check(s, i),
    apply: async (i) => {
      const d = s.deadlines.find((x) => x.name === 'decision')!;
      d.extended = true;
      d.moving = true; // the clock holds still until the new date is known
      const p = s.policy!.params;
      let c;
      try {
        c = await db.computeDeadline({ from: d.startedOn, workingDays: p.extendedWorkingDays, warnBefore: p.decisionWarningWorkingDays });
      } catch (err) {
        // not extended after all: the clock runs on and the one extension is still to be had
        d.extended = false;
        d.moving = false;
        throw err;
      }
      moveDeadline(d, c);
      setFlag(s, 'deadline_extended');
      if (c.beyondCalendar) setFlag(s, 'deadline_beyond_calendar');
      note(s, who(i), 'deadline.extended', { name: d.name, dueOn: d.dueOn }, i.reason);
    },
    answer: answer('deadlines', 'flags'),
  });

  rt.command(m.withdrawalUpdate, {
    schema: payload.reason.command,
    authorize: (i) => guard.withdrawal.authorize(s, i),
    check: () => guard.withdrawal.check(s),
    apply: (i) => {
      s.withdrawal = { reason: i.reason, by: i.actor.id, at: now() };
      note(s, who(i), 'application.withdrawn', {}, i.reason);
    },
    answer: answer('decisions.withdrawal'),
  });

  // R-APP-13: the written rejection notice, served within the policy's working days.
  rt.command(m.rejectionNoticeUpdate, {
    schema: payload.rejectionNotice.command,
    authorize: (i) => guard.rejectionNotice.authorize(s, i),
    check: (i) => guard.rejectionNotice.check(s, i),
    apply: (i) => {
      s.rejectionNotice = { servedOn: i.servedOn, method: i.method, noticeNo: i.noticeNo, by: i.actor.id, ...noticeContent(s, i) };
      note(s, who(i), 'rejection_notice.served', { servedOn: i.servedOn, method: i.method, noticeNo: i.noticeNo, ...noticeContent(s, i) });
    },
    answer: answer('decisions.rejectionNotice'),
  });

  // R-APP-03: a new verification attempt after the agency refused or stalled.
  rt.command(m.retryVerificationUpdate, {
    schema: payload.reason.command,
    authorize: (i) => guard.verificationRetry.authorize(s, i),
    check: () => guard.verificationRetry.check(s),
    apply: (i) => {
      s.verification.retryRequested = { by: i.actor.id, at: now(), reason: i.reason };
      note(s, who(i), 'verification.retry_requested', {}, i.reason);
    },
    answer: answer('verification'),
  });
}
