// `npm run cycle -- <county> <YYYY-MM>`: starts a county's recheck cycle for a period by hand (R-REV-06)
// and shows its progress until it completes. The id is cycle-<county>-<period>: a second start while it
// runs attaches to it; after it completed it shows that run's outcome and starts nothing. Reviews are
// unique per household and period whoever starts them (workflows/review/start-input.ts), so a manual
// cycle beside the schedule's run of the same month starts no review twice. Ctrl-C stops watching only.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { runCli, UsageError } from './cli';
import { connectOperatorClient } from './temporal-client';
import { startSignerFromEnv } from '../activities/crypto/start-signing';
import type { Prisma } from '../activities/db';
import { COUNTY, KIND } from '../workflows/kit/search-attributes';
import { CYCLE_WORKFLOW_TYPE, cycleProgressQuery, cycleWorkflowId, type CycleProgress, type ReviewCycleInput } from '../workflows/review/cycle-messages';
import { isPeriod, lastDayOfPeriod } from '../workflows/review/period';
import type { reviewCycle } from '../workflows/review/cycle';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How many households the cycle will go through (for the bar; the cycle itself pages, never counts). */
async function dueCount(prisma: Prisma, countyCode: string, period: string): Promise<number> {
  const [row] = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM household WHERE county_code = ${countyCode} AND status = 'active' AND next_review_on <= ${lastDayOfPeriod(period)}::date`;
  return Number(row.n);
}

function progressLine(p: CycleProgress, total: number, width = 30): string {
  const done = p.started + p.alreadyStarted;
  const of = Math.max(total, done);
  const filled = of === 0 ? width : Math.round((done / of) * width);
  const n = (x: number) => x.toLocaleString('en');
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${n(done)}/${n(of)}  started ${n(p.started)} · already started ${n(p.alreadyStarted)} · pages ${n(p.pages)} · run ${p.runs}${p.done ? ' · done' : ''}`;
}

runCli(async (prisma, argv) => {
  const [countyCode, period] = argv;
  if (!/^\d{6}$/.test(countyCode ?? '') || !isPeriod(period)) throw new UsageError('usage: npm run cycle -- <6-digit county code> <YYYY-MM>');
  const temporal = await connectOperatorClient();
  try {
    const workflowId = cycleWorkflowId(countyCode, period);
    // issue 22 §1.3: signed with the scheduler's key (START_SIGNING_KEY, else ACTOR_SIGNING_KEY)
    const input = startSignerFromEnv().sign({ workflowType: CYCLE_WORKFLOW_TYPE, workflowId }, { countyCode, period } satisfies ReviewCycleInput);
    let handle;
    try {
      handle = await temporal.client.workflow.start<typeof reviewCycle>(CYCLE_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: temporal.taskQueue,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE', // a completed cycle of the period is not run again under this id
        workflowIdConflictPolicy: 'USE_EXISTING', // a running one is attached to
        typedSearchAttributes: [
          { key: KIND, value: 'review-cycle' },
          { key: COUNTY, value: countyCode },
        ],
      });
      console.log(`cycle ${workflowId}: running (run ${handle.firstExecutionRunId})`);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      handle = temporal.client.workflow.getHandle<typeof reviewCycle>(workflowId);
      console.log(`cycle ${workflowId} ran before: its outcome (nothing started again)`);
    }
    const total = await dueCount(prisma, countyCode, period);
    const tty = process.stdout.isTTY;
    let last = '';
    for (let polls = 1; ; polls++) {
      const p = await handle.query(cycleProgressQuery).catch(() => undefined);
      if (p) {
        const line = progressLine(p, total);
        if (line !== last) process.stdout.write(tty ? `\r${line}` : `${line}\n`);
        last = line;
        if (p.done) break;
      } else if (polls === 10) {
        console.log('no answer yet: is the worker running (make start)?');
      }
      // the latest run of the chain (continue-as-new): RUNNING, or COMPLETED with its last answer on the way
      const status = (await handle.describe()).status.name;
      if (status !== 'RUNNING' && status !== 'COMPLETED') throw new Error(`\ncycle ${workflowId} ended ${status}`);
      await sleep(1000);
    }
    if (tty) process.stdout.write('\n');
  } finally {
    await temporal.close();
  }
});
