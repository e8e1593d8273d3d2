// FROZEN: the application workflow as it ran before the case kit (patch 'kit-v2'). Cases started before
// then replay through this code; do not change it (test/histories/application/{enrolled,rejected-late-notice,
// objection-extension-overdue-withdrawn}.json prove it). Remove it with deprecatePatch once none run.

// 低保/特困 application (申请审核确认), from intake to enrolment or rejection: DOMAIN.md R-APP-01…15.
// Reads in the order of the regulation. Human steps are Updates (application-handlers.ts); this flow
// runs the automatic parts (verification, publicity, deadlines, enrolment) and waits for the people.
import { ActivityFailure, ApplicationFailure, allHandlersFinished, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { agency, db } from './activity-proxies';
import { isOverdue, newDeadline, runDeadline, type Alarm, type Deadline } from './deadline-clock';
import { memberIds, moveTo, newState, note, setFlag, view, type ApplicationInput, type ApplicationState, type Step } from './application-state';
import { CaseRuntime, Withdrawn } from './application-runtime';
import { registerHandlers } from './application-handlers';
import { intakeReceiptUpdate } from '../messages';
import { conflict, ErrorType } from '../kit/errors';
import { account } from './rules/accounting';
import { addMonths, chinaDate, nextMonth } from './rules/dates';
import { declaredRelations } from './rules/recusal';
import { specialFilingReasons } from './rules/special-filing';
import { REVIEW_CLASS_MONTHS, reviewClass } from './rules/review-class';
import type { VerificationSubject } from './rules/types';

export interface ApplicationOutcome {
  caseId: string;
  status: ApplicationState['status'] | 'refused';
  step?: Step;
  householdId?: string;
  reason?: string;
}

const DAY_MS = 86_400_000;
const now = () => Date.now();
const today = () => chinaDate(Date.now());
/** how often to ask the agency for a pending check: doubling from 1 s up to an hour (technical, not policy) */
const POLL_FIRST_MS = 1_000;
const POLL_MAX_MS = 3_600_000;
/** after the agency refused a request, try a new round this much later */
const RESUBMIT_AFTER_MS = 3_600_000;

export async function applicationV1(input: ApplicationInput): Promise<ApplicationOutcome> {
  const s = newState(input, workflowInfo().workflowId, today());
  const rt = new CaseRuntime(s);
  const clocks: Promise<void>[] = [];
  let refused: ApplicationFailure | undefined;
  let opened = false;

  registerHandlers(rt);
  setHandler(intakeReceiptUpdate, async () => {
    await condition(() => opened || refused !== undefined);
    if (refused) throw refused;
    return view(s);
  });

  /** The case is now in `to`: commands for it may come (application-runtime.ts `busy`). */
  function arrive(to: Step): void {
    if (s.step !== to) moveTo(s, to, now());
    rt.busy = false;
  }

  /** The policy in force today and the staff register as it is now (R-POL, R-APP-09). */
  async function refresh(): Promise<void> {
    s.policy = await db.resolvePolicy({ jurisdiction: s.villageCode, on: today() });
    s.relations = [...declaredRelations(s.declaration), ...(await db.findStaffRelations({ idNumbers: memberIds(s) }))];
  }

  /** R-APP-08 from the declaration, the register and, once there is one, the agency's report. */
  function refreshSpecialFiling(): void {
    const registered = s.relations.filter((r) => r.source === 'register');
    s.specialFiling = specialFilingReasons(s.declaration, registered, s.verification.report);
    setFlag(s, 'special_filing', s.specialFiling.length > 0);
  }

  /** Each step re-reads policy and register before it is shown (R-POL, R-APP-09). */
  async function enter(step: Step, prepare?: () => void): Promise<void> {
    await refresh();
    prepare?.();
    arrive(step);
    await rt.persist();
  }

  function startClock(d: Deadline): void {
    clocks.push(runDeadline(d, (alarm) => deadlineAlarm(d, alarm)));
  }

  async function deadlineAlarm(d: Deadline, alarm: Alarm): Promise<void> {
    if (alarm.kind === 'warning') {
      note(s, now(), 'system', 'deadline.warning', { name: d.name, dueOn: d.dueOn, warnedOn: d.warnings[alarm.index].on });
    } else {
      // Escalate one level above whoever holds the case: township steps to the county, county steps to the city.
      d.escalatedTo = `supervisor@${s.step === 'county_visit' || s.step === 'county_decision' ? s.countyCode.slice(0, 4) : s.countyCode}`;
      setFlag(s, 'overdue');
      note(s, now(), 'system', 'deadline.overdue', { name: d.name, dueOn: d.dueOn, step: s.step });
      note(s, now(), 'system', 'deadline.escalated', { name: d.name, to: d.escalatedTo });
    }
    await rt.persist();
  }

  function closeDeadline(name: string): void {
    const d = s.deadlines.find((x) => x.name === name);
    if (!d || d.closedAt !== undefined) return;
    d.closedAt = now();
    setFlag(s, 'overdue', s.deadlines.some(isOverdue));
    note(s, now(), 'system', 'deadline.closed', { name, dueOn: d.dueOn, late: d.overdueSince !== undefined });
  }

  // R-APP-01, R-APP-02, R-APP-15: intake. The missing materials are told once, here, and never added to.
  async function intake(): Promise<void> {
    await refresh();
    const required = s.policy!.params.requiredMaterials[s.programme];
    s.materials.required = required;
    s.materials.missing = required.filter((x) => !s.materials.provided.includes(x));
    if (s.materials.missing.length) s.materials.noticeGivenOn = today();
    refreshSpecialFiling();
    s.step = s.materials.missing.length ? 'awaiting_materials' : 'verifying';
    note(s, now(), { id: s.createdBy.id, role: s.createdBy.role }, 'application.received', {
      step: s.step,
      programme: s.programme,
      villageCode: s.villageCode,
      receivedOn: s.receivedOn,
      missingMaterials: s.materials.missing,
      declaredStaffRelatives: s.declaration.hasStaffRelatives,
    });
    try {
      await db.openCase(rt.record());
    } catch (err) {
      if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === ErrorType.Conflict) {
        refused = conflict(err.cause.message, (err.cause.details?.[0] as { existing?: string } | undefined)?.existing);
        return;
      }
      throw err;
    }
  }

  // R-APP-12: acceptance starts the decision deadline, counted in working days.
  async function accept(): Promise<void> {
    s.acceptedOn = s.materials.noticeGivenOn ? today() : s.receivedOn;
    const p = s.policy!.params;
    const c = await db.computeDeadline({ from: s.acceptedOn, workingDays: p.decisionWorkingDays, warnBefore: p.decisionWarningWorkingDays });
    const d = newDeadline('decision', 'county_decision', s.acceptedOn, c);
    s.deadlines.push(d);
    if (c.beyondCalendar) setFlag(s, 'deadline_beyond_calendar');
    note(s, now(), 'system', 'application.accepted', { acceptedOn: s.acceptedOn, decisionDueOn: d.dueOn, beyondCalendar: c.beyondCalendar });
    await rt.persist();
    startClock(d);
  }

  // R-APP-03 逢进必核: the household and everyone obliged to support it, through the agency.
  async function verify(): Promise<void> {
    await enter('verifying');
    const subjects: VerificationSubject[] = [
      ...s.household.members.map((m) => ({ idNumber: m.idNumber, name: m.name, role: 'member' as const })),
      ...(s.household.obligors ?? []).map((o) => ({ idNumber: o.idNumber, name: o.name, role: 'obligor' as const })),
    ];
    // A refusal by the agency (a rejected request, a purged check) must not end the case: it is flagged,
    // recorded, and the check is submitted again as a new round after a pause.
    for (let round = 1; s.verification.status !== 'completed'; round++) {
      try {
        const { checkId } = await agency.submitEconomicCheck({ workflowId: s.workflowId, round, purpose: 'application', subjects });
        s.verification = { status: 'pending', checkId, requestedAt: now() };
        note(s, now(), 'system', 'verification.requested', { checkId, round, subjects: subjects.length });
        await rt.persist();
        for (let wait = POLL_FIRST_MS; ; wait = Math.min(wait * 2, POLL_MAX_MS)) {
          const result = await agency.fetchEconomicCheck({ checkId });
          if (result.status === 'completed') {
            s.verification = { ...s.verification, status: 'completed', completedAt: now(), report: result.report };
            break;
          }
          await rt.waitFor(() => false, wait);
        }
        setFlag(s, 'verification_refused', false);
      } catch (err) {
        if (!(err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'AgencyRejected')) throw err;
        setFlag(s, 'verification_refused');
        note(s, now(), 'system', 'verification.refused', { round, reason: err.cause.message });
        await rt.persist();
        await rt.waitFor(() => false, RESUBMIT_AFTER_MS);
      }
    }
    refreshSpecialFiling(); // what the agency found may make this a special case
    note(s, now(), 'system', 'verification.completed', { checkId: s.verification.checkId, specialFiling: s.specialFiling });
  }

  // R-APP-04: home investigation; R-APP-05: the accounting follows from it.
  async function investigate(): Promise<void> {
    await enter('investigating', refreshSpecialFiling); // a relative registered since intake makes the case special
    await rt.waitFor(() => s.investigations.some((x) => x.round === s.investigationRound));
    const inv = s.investigations.find((x) => x.round === s.investigationRound)!;
    s.accounting = account({
      programme: s.programme,
      residence: s.household.residence,
      members: s.household.members,
      incomes: inv.incomes,
      expenditures: inv.expenditures,
      report: s.verification.report!,
      policy: s.policy!.params,
      on: today(),
    });
    setFlag(s, 'verified_income_above_declared', s.accounting.discrepancies.length > 0);
    note(s, now(), 'system', 'accounting.computed', {
      perCapitaFen: s.accounting.perCapitaFen,
      standardFen: s.accounting.standardFen,
      eligibleWhole: s.accounting.eligibleWhole,
      maxMonthlyFen: s.accounting.maxMonthlyFen,
    });
  }

  // R-APP-08: a specially filed case is visited by the county itself.
  async function countyVisit(): Promise<void> {
    await enter('county_visit');
    await rt.waitFor(() => s.countyVisit !== undefined);
  }

  async function townshipReview(): Promise<void> {
    s.townshipReview = undefined;
    await enter('township_review');
    await rt.waitFor(() => s.townshipReview !== undefined);
  }

  // R-APP-10: publicity in the village; an objection sends the case back (returns true).
  async function publicity(): Promise<boolean> {
    const round = (s.publicity?.round ?? 0) + 1;
    await enter('publicity', () => {
      const from = now();
      s.publicity = { round, from, until: from + s.policy!.params.publicityDays * DAY_MS, objections: [] };
      note(s, now(), 'system', 'publicity.started', { round, until: new Date(s.publicity.until).toISOString() });
    });
    const objected = await rt.waitFor(() => s.publicity!.objections.length > 0, s.publicity!.until - now());
    if (objected) {
      s.investigationRound++;
      note(s, now(), 'system', 'publicity.interrupted', { round, investigationRound: s.investigationRound });
      return true;
    }
    note(s, now(), 'system', 'publicity.completed', { round });
    return false;
  }

  // R-APP-11: collective approval.
  async function countyDecision(): Promise<void> {
    await enter('county_decision');
    await rt.waitFor(() => s.decision !== undefined);
    closeDeadline('decision');
  }

  // R-APP-14: the whole household (or the single person) enters the roster; payment from next month.
  async function enrol(): Promise<void> {
    const d = s.decision!;
    const p = s.policy!.params;
    const covered = s.household.members.filter((m) => d.coveredMembers.includes(m.idNumber));
    const cls = reviewClass(s.programme, covered, p, d.decidedOn);
    s.enrolment = {
      householdId: `H-${s.caseId}`,
      enrolledOn: d.decidedOn,
      paymentStartMonth: nextMonth(d.decidedOn),
      monthlyFen: d.monthlyFen!,
      reviewClass: cls,
      nextReviewOn: addMonths(d.decidedOn, REVIEW_CLASS_MONTHS[cls]),
    };
    await db.enrolHousehold({
      ...s.enrolment,
      caseId: s.caseId,
      programme: s.programme,
      villageCode: s.villageCode,
      residence: s.household.residence,
      members: s.household.members.map((m) => ({ ...m, covered: d.coveredMembers.includes(m.idNumber) })),
      singlePerson: d.singlePerson,
      account: s.account,
    });
    // R-PAY-01: payments go to the recipient's own account; without one, the roll cannot pay this household
    setFlag(s, 'account_missing', !s.account);
    setFlag(s, 'account_not_covered_member', Boolean(s.account) && !d.coveredMembers.includes(s.account!.holderIdNumber));
    arrive('enrolled');
    note(s, now(), 'system', 'household.enrolled', { ...s.enrolment });
    await rt.persist(true);
  }

  // R-APP-13: a rejection is notified in writing, within the policy's working days.
  async function reject(): Promise<void> {
    const p = s.policy!.params;
    const c = await db.computeDeadline({ from: s.decision!.decidedOn, workingDays: p.rejectionNoticeWorkingDays, warnBefore: [] });
    const d = newDeadline('rejection_notice', 'rejected', s.decision!.decidedOn, c);
    s.deadlines.push(d);
    arrive('rejected');
    await rt.persist(true);
    startClock(d);
    await rt.waitFor(() => s.rejectionNotice !== undefined);
    closeDeadline('rejection_notice');
    await rt.persist();
  }

  async function withdrawn(): Promise<void> {
    for (const d of s.deadlines) closeDeadline(d.name);
    arrive('withdrawn');
    await rt.persist(true);
  }

  try {
    await intake();
    if (refused) {
      await condition(allHandlersFinished); // let the intake receipt report the refusal
      return { caseId: s.caseId, status: 'refused', reason: refused.message };
    }
    if (s.materials.missing.length) {
      opened = true; // the intake receipt lists what is missing
      await rt.waitFor(() => s.materials.missing.length === 0);
    }
    await accept();
    opened = true; // the intake receipt carries the decision deadline
    await verify();
    for (;;) {
      await investigate();
      if (s.specialFiling.length > 0 && !s.countyVisit) await countyVisit();
      await townshipReview();
      if (s.townshipReview!.opinion === 'ineligible') break;
      if (!(await publicity())) break;
    }
    await countyDecision();
    if (s.decision!.outcome === 'approve') await enrol();
    else await reject();
  } catch (err) {
    if (!(err instanceof Withdrawn)) throw err;
    await withdrawn();
  }
  rt.finish();
  await Promise.all(clocks);
  await condition(allHandlersFinished);
  return { caseId: s.caseId, status: s.status, step: s.step, householdId: s.enrolment?.householdId };
}
