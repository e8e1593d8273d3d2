// R-REV-03: what a township's monthly change reports read and write: the month's context (its villages
// and the two statutory due dates, from policy: R-POL) and each stable point's deadlines and audit entries.
import { ApplicationFailure } from '@temporalio/common';
import { appendAudit } from './audit-log';
import { TRANSACTION_OPTIONS, type Prisma } from './db';
import { writeDeadlineRows } from './deadline-rows';
import { resolvePolicy } from './policy';
import type { DeadlineComputation } from '../workflows/kit/deadline-clock';
import { ErrorType } from '../workflows/kit/errors';
import { endOfChinaDay } from '../workflows/rules/dates';
import type { ChangeReportsRecord } from '../workflows/change-reports/state';

export interface ChangeReportContext {
  countyCode: string;
  villages: string[];
  startedOn: string;
  /** each village reports by the policy's day of the month (national: the 20th) */
  villageDue: DeadlineComputation;
  /** the township checks by the policy's day (national: the month's last day) */
  checkDue: DeadlineComputation;
}

/** The month's `day`th, or its last day when the month is shorter. Calendar days: the rule names dates, not working days. */
export function dayOfMonth(month: string, day: number): DeadlineComputation {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const dueOn = `${month}-${String(Math.min(day, last)).padStart(2, '0')}`;
  return { dueOn, dueAt: endOfChinaDay(dueOn), warnings: [], beyondCalendar: false };
}

export function createChangeReportActivities(prisma: Prisma) {
  return {
    async changeReportContext(input: { townshipCode: string; month: string }): Promise<ChangeReportContext> {
      const township = await prisma.division.findUnique({ where: { code: input.townshipCode } });
      if (!township || township.level !== 'township') {
        throw ApplicationFailure.create({ type: ErrorType.RuleViolation, message: `R-REV-03: ${input.townshipCode} is not a registered township`, nonRetryable: true });
      }
      const villages = await prisma.division.findMany({ where: { parentCode: input.townshipCode, level: 'village' }, orderBy: { code: 'asc' }, select: { code: true } });
      const startedOn = `${input.month}-01`;
      const { params } = await resolvePolicy(prisma, input.townshipCode, startedOn);
      return {
        countyCode: input.townshipCode.slice(0, 6),
        villages: villages.map((v) => v.code),
        startedOn,
        villageDue: dayOfMonth(input.month, params.changeReportDayOfMonth),
        checkDue: dayOfMonth(input.month, params.changeCheckDayOfMonth),
      };
    },

    /** One transaction: the deadlines supervision sees (kind change_report) and the queued audit entries. */
    async recordChangeReports(r: ChangeReportsRecord): Promise<void> {
      await prisma.$transaction(async (tx) => {
        await writeDeadlineRows(tx, { workflowId: r.workflowId, kind: 'change_report', jurisdiction: r.townshipCode, deadlines: r.deadlines });
        await appendAudit(tx, r.audit, { workflowId: r.workflowId, jurisdiction: r.townshipCode });
      }, TRANSACTION_OPTIONS);
    },
  };
}
