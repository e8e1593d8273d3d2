// R-REV-03: one township's monthly change reports (村级每月20日前报告, 乡镇月底前审核上报). Each village
// reports every recipient household's changes by the policy's day (national: the 20th), the township checks
// them by month end; a missed deadline becomes overdue and is escalated one level up, and supervision sees
// it in the `deadline` table. A reported major change opens a review now (R-REV-04); a death opens the
// person's death stop (R-DTH, issue 23 §3). Started by the month's first report (update-with-start, the API)
// or by a schedule, id `change-reports-<township>-<YYYY-MM>`; ends when every village has reported and
// the township has checked. Built from the case kit; continues as new when Temporal suggests it.
import { publishCaseAttributes } from '../kit/publish-attributes';
import { currentUpdateInfo, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { CommandRuntime, type RuntimeCarry } from '../kit/command-runtime';
import { DeadlineBook, newDeadline } from '../kit/deadline-clock';
import { note } from '../kit/case-log';
import { canonicalJson } from '../kit/canonical-json';
import { db } from '../kit/activity-proxies';
import { verifyStart } from '../kit/start-signature';
import { conflict, forbidden, ruleViolation, wrongStep } from '../kit/errors';
import { maskIdNumber } from '../rules/id-number';
import type { Actor } from '../rules/types';
import { changeReportsQuery, checkTownshipUpdate, reportHouseholdUpdate, reportVillageUpdate, type ChangeReportsAnswer, type ChangeReportsInput, type FollowUp, type HouseholdReport } from './messages';
import { commandSchemas, REVIEW_KINDS } from './payloads';
import { allClosed, changeReportsRecord, escalationFor, fingerprint, initialState, TOWNSHIP_CHECK, view, villageDeadline, villagesMissing, type ChangeReportsState } from './state';

const REPORTERS = ['village_assistant', 'township_caseworker'];
/** issue 23 §3: a reported death opens the death stop (an activity where there was none) */
const DEATH_STOP_PATCH = 'R-REV-03-death-stop';

interface Carried extends RuntimeCarry {
  state: ChangeReportsState;
  published: Record<string, unknown>;
  writtenRevision: number;
}

export async function changeReports(input: ChangeReportsInput) {
  // issue 22 §1.3: the API signs the month's start (update-with-start); a run continued as new is not checked
  verifyStart('changeReports', input);
  const carried = input.carried as Carried | undefined;
  const s = carried?.state ?? initialState(workflowInfo().workflowId, input.townshipCode, input.month);
  const published: Record<string, unknown> = { ...(carried?.published ?? {}) };
  let written = carried?.writtenRevision ?? -1;
  /** each command's follow-ups, by its Update id, for its answer */
  const followUpsOf = new Map<string, FollowUp[]>();

  const rt = new CommandRuntime(
    {
      persist: () => persist(),
      dirty: () => s.revision !== written,
      interrupted: () => false,
      urgent: () => clocks.alarmed,
      admit: (i) => admit(s, i),
    },
    { applied: carried?.commands, continueAsNew: { input: (carry): ChangeReportsInput => ({ townshipCode: s.townshipCode, month: s.month, carried: { ...carry, state: s, published, writtenRevision: written } }) } },
  );
  const clocks = new DeadlineBook(s, (d) => escalationFor(s, d));

  function publish(): void {
    publishCaseAttributes(published, { kind: 'change_report', step: view(s).step, county: s.countyCode, overdue: s.flags.includes('overdue'), dueAt: clocks.nextDue()?.dueAt });
  }


  async function persist(): Promise<void> {
    clocks.alarmed = false;
    publish();
    written = s.revision;
    await db.recordChangeReports(changeReportsRecord(s));
  }

  /** Records one household's report and opens what it calls for. */
  async function report(actor: Actor, h: HouseholdReport): Promise<FollowUp> {
    const death = h.changes.find((c) => c.kind === 'death');
    const major = h.changes.filter((c) => REVIEW_KINDS.includes(c.kind));
    let f: FollowUp = { householdId: h.householdId, followUp: 'none' };
    if (death && patched(DEATH_STOP_PATCH)) {
      // issue 23 §3: the reported death opens the person's death stop through the death records' own path
      // (source `report`); the same death from a registry reaches the same stop
      const opened = await db.openDeathStop({ idNumber: death.memberIdNumber!, dateOfDeath: death.dateOfDeath!, actor, taskQueue: workflowInfo().taskQueue });
      f = opened.workflowId ? { householdId: h.householdId, followUp: 'death_stop', deathStopWorkflowId: opened.workflowId } : { householdId: h.householdId, followUp: 'death_stop_pending' };
      s.deaths.push({ householdId: h.householdId, memberIdNumber: death.memberIdNumber!, dateOfDeath: death.dateOfDeath!, reportedAt: Date.now(), deathStopWorkflowId: opened.workflowId });
    } else if (death) {
      // before the death stop existed: recorded and flagged, nothing started
      f = { householdId: h.householdId, followUp: 'death_stop_pending' };
      s.deaths.push({ householdId: h.householdId, memberIdNumber: death.memberIdNumber!, dateOfDeath: death.dateOfDeath!, reportedAt: Date.now() });
    } else if (major.length) {
      // R-REV-04: a major change is processed within majorChangeMonths: the review opens now; the same
      // changes reported again (another key, a village's report repeating a household's) open nothing new
      const key = fingerprint(canonicalJson({ householdId: h.householdId, month: s.month, changes: major.map((c) => [c.kind, c.memberIdNumber ?? '', c.monthlyFen ?? null]).sort() }));
      const existing = s.reviews[key];
      if (existing) f = { householdId: h.householdId, followUp: 'review', reviewWorkflowId: existing, alreadyOpen: true };
      else {
        const opened = await db.openReview({
          householdId: h.householdId,
          countyCode: s.countyCode,
          period: s.month,
          reason: 'change_report',
          sourceId: `${s.month}-${key}`,
          detail: { month: s.month, villageCode: h.villageCode, changes: major },
          taskQueue: workflowInfo().taskQueue,
        });
        s.reviews[key] = opened.workflowId;
        f = { householdId: h.householdId, followUp: 'review', reviewWorkflowId: opened.workflowId, alreadyOpen: !opened.started };
      }
    }
    s.households[h.householdId] = { villageCode: h.villageCode, kinds: h.changes.map((c) => c.kind), followUp: f.followUp, reviewWorkflowId: f.reviewWorkflowId, at: Date.now() };
    note(s, actor, 'change_report.household', {
      month: s.month,
      householdId: h.householdId,
      villageCode: h.villageCode,
      changes: h.changes.map((c) => ({ ...c, memberIdNumber: c.memberIdNumber ? maskIdNumber(c.memberIdNumber) : undefined })),
      followUp: f.followUp,
      reviewWorkflowId: f.reviewWorkflowId,
    });
    return f;
  }

  const answer = (): ChangeReportsAnswer => ({
    workflowId: s.workflowId,
    townshipCode: s.townshipCode,
    month: s.month,
    revision: written,
    villagesReported: s.villages.filter((v) => s.villageReports[v]),
    villagesMissing: villagesMissing(s),
    checked: s.checked !== undefined,
    followUps: followUpsOf.get(currentUpdateInfo()?.id ?? '') ?? [],
  });
  const keep = (f: FollowUp[]) => followUpsOf.set(currentUpdateInfo()?.id ?? '', f);
  const open = () => {
    if (s.closed) throw wrongStep('closed', "this month's change reports are closed (every village reported, the township checked)");
  };
  const sameMonth = (month: string) => {
    if (month !== s.month) throw ruleViolation('R-REV-03', `this workflow holds ${s.month}`, [{ path: 'month', message: `must be ${s.month}` }]);
  };
  const knownVillage = (villageCode: string, path: string) => {
    if (!s.villages.includes(villageCode)) throw ruleViolation('R-REV-03', `${villageCode} is not a village of township ${s.townshipCode}`, [{ path, message: 'not a village of this township' }]);
  };

  setHandler(changeReportsQuery, () => view(s));
  rt.command(reportHouseholdUpdate, {
    schema: commandSchemas.household,
    authorize: (i) => {
      reporter(i.actor, i.household.villageCode);
      sameMonth(i.month);
    },
    check: (i) => {
      open();
      knownVillage(i.household.villageCode, 'household.villageCode');
    },
    apply: async (i) => void keep([await report(i.actor, i.household)]),
    answer,
  });
  rt.command(reportVillageUpdate, {
    schema: commandSchemas.village,
    authorize: (i) => {
      reporter(i.actor, i.villageCode);
      sameMonth(i.month);
      const strays = i.households.flatMap((h, n) => (h.villageCode === i.villageCode ? [] : [{ path: `households[${n}].villageCode`, message: `must be ${i.villageCode}` }]));
      if (strays.length) throw ruleViolation('R-REV-03', "a village reports its own households", strays);
    },
    check: (i) => {
      open();
      knownVillage(i.villageCode, 'villageCode');
      if (s.villageReports[i.villageCode]) throw conflict(`R-REV-03: village ${i.villageCode} has reported ${s.month} already: correct a household through its own report`);
    },
    apply: async (i) => {
      const followUps: FollowUp[] = [];
      for (const h of i.households) followUps.push(await report(i.actor, h));
      s.villageReports[i.villageCode] = { at: Date.now(), by: i.actor.id };
      clocks.close(villageDeadline(i.villageCode));
      note(s, i.actor, 'change_report.village', { month: s.month, villageCode: i.villageCode, households: i.households.length });
      keep(followUps);
    },
    answer,
  });
  rt.command(checkTownshipUpdate, {
    schema: commandSchemas.check,
    authorize: (i) => {
      if (i.actor.role !== 'township_caseworker' || !i.actor.jurisdiction.startsWith(s.townshipCode)) throw forbidden(`R-REV-03: the check is the township's (a township caseworker of ${s.townshipCode})`, 'R-REV-03');
      sameMonth(i.month);
    },
    check: () => {
      open();
      if (s.checked) throw conflict(`R-REV-03: township ${s.townshipCode} has checked ${s.month} already`);
    },
    apply: (i) => {
      // villages still missing stay overdue and may report late; the check records who they are
      s.checked = { at: Date.now(), by: i.actor.id, villagesMissing: villagesMissing(s) };
      clocks.close(TOWNSHIP_CHECK);
      note(s, i.actor, 'change_report.checked', { month: s.month, villagesMissing: s.checked.villagesMissing }, i.summary);
      keep([]);
    },
    answer,
  });

  if (carried) clocks.resume();
  else {
    const ctx = await db.changeReportContext({ townshipCode: s.townshipCode, month: s.month });
    s.villages = ctx.villages;
    for (const v of ctx.villages) clocks.start(newDeadline(villageDeadline(v), 'village_report', ctx.startedOn, ctx.villageDue));
    clocks.start(newDeadline(TOWNSHIP_CHECK, 'township_check', ctx.startedOn, ctx.checkDue));
    note(s, 'system', 'change_reports.opened', { month: s.month, villages: ctx.villages, villageDueOn: ctx.villageDue.dueOn, checkDueOn: ctx.checkDue.dueOn });
  }
  await rt.wait(() => allClosed(s));
  s.closed = true;
  note(s, 'system', 'change_reports.closed', { month: s.month });
  await persist();
  rt.finish();
  await clocks.stopped();
  return view(s);
}

/** Issue 16 API1: the actor's jurisdiction covers the township, or lies within it (a village's assistant). */
function admit(s: ChangeReportsState, input: unknown): void {
  const actor = (input as { actor?: Partial<Actor> } | undefined)?.actor;
  if (!actor || typeof actor.id !== 'string' || !actor.id || typeof actor.jurisdiction !== 'string' || !/^\d{2,12}$/.test(actor.jurisdiction)) {
    throw forbidden('a command must name who gives it (actor id, role and jurisdiction)');
  }
  if (!s.townshipCode.startsWith(actor.jurisdiction) && !actor.jurisdiction.startsWith(s.townshipCode)) {
    throw forbidden(`${actor.id} (jurisdiction ${actor.jurisdiction}) may not act on township ${s.townshipCode}`);
  }
}

/** R-REV-03: villages report (their own assistant, or the township's caseworker for them). */
function reporter(actor: Actor, villageCode: string): void {
  if (!REPORTERS.includes(actor.role)) throw forbidden(`role ${actor.role} may not report changes (allowed: ${REPORTERS.join(', ')})`, 'R-REV-03');
  if (!villageCode.startsWith(actor.jurisdiction)) throw forbidden(`${actor.id} (jurisdiction ${actor.jurisdiction}) may not report for village ${villageCode}`, 'R-REV-03');
}
