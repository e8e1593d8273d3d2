// 死亡停发: the death stop of one recipient (R-DTH-01…04), started by the first death record of the person
// (update-with-start, `death-stop-<deathStopId>`); every later source is recorded in the same run. In the
// order of the rule: the deceased's payments held at once from the month after death (R-DTH-03); a
// household with nobody covered left is stopped and the stop closes; otherwise the household is verified
// again through the agency (R-DTH-02), the application's accounting gives the remaining members' amount, a
// county caseworker confirms it and the roster takes it from the month after death. The deadline is
// `deathReviewMonths` calendar months from the date of death: a death reported late is overdue at once.
// Every month paid after death is flagged for recovery (追回). A TEKUN death starts the funeral subsidy (R-DTH-04).
import { allHandlersFinished, condition, workflowInfo } from '@temporalio/workflow';
import { db } from '../kit/activity-proxies';
import { verifyStart } from '../kit/start-signature';
import { CommandRuntime } from '../kit/command-runtime';
import { CaseWriter } from '../kit/case-writer';
import { DeadlineBook, newDeadline } from '../kit/deadline-clock';
import { note, setFlag } from '../kit/case-log';
import { chinaDate } from '../rules/dates';
import { memberSubjects, verifyEconomicStatus } from '../steps/economic-verification';
import { DEATH_REVIEW, moveTo, newState, type DeathStopInput, type DeathStopState } from './state';
import { admit, registerHandlers } from './handlers';
import { deathStopRecord } from './record';

export interface DeathStopOutcome {
  deathStopId: string;
  status: DeathStopState['status'];
  monthlyFen?: number;
  recoveryFen?: number;
}

const today = () => chinaDate(Date.now());

export async function deathStop(input: DeathStopInput): Promise<DeathStopOutcome> {
  // issue 23 §3: a death stop acts only on a start the API or the system's intake signed
  verifyStart('deathStop', input);
  const s: DeathStopState = newState(input, workflowInfo().workflowId, today());
  const writer = new CaseWriter(
    s,
    () => ({ kind: 'death_stop', step: s.step, county: s.countyCode, overdue: s.flags.includes('overdue'), dueAt: clocks.nextDue()?.dueAt }),
    () => db.recordDeathStop(deathStopRecord(s)),
  );
  const rt = new CommandRuntime({ persist: () => persist(), dirty: () => writer.dirty(), interrupted: () => false, urgent: () => clocks.alarmed, admit: admit(s) });
  // R-DTH-02: the county holds the stop; a lapse goes to the city's supervisors
  const clocks = new DeadlineBook(s, () => `supervisor@${s.countyCode.slice(0, 4)}`);
  registerHandlers(s, rt, () => writer.revision);

  async function persist(): Promise<void> {
    clocks.alarmed = false;
    await writer.persist();
  }

  /** R-DTH-03: every month paid after death, at what was paid beyond what was due (追回). */
  async function recover(dueFen: number, changedOn: string, final: boolean): Promise<void> {
    const h = s.hold!;
    const r = await db.deathRecovery({ dateOfDeath: s.dateOfDeath, paymentStartMonth: h.paymentStartMonth, changedOn, paidFen: h.monthlyFenBefore, dueFen });
    s.recovery = { ...r, final };
    setFlag(s, 'recovery_due', r.totalFen > 0);
    note(s, 'system', 'death_stop.recovery', { months: r.months, perMonthFen: r.perMonthFen, totalFen: r.totalFen, final });
  }

  const ctx = await db.deathStopContext({ householdId: s.householdId, idNumber: s.idNumber, dateOfDeath: s.dateOfDeath, on: today() });
  s.household = ctx.household ?? undefined;
  s.programme = ctx.programme ?? s.programme;
  s.policy = ctx.policy;
  s.relations = ctx.relations;
  note(s, 'system', 'death_stop.opened', { householdId: s.householdId, dateOfDeath: s.dateOfDeath, dueOn: ctx.deadline?.dueOn, members: ctx.household?.members.length ?? 0 });
  // R-DTH-02: date of death + deathReviewMonths; a death reported late lapses at once (overdue, escalated)
  if (ctx.deadline) clocks.start(newDeadline(DEATH_REVIEW, 'confirming', s.dateOfDeath, ctx.deadline));
  // the first source comes with the start (update-with-start): the stop acts on a recorded death only
  await rt.wait(() => s.sources.length > 0);

  // R-DTH-03: hold at once, from the month after death
  moveTo(s, 'holding');
  s.hold = await db.holdDeceased({ workflowId: s.workflowId, householdId: s.householdId, idNumber: s.idNumber, dateOfDeath: s.dateOfDeath, on: today() });
  note(s, 'system', 'death_stop.payments_held', { fromMonth: s.hold.fromMonth, householdStopped: s.hold.closesHousehold, monthlyFenBefore: s.hold.monthlyFenBefore });
  // issue 23 §4: the person's open application or review is told (the kit's signed notice), once
  if (ctx.openCases.length) {
    s.noticed = await db.tellOpenCases({ deathStopWorkflowId: s.workflowId, countyCode: s.countyCode, dateOfDeath: s.dateOfDeath, cases: ctx.openCases });
    note(s, 'system', 'death_stop.open_cases_told', { cases: s.noticed });
  }
  // R-DTH-04: a TEKUN recipient's death starts the funeral subsidy's direct payment (once)
  if (s.hold.tekun) {
    s.funeral = await db.startFuneralPayment({ deathStopId: s.deathStopId, deathStopWorkflowId: s.workflowId, idNumber: s.idNumber, householdId: s.householdId, villageCode: s.villageCode, dateOfDeath: s.dateOfDeath });
    note(s, 'system', 'death_stop.funeral_payment', s.funeral);
  }

  if (s.hold.closesHousehold) {
    // R-DTH-03: a single-person household's case closes; everything paid for months after death is recovered
    await recover(0, s.hold.heldOn, true);
    clocks.closeAll();
    moveTo(s, 'closed');
  } else {
    await recover(0, s.hold.heldOn, false); // provisional until the amount is confirmed: at most the whole amount
    s.household = (await db.deathStopContext({ householdId: s.householdId, idNumber: s.idNumber, dateOfDeath: s.dateOfDeath, on: today() })).household ?? s.household;
    moveTo(s, 'verifying');
    // R-DTH-02 逢进必核: the remaining members again, through the agency; refused rounds and a check never answered go to a person
    await verifyEconomicStatus(s, rt, { purpose: 'review', subjects: memberSubjects(s.household!.members), chained: true });
    // R-APP-05: the application's accounting on the remaining members with the agency's new figures
    const r = await db.screenVerifiedChange({ householdId: s.householdId, on: today(), report: s.verification.report!, policy: s.policy!, household: s.household! });
    s.recomputed = { monthlyFen: r.monthlyFen, detail: r.detail };
    note(s, 'system', 'accounting.computed', { monthlyFen: r.monthlyFen, monthlyFenBefore: s.hold.monthlyFenBefore, detail: r.detail });
    moveTo(s, 'confirming');
    await rt.wait(() => s.confirmation !== undefined);
    const c = s.confirmation!;
    s.roster = await db.applyDeathAdjustment({ workflowId: s.workflowId, householdId: s.householdId, monthlyFen: c.monthlyFen, fromMonth: s.hold.fromMonth, decidedOn: chinaDate(c.at) });
    note(s, 'system', 'roster.changed', s.roster);
    // paid at the old amount from the month after death through the month of the change (R-APP-14)
    await recover(c.monthlyFen, chinaDate(c.at), true);
    clocks.closeAll();
    moveTo(s, 'adjusted');
  }
  await persist();
  rt.finish();
  await clocks.stopped();
  await condition(allHandlersFinished);
  return { deathStopId: s.deathStopId, status: s.status, monthlyFen: s.roster?.monthlyFen, recoveryFen: s.recovery?.totalFen };
}
