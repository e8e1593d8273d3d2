// R-REV-03 (issue 22): a county's change reports open on the 1st by its schedule, reported to or not, so
// a county where no village reports at all still shows its missed deadlines. The schedule's action is run
// as Temporal stamps a scheduled run (the time-skipping server implements no schedules: PLATFORM.md), on
// the time-skipping server (2 March 2026) with the real bundle, activities and PostgreSQL.
import { changeReportScheduleId, changeReportScheduleOptions } from '../../activities/change-report-schedule';
import { changeReportsWorkflowId } from '../../workflows/change-reports/messages';
import type { ChangeReportsOpened } from '../../workflows/change-reports/opening-messages';
import { trackWorkflow, workflowTestbed } from '../helpers/temporal';

const tb = workflowTestbed();
const COUNTY = '149962';
const TOWNSHIPS = ['149962100', '149962101'];
const VILLAGES = ['149962100201', '149962100202', '149962101201'];

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('R-REV-03: a county where no village reports at all: the schedule opens every township\'s month on the 1st; after the 20th each village is overdue (escalated to its township), after month end each township\'s check (to the county); a second firing starts nothing new', async () => {
  await tb.db.prisma.division.createMany({
    data: [
      { code: COUNTY, name: '无报告县', level: 'county', parentCode: '1499' },
      ...TOWNSHIPS.map((code, i) => ({ code, name: `无报告镇${i + 1}`, level: 'township', parentCode: COUNTY })),
      ...VILLAGES.map((code, i) => ({ code, name: `无报告村${i + 1}`, level: 'village', parentCode: code.slice(0, 9) })),
    ],
  });
  await tb.run(async (tq) => {
    const options = changeReportScheduleOptions({ countyCode: COUNTY, taskQueue: tq, catchupDays: 7 });
    if (options.action.type !== 'startWorkflow') throw new Error('the change-report schedule starts a workflow');
    const { workflowType, workflowId, args } = options.action;
    const months = TOWNSHIPS.map((t) => changeReportsWorkflowId(t, '2026-03'));
    for (const id of months) trackWorkflow(tq, id);
    // 00:10 on 1 March in China; then the same month fired again (a backfill or a catch-up)
    const fire = async (at: string) => {
      const runId = `${workflowId}-${at.replace('.000', '')}`;
      trackWorkflow(tq, runId);
      const h = await tb.env.client.workflow.start(workflowType, {
        workflowId: runId,
        taskQueue: tq,
        args,
        searchAttributes: { TemporalScheduledById: [changeReportScheduleId(COUNTY)], TemporalScheduledStartTime: [new Date(at)] },
      });
      return (await h.result()) as ChangeReportsOpened;
    };
    expect(await fire('2026-02-28T16:10:00Z')).toEqual({ countyCode: COUNTY, month: '2026-03', townships: TOWNSHIPS, started: 2, alreadyStarted: 0 });
    expect(await fire('2026-02-28T17:10:00Z')).toEqual({ countyCode: COUNTY, month: '2026-03', townships: TOWNSHIPS, started: 0, alreadyStarted: 2 });

    const rows = () => tb.db.prisma.deadline.findMany({ where: { workflowId: { in: months } }, orderBy: [{ workflowId: 'asc' }, { name: 'asc' }] });
    await until('the months opened', async () => (await rows()).length === 5);
    expect((await rows()).map((r) => [r.name, r.jurisdiction, r.dueOn.toISOString().slice(0, 10), r.overdueSince])).toEqual([
      ['township_check', TOWNSHIPS[0], '2026-03-31', null],
      [`village_report:${VILLAGES[0]}`, VILLAGES[0], '2026-03-20', null],
      [`village_report:${VILLAGES[1]}`, VILLAGES[1], '2026-03-20', null],
      ['township_check', TOWNSHIPS[1], '2026-03-31', null],
      [`village_report:${VILLAGES[2]}`, VILLAGES[2], '2026-03-20', null],
    ]);

    await tb.env.sleep('19 days'); // to 21 March: no village has reported
    await until('every village overdue', async () => (await rows()).filter((r) => r.name.startsWith('village_report:') && r.overdueSince).length === 3);
    await tb.env.sleep('12 days'); // to 2 April: no township has checked
    const missed = await until('every check overdue', async () => {
      const all = await rows();
      return all.every((r) => r.overdueSince) && all;
    });
    expect(missed.map((r) => [r.name, r.escalatedTo, r.closedAt])).toEqual([
      ['township_check', `county@${COUNTY}`, null],
      [`village_report:${VILLAGES[0]}`, `township@${TOWNSHIPS[0]}`, null],
      [`village_report:${VILLAGES[1]}`, `township@${TOWNSHIPS[0]}`, null],
      ['township_check', `county@${COUNTY}`, null],
      [`village_report:${VILLAGES[2]}`, `township@${TOWNSHIPS[1]}`, null],
    ]);
  });
});
