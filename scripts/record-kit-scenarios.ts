// Issue 22: the recorded histories of the kit's later workflows (scripts/record-histories.ts runs them;
// each is recordable alone: RECORD_HISTORIES_ONLY=cycle-finishes,…). A branch each:
//   test/histories/review-cycle/     the recheck cycle (R-REV-06): one that starts reviews and finishes,
//                                    one run that continues as new
//   test/histories/change-reports/   the monthly change reports (R-REV-03, R-REV-04): a month reported and
//                                    checked on time, a month whose deadlines are missed (then met late),
//                                    a month with a report that opens a review, one whose reported death
//                                    opens the death stop; and the county's opening
//                                    of its month (the schedule's workflow: changeReportsOpening)
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Prisma } from '../activities/db';
import { changeReportsWorkflowId, checkTownshipUpdate, reportHouseholdUpdate, reportVillageUpdate } from '../workflows/change-reports/messages';
import { OPENING_WORKFLOW_TYPE, openingWorkflowId } from '../workflows/change-reports/opening-messages';
import { CYCLE_WORKFLOW_TYPE, cycleWorkflowId } from '../workflows/review/cycle-messages';
import { chinaDate } from '../workflows/rules/dates';
import { rosterHousehold } from '../test/helpers/review';
import { singlePerson } from '../test/helpers/death-stop';
import type { TestAgency, TestBank } from '../test/helpers/temporal';

export interface Scenario {
  client: Client;
  tq: string;
  /** `runId`: a run of a chain (continue-as-new) other than its latest */
  save: (name: string, workflowId: string, dir?: string, prefix?: string, runId?: string) => Promise<void>;
  prisma: Prisma;
  agency: TestAgency;
  /** the sandbox bank (issue 23: the paying kinds' scenarios) */
  bank?: TestBank;
  sleep: (ms: number) => Promise<void>;
  now: () => Promise<number>;
}

const HISTORIES = path.join(__dirname, '..', 'test', 'histories');
const CYCLE_OUT = process.env.RECORD_HISTORIES_CYCLE_OUT || path.join(HISTORIES, 'review-cycle');
const CHANGE_OUT = process.env.RECORD_HISTORIES_CHANGE_OUT || path.join(HISTORIES, 'change-reports');
const prefix = () => process.env.RECORD_HISTORIES_PREFIX ?? '';
const DAY = 86_400_000;
const COUNTY = '140599';
const TOWNSHIP = '140599100';
const VILLAGE = '140599100201';
const caseworker = { id: 'rec-tw', name: '乡镇经办', role: 'township_caseworker', jurisdiction: TOWNSHIP };
const assistant = { id: 'rec-va', name: '村协理员', role: 'village_assistant', jurisdiction: VILLAGE };

/** The month to record in: the clock's, or the next one when this one's 20th is near (an on-time month needs days left). */
async function freshMonth({ sleep, now }: Scenario): Promise<string> {
  const today = chinaDate(await now());
  if (Number(today.slice(8)) <= 15) return today.slice(0, 7);
  const [y, m] = today.split('-').map(Number);
  const first = Date.parse(`${new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10)}T01:00:00+08:00`);
  await sleep(first - (await now()));
  return chinaDate(await now()).slice(0, 7);
}

/** A month of the demo township (one village), started as the API's first report would. */
async function startMonth(sc: Scenario, month: string) {
  const workflowId = changeReportsWorkflowId(TOWNSHIP, month);
  return sc.client.workflow.start('changeReports', { workflowId, taskQueue: sc.tq, args: [{ townshipCode: TOWNSHIP, month }] });
}

const villageReport = (month: string, households: { householdId: string; changes: unknown[] }[]) => ({ actor: assistant, month, villageCode: VILLAGE, households: households.map((h) => ({ ...h, villageCode: VILLAGE })) });
const check = (month: string, summary: string) => ({ actor: caseworker, month, summary });

/** A recheck cycle of the demo county for the clock's month, over `households` new due households. */
async function recordCycle(sc: Scenario, name: string, households: number, o: { pageSize?: number; pagesPerRun?: number } = {}): Promise<void> {
  for (let i = 0; i < households; i++) await rosterHousehold(sc.prisma);
  const period = chinaDate(await sc.now()).slice(0, 7);
  const workflowId = `${cycleWorkflowId(COUNTY, period)}-${name}`;
  const h = await sc.client.workflow.start(CYCLE_WORKFLOW_TYPE, { workflowId, taskQueue: sc.tq, args: [{ countyCode: COUNTY, period, ...o }] });
  await sc.client.workflow.getHandle(workflowId).result(); // follows the chain to its last run
  await sc.save(name, workflowId, CYCLE_OUT, prefix(), h.firstExecutionRunId);
}

// in this order when all are recorded: the reviews the later ones start keep timers running, and the
// time-skipping server jumps past them (years) whenever the recorder waits
export const KIT_SCENARIOS = {
  // R-REV-03: the village reports before the 20th (no change), the township checks: the month closes, nothing overdue
  'change-reports-on-time': async (sc: Scenario) => {
    const month = await freshMonth(sc);
    const h = await startMonth(sc, month);
    await h.executeUpdate(reportVillageUpdate, { args: [villageReport(month, [{ householdId: 'rec-hh-none', changes: [] }])] as never });
    await h.executeUpdate(checkTownshipUpdate, { args: [check(month, '已审核上报县民政局')] as never });
    await h.result();
    await sc.save('month-on-time', h.workflowId, CHANGE_OUT, prefix());
  },
  // R-REV-03: nobody reports by the 20th, nobody checks by month end: both overdue and escalated; then both come in late
  'change-reports-missed': async (sc: Scenario) => {
    const month = await freshMonth(sc);
    const h = await startMonth(sc, month);
    const [y, m] = month.split('-').map(Number);
    const nextMonth = Date.parse(`${new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10)}T12:00:00+08:00`);
    await sc.sleep(nextMonth - (await sc.now()));
    await sc.sleep(DAY); // the timers fired and their escalations were written
    await h.executeUpdate(checkTownshipUpdate, { args: [check(month, '逾期审核：村未报告')] as never });
    await h.executeUpdate(reportVillageUpdate, { args: [villageReport(month, [{ householdId: 'rec-hh-late', changes: [] }])] as never });
    await h.result();
    await sc.save('missed-deadlines-then-late', h.workflowId, CHANGE_OUT, prefix());
  },
  // R-REV-03: the county's opening of a month (the schedule's workflow), one month already started by a report
  'change-reports-opening': async (sc: Scenario) => {
    const month = await freshMonth(sc);
    const m = await startMonth(sc, month);
    const workflowId = `${openingWorkflowId(COUNTY)}-${month}`;
    const h = await sc.client.workflow.start(OPENING_WORKFLOW_TYPE, { workflowId, taskQueue: sc.tq, args: [{ countyCode: COUNTY, month }] });
    await h.result();
    await sc.save('opening-month-already-started', workflowId, CHANGE_OUT, prefix());
    // the month closed, so a later scenario in the same month starts its own
    await m.executeUpdate(reportVillageUpdate, { args: [villageReport(month, [{ householdId: 'rec-hh-opened', changes: [] }])] as never });
    await m.executeUpdate(checkTownshipUpdate, { args: [check(month, '已审核上报县民政局')] as never });
    await m.result();
  },
  // R-REV-04: an income change opens a review now; a death is recorded for the death stop; the month then closes
  'change-reports-review': async (sc: Scenario) => {
    const month = await freshMonth(sc);
    const income = await rosterHousehold(sc.prisma);
    const death = await rosterHousehold(sc.prisma);
    const h = await startMonth(sc, month);
    const head = income.members[0].idNumber;
    await h.executeUpdate(reportHouseholdUpdate, {
      args: [{ actor: assistant, month, household: { householdId: income.householdId, villageCode: VILLAGE, changes: [{ kind: 'income', memberIdNumber: head, summary: '外出务工，月收入增加', monthlyFen: 150000 }] } }] as never,
    });
    const died = death.members[1];
    await h.executeUpdate(reportVillageUpdate, {
      args: [villageReport(month, [{ householdId: death.householdId, changes: [{ kind: 'death', memberIdNumber: died.idNumber, summary: '因病去世', dateOfDeath: chinaDate(await sc.now()) }] }])] as never,
    });
    await h.executeUpdate(checkTownshipUpdate, { args: [check(month, '已审核，一户收入变化已启动复核')] as never });
    await h.result();
    await sc.save('report-opens-review', h.workflowId, CHANGE_OUT, prefix());
  },
  // R-REV-03, R-DTH-01 (patch R-REV-03-death-stop): the village reports a recipient's death; the change report
  // opens the person's death stop through the death records' own path (source `report`); the month then closes
  'change-reports-death-stop': async (sc: Scenario) => {
    const month = await freshMonth(sc);
    const { householdId, person } = await singlePerson(sc.prisma);
    const h = await startMonth(sc, month);
    const death = { kind: 'death', memberIdNumber: person.idNumber, summary: '因病去世', dateOfDeath: chinaDate(await sc.now()) };
    const answer = (await h.executeUpdate(reportVillageUpdate, { args: [villageReport(month, [{ householdId, changes: [death] }])] as never })) as { followUps?: { followUp: string }[] };
    if (answer.followUps?.[0]?.followUp !== 'death_stop') throw new Error(`the reported death opened no death stop: ${JSON.stringify(answer.followUps)}`);
    await h.executeUpdate(checkTownshipUpdate, { args: [check(month, '已审核，一人死亡已停发')] as never });
    await h.result();
    await sc.save('report-death-opens-death-stop', h.workflowId, CHANGE_OUT, prefix());
  },
  // R-REV-06: one page, every due household's review started, done
  'cycle-finishes': (sc: Scenario) => recordCycle(sc, 'starts-reviews-and-finishes', 2),
  // R-REV-06: a page a run: the first run carries its cursor and counts on (continue-as-new)
  'cycle-continues': (sc: Scenario) => recordCycle(sc, 'continues-as-new', 2, { pageSize: 1, pagesPerRun: 1 }),
};
