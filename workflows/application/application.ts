// 低保/特困 application (申请审核确认), from intake to enrolment or rejection: DOMAIN.md R-APP-01…17.
// Reads in the order of the regulation. Human steps are Updates (handlers.ts) run by the
// kit's command runtime; this flow runs the automatic parts (verification, publicity, deadlines,
// enrolment) and waits for the people. Each step is set in the activation in which the flow wakes; the
// context (policy, staff register, special filing) is read after arriving, in one activity.
import { publishCaseAttributes } from '../kit/publish-attributes';
import { ActivityFailure, ApplicationFailure, TimeoutFailure, allHandlersFinished, condition, deprecatePatch, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { RetryState } from '@temporalio/common';
import { agency, db } from '../kit/activity-proxies';
import { CommandRuntime, Interrupted } from '../kit/command-runtime';
import { DeadlineBook, newDeadline, type Deadline, type DeadlineComputation } from '../kit/deadline-clock';
import type { CaseRecord } from '../kit/records';
import { note, setFlag, touch } from '../kit/case-log';
import { conflict, ErrorType } from '../kit/errors';
import { verifyStart } from '../kit/start-signature';
import { executionChain } from '../kit/external-systems';
import { handIn, heldByCounty, materialsAccepted, memberIds, moveTo, newState, TOWNSHIP_ACCEPTS, type ApplicationInput, type ApplicationState, type Step } from './state';
import { caseRecord } from './record';
import { registerHandlers } from './handlers';
import { commandResult } from './answer';
import { admitActor } from '../steps/actors';
// the agency's technical limits, named once for every kind (its loop stays here: a stall adds a follow-up deadline)
import { MAX_ROUNDS, REPORT_MAX_WAIT, RESUBMIT_AFTER_MS } from '../steps/economic-verification';
import { intakeReceiptUpdate } from './messages';
import { chinaDate, nextMonth } from '../rules/dates';
import type { TekunEnrolment, VerificationSubject } from '../rules/types';
import type { CaseContext, CaseContextRequest } from '../../activities/application/case-context';

export interface ApplicationOutcome {
  caseId: string;
  status: ApplicationState['status'] | 'refused';
  step?: Step;
  householdId?: string;
  reason?: string;
}

/** The patch of the start's signature check (issue 22 §1.3); its history: api1-signed-start-*. */
export const SIGNED_START = 'signed-start';

/**
 * Every case runs on the kit. The first version (before the kit, patch `kit-v2`) was retired with its three
 * pre-kit recorded histories (issue 22 §1.8): no deployment ever held a case started on it. The patch is
 * deprecated, not dropped, so the kit's own histories, which carry its marker, still replay.
 */
export async function application(input: ApplicationInput): Promise<ApplicationOutcome> {
  deprecatePatch('kit-v2');
  // Issue 22 §1.3 (API1): a start the API did not sign ends here, before any activity, lock or write.
  // Cases recorded before were started unsigned: behind the patch, they replay as they ran.
  if (patched(SIGNED_START)) verifyStart('application', input);
  return applicationV2(input);
}

const DAY_MS = 86_400_000;
const now = () => Date.now();
const today = () => chinaDate(Date.now());

async function applicationV2(input: ApplicationInput): Promise<ApplicationOutcome> {
  const s = newState(input, workflowInfo().workflowId, today());
  let persistedRevision = -1;
  /** how many investigations a completed write has handed to the database */
  let investigationsWritten = 0;
  let refused: ApplicationFailure | undefined;
  let opened = false;
  const published: Record<string, unknown> = {};

  const rt = new CommandRuntime({
    persist: () => persist(),
    dirty: () => s.revision !== persistedRevision,
    interrupted: () => s.withdrawal !== undefined,
    urgent: () => clocks.alarmed,
    admit: (input) => admitActor(s, input),
  });
  // Escalate one level above whoever holds the case: township steps (a delegated decision among them) to the county, county steps to the city.
  const clocks = new DeadlineBook(s, () => `supervisor@${heldByCounty(s) ? s.countyCode.slice(0, 4) : s.countyCode}`);

  registerHandlers(s, rt, () => persistedRevision);
  setHandler(intakeReceiptUpdate, async () => {
    await condition(() => opened || refused !== undefined);
    if (refused) throw refused;
    return commandResult(s, ['intake'], persistedRevision);
  });

  /** The search attributes an operator queries in the Web UI (never personal data); upserted only when changed. */
  function publish(): void {
    publishCaseAttributes(published, { kind: 'application', step: s.step, county: s.countyCode, overdue: s.flags.includes('overdue'), dueAt: clocks.nextDue()?.dueAt });
  }


  async function persist(releaseLocks = false): Promise<void> {
    clocks.alarmed = false;
    publish();
    persistedRevision = s.revision;
    await write((record) => db.recordCase(record), releaseLocks);
  }

  /**
   * One write of the case: the investigations a completed write has carried are not sent again (the
   * database keeps them), so no investigation enters the history more than once more (issue 16 API4).
   */
  async function write<T>(send: (record: CaseRecord) => Promise<T>, releaseLocks = false): Promise<T> {
    const count = s.investigations.length;
    const result = await send(caseRecord(s, releaseLocks, investigationsWritten));
    investigationsWritten = Math.max(investigationsWritten, count);
    return result;
  }

  /** Policy in force today, the staff register as it is now, special filing; a deadline if asked (R-POL, R-APP-08/09). */
  async function refresh(deadline?: CaseContextRequest['deadline'], materials = false): Promise<DeadlineComputation | undefined> {
    return applyContext(await db.caseContext(contextRequest(deadline, materials)), materials);
  }

  function contextRequest(deadline?: CaseContextRequest['deadline'], materials = false): CaseContextRequest {
    return {
      jurisdiction: s.villageCode,
      on: today(),
      idNumbers: memberIds(s),
      declaration: s.declaration,
      report: s.verification.report,
      deadline,
      ...(materials ? { materials: { programme: s.programme, household: s.household } } : {}),
    };
  }

  function applyContext(ctx: CaseContext, materials = false): DeadlineComputation | undefined {
    const before = JSON.stringify([s.policy?.sources, s.relations, s.specialFiling]);
    s.policy = ctx.policy;
    s.relations = ctx.relations;
    s.specialFiling = ctx.specialFiling;
    // R-APP-01/17: the list the rules give (the pledge, each verified person's authorisation)
    if (materials) s.materials.required = ctx.requiredMaterials!;
    setFlag(s, 'special_filing', s.specialFiling.length > 0);
    // what the case shows changed (a relative registered, a new policy): written at the next rest
    if (JSON.stringify([s.policy.sources, s.relations, s.specialFiling]) !== before) touch(s);
    return ctx.deadline;
  }

  /**
   * Sets the step at once (same activation as the wake-up), then writes the arrival and reads the
   * context for the step in one activity.
   */
  async function enter(step: Step, deadline?: CaseContextRequest['deadline']): Promise<DeadlineComputation | undefined> {
    if (s.step !== step) moveTo(s, step);
    publish();
    persistedRevision = s.revision;
    return applyContext(await write((record) => db.enterStep({ record, context: contextRequest(deadline) })));
  }

  // R-APP-12: acceptance starts the decision deadline, counted in working days.
  function accept(acceptedOn: string, c: DeadlineComputation): void {
    s.acceptedOn = acceptedOn;
    const d: Deadline = newDeadline('decision', 'county_decision', acceptedOn, c);
    clocks.start(d);
    if (c.beyondCalendar) setFlag(s, 'deadline_beyond_calendar');
    note(s, 'system', 'application.accepted', { acceptedOn, decisionDueOn: d.dueOn, beyondCalendar: c.beyondCalendar });
  }

  // R-APP-01, R-APP-02, R-APP-15: intake. The missing materials are told once, here, and never added to.
  async function intake(): Promise<void> {
    const provided = s.materials.provided;
    // a complete application is accepted on the day it was received: its deadline comes with the context
    const decision = await refresh({ name: 'decision', from: s.receivedOn, workingDays: 'decisionWorkingDays', warn: true }, true);
    const required = s.materials.required;
    s.materials.missing = required.filter((x) => !provided.includes(x));
    // R-APP-16: a village assistant may open a case from a clue and hand its papers in; R-APP-12: the
    // township caseworker's acceptance starts the clock, so the case waits for it
    if (s.createdBy.role === 'village_assistant' && patched(TOWNSHIP_ACCEPTS)) {
      s.materials.provided = [];
      handIn(s, provided);
    }
    if (s.materials.missing.length) s.materials.noticeGivenOn = today();
    s.step = materialsAccepted(s) ? 'verifying' : 'awaiting_materials';
    note(s, { id: s.createdBy.id, role: s.createdBy.role }, 'application.received', {
      step: s.step,
      programme: s.programme,
      villageCode: s.villageCode,
      receivedOn: s.receivedOn,
      missingMaterials: s.materials.missing,
      declaredStaffRelatives: s.declaration.hasStaffRelatives,
    });
    if (materialsAccepted(s)) accept(s.receivedOn, decision!);
    try {
      publish();
      persistedRevision = s.revision;
      await db.openCase(caseRecord(s));
    } catch (err) {
      if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === ErrorType.Conflict) {
        refused = conflict(err.cause.message, (err.cause.details?.[0] as { existing?: string } | undefined)?.existing);
        return;
      }
      throw err;
    }
  }

  // R-APP-03 逢进必核: the household and everyone obliged to support it, through the agency. A refusal
  // does not end the case; after MAX_ROUNDS refusals, or a check that never completes, a person takes over.
  async function verify(): Promise<void> {
    const subjects: VerificationSubject[] = [
      ...s.household.members.map((m) => ({ idNumber: m.idNumber, name: m.name, role: 'member' as const })),
      ...(s.household.obligors ?? []).map((o) => ({ idNumber: o.idNumber, name: o.name, role: 'obligor' as const })),
    ];
    let round = 0;
    while (s.verification.status !== 'completed') {
      if (s.verification.rounds >= MAX_ROUNDS) await stall();
      round++;
      s.verification.rounds++;
      try {
        s.verification = { ...s.verification, status: 'pending', requestedAt: now() };
        note(s, 'system', 'verification.requested', { round, subjects: subjects.length });
        const { checkId, report } = await rt.external(() =>
          agency(REPORT_MAX_WAIT).checkEconomicStatus({ workflowId: s.workflowId, chain: executionChain(), round, purpose: 'application', subjects }),
        );
        s.verification = { ...s.verification, status: 'completed', checkId, completedAt: now(), report };
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        if (err.cause instanceof ApplicationFailure && err.cause.type === 'AgencyRejected') {
          setFlag(s, 'verification_refused');
          note(s, 'system', 'verification.refused', { round, reason: err.cause.message });
          if (s.verification.rounds < MAX_ROUNDS) await rt.wait(() => false, RESUBMIT_AFTER_MS);
        } else if (err.cause instanceof TimeoutFailure || err.retryState === RetryState.TIMEOUT) {
          // schedule-to-close passed: the server ends the last retry as a timeout, or as its last failure
          note(s, 'system', 'verification.timed_out', { round, checkId: s.verification.checkId, waited: REPORT_MAX_WAIT });
          s.verification.rounds = MAX_ROUNDS;
        } else throw err;
      }
    }
    setFlag(s, 'verification_refused', false);
    note(s, 'system', 'verification.completed', { checkId: s.verification.checkId });
  }

  /** The agency will not do it alone: flag it, give a person a deadline, wait for their new attempt. */
  async function stall(): Promise<void> {
    s.verification.status = 'stalled';
    s.verification.retryRequested = undefined;
    setFlag(s, 'verification_stalled');
    note(s, 'system', 'verification.stalled', { rounds: s.verification.rounds });
    const c = await refresh({ name: 'verification_follow_up', from: today(), workingDays: 'verificationFollowUpWorkingDays', warn: false });
    const name = `verification_follow_up_${s.deadlines.filter((d) => d.name.startsWith('verification_follow_up')).length + 1}`;
    clocks.start(newDeadline(name, 'verifying', today(), c!));
    await rt.wait(() => s.verification.retryRequested !== undefined);
    clocks.close(name);
    setFlag(s, 'verification_stalled', false);
    s.verification.rounds = 0;
    s.verification.status = 'pending';
  }

  // R-APP-04 home investigation; the handler records it with the accounting (R-APP-05).
  async function investigate(): Promise<void> {
    await enter('investigating'); // the register and the agency's report may make the case special (R-APP-08)
    await rt.wait(() => s.investigations.some((x) => x.round === s.investigationRound));
  }

  // R-APP-08: a specially filed case is visited by the county itself.
  async function countyVisit(): Promise<void> {
    await enter('county_visit');
    await rt.wait(() => s.countyVisit !== undefined);
  }

  async function townshipReview(): Promise<void> {
    s.townshipReview = undefined;
    await enter('township_review');
    await rt.wait(() => s.townshipReview !== undefined);
  }

  // R-APP-10: publicity in the village; an objection sends the case back (returns true), except in the
  // last round the policy allows: then the county decides with the objections before it. Re-investigation
  // follows only an objection, so the township cannot loop a case past this bound.
  async function publicity(): Promise<boolean> {
    const round = (s.publicity?.round ?? 0) + 1;
    // posted now, for the days of the policy read when the township review began: written with the arrival
    const from = now();
    // by the same policy; absent from a policy recorded before the parameter existed (no bound then)
    const maxRounds: number | undefined = s.policy!.params.maxPublicityRounds;
    s.publicity = { round, from, until: from + s.policy!.params.publicityDays * DAY_MS, objections: [] };
    note(s, 'system', 'publicity.started', { round, until: new Date(s.publicity.until).toISOString() });
    await enter('publicity');
    const objected = await rt.wait(() => s.publicity!.objections.length > 0, s.publicity.until - now());
    if (objected) {
      if (maxRounds !== undefined && round >= maxRounds && patched('publicity-rounds-bounded')) {
        setFlag(s, 'objections_unresolved');
        note(s, 'system', 'publicity.rounds_exhausted', { round, maxRounds, objections: s.objections.map(({ round, summary, raisedBy }) => ({ round, summary, raisedBy })) });
        return false;
      }
      s.investigationRound++;
      note(s, 'system', 'publicity.interrupted', { round, investigationRound: s.investigationRound });
      return true;
    }
    note(s, 'system', 'publicity.completed', { round });
    return false;
  }

  // R-APP-11: collective approval.
  async function countyDecision(): Promise<void> {
    await enter('county_decision');
    await rt.wait(() => s.decision !== undefined);
    clocks.close('decision');
  }

  // R-APP-14: the whole household (or the single person) enters the roster; payment from next month.
  async function enrol(): Promise<void> {
    const d = s.decision!;
    moveTo(s, 'enrolled');
    const householdId = `H-${s.caseId}`;
    // the activity reads the household from the case it already holds, and decides the
    // review class by the rule in force (R-REV-01)
    const placed = await db.enrolCase({
      caseId: s.caseId,
      householdId,
      coveredMembers: d.coveredMembers,
      singlePerson: d.singlePerson,
      monthlyFen: d.monthlyFen!,
      enrolledOn: d.decidedOn,
      paymentStartMonth: nextMonth(d.decidedOn),
      account: s.account,
    });
    // TEKUN: what the enrolment carries for each covered person: the care grade, the two parts of the
    // amount (from the accounting recorded in history) and the support mode the approval decided
    const tekun: TekunEnrolment[] | undefined =
      s.programme === 'TEKUN' && d.support && s.accounting?.tekunAmounts
        ? s.accounting.tekunAmounts.filter((t) => d.coveredMembers.includes(t.idNumber)).map((t) => ({ ...t, support: d.support! }))
        : undefined;
    s.enrolment = { householdId, enrolledOn: d.decidedOn, paymentStartMonth: nextMonth(d.decidedOn), monthlyFen: d.monthlyFen!, ...placed, ...(tekun ? { tekun } : {}) };
    // R-PAY-01: payments go to the recipient's own account; without one, the roll cannot pay this household
    setFlag(s, 'account_missing', !s.account);
    setFlag(s, 'account_not_covered_member', Boolean(s.account) && !d.coveredMembers.includes(s.account!.holderIdNumber));
    note(s, 'system', 'household.enrolled', { ...s.enrolment });
    await persist(true);
  }

  // R-APP-13: a rejection is notified in writing, within the policy's working days.
  async function reject(): Promise<void> {
    moveTo(s, 'rejected');
    const decided = s.decision!.decidedOn;
    const c = await refresh({ name: 'rejection_notice', from: decided, workingDays: 'rejectionNoticeWorkingDays', warn: false });
    clocks.start(newDeadline('rejection_notice', 'rejected', decided, c!));
    await persist(true); // the decision is final: the members are free to apply again
    await rt.wait(() => s.rejectionNotice !== undefined);
    clocks.close('rejection_notice');
    await persist();
  }

  async function withdrawn(): Promise<void> {
    clocks.closeAll();
    moveTo(s, 'withdrawn');
    await persist(true);
  }

  try {
    await intake();
    if (refused) {
      rt.finish(); // a command that came meanwhile is refused, not left waiting
      await condition(allHandlersFinished); // let the intake receipt report the refusal
      return { caseId: s.caseId, status: 'refused', reason: refused.message };
    }
    opened = true;
    if (s.step === 'awaiting_materials') {
      await rt.wait(() => materialsAccepted(s));
      const c = await enter('verifying', { name: 'decision', from: today(), workingDays: 'decisionWorkingDays', warn: true });
      accept(today(), c!);
    }
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
    if (!(err instanceof Interrupted)) throw err;
    await withdrawn();
  }
  rt.finish();
  await clocks.stopped();
  await condition(allHandlersFinished);
  return { caseId: s.caseId, status: s.status, step: s.step, householdId: s.enrolment?.householdId };
}
