// R-REV-03: opens a county's month of change reports: one `changeReports` workflow per township of the
// county (the division register), each under the month's business id and signed as every start is
// (issue 22 §1.3). One already started (the month's first report, a re-fired schedule) is success.
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Prisma } from './db';
import { changeReportsWorkflowId, type ChangeReportsInput } from '../workflows/change-reports/messages';
import type { ChangeReportsOpened } from '../workflows/change-reports/opening-messages';
import { startSignerFromEnv, type StartSigner } from './crypto/start-signing';

const CHANGE_REPORTS = 'changeReports';

export function createChangeReportOpeningActivities(prisma: Prisma, temporal?: () => Client | undefined, signer?: StartSigner) {
  let signs = signer;
  return {
    async openChangeReportMonths(input: { countyCode: string; month: string }): Promise<ChangeReportsOpened> {
      const ctx = Context.current();
      const client = temporal?.() ?? ctx.client;
      const sign = (signs ??= startSignerFromEnv());
      const rows = await prisma.division.findMany({ where: { parentCode: input.countyCode, level: 'township' }, orderBy: { code: 'asc' }, select: { code: true } });
      const townships = rows.map((r) => r.code);
      let started = 0;
      let alreadyStarted = 0;
      for (const townshipCode of townships) {
        const workflowId = changeReportsWorkflowId(townshipCode, input.month);
        try {
          await client.workflow.start(CHANGE_REPORTS, {
            workflowId,
            // the month runs where the opening runs: the main task queue
            taskQueue: ctx.info.taskQueue,
            args: [sign.sign({ workflowType: CHANGE_REPORTS, workflowId }, { townshipCode, month: input.month } satisfies ChangeReportsInput)],
            // as the API's update-with-start: a month running or closed is never started again
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            workflowIdConflictPolicy: 'FAIL',
          });
          started++;
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err; // transient: the activity is retried
          alreadyStarted++;
        }
        ctx.heartbeat(started + alreadyStarted);
      }
      return { countyCode: input.countyCode, month: input.month, townships, started, alreadyStarted };
    },
  };
}

export type ChangeReportOpeningActivities = ReturnType<typeof createChangeReportOpeningActivities>;
