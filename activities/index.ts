// All activities, built from their dependencies (STYLE: one factory per external system). The worker
// entry builds the real dependencies; tests build the same with a test database and the sandbox agency.
import type { Client } from '@temporalio/client';
import type { Prisma } from './db';
import { activityClient, temporalWorkflowState } from './application/case-locks';
import type { WorkingDayCalendar } from './calendar';
import { createAssessmentActivities } from './application/assessment';
import { createAuditActivities } from './audit/anchor';
import { createCaseActivities } from './cases';
import { createChangeReportActivities } from './change-reports';
import { createChangeReportOpeningActivities } from './change-report-opening';
import { createReviewOpeningActivities } from './review/open-review';
import { createCaseContextActivities } from './application/case-context';
import { createDeadlineActivities } from './deadlines';
import { createPolicyActivities } from './policy';
import { createReviewCycleActivities } from './review/cycle';
import { createRosterActivities } from './roster';
import { createStaffActivities } from './staff';
import { allExternalActivities, type ExternalClients } from './external-systems';
import { createReviewActivities } from './review/review-activities';
import { createPaymentLedgerActivities } from './payments/ledger';
import { createReconciliationActivities } from './payments/reconcile';
import { createDirectPaymentActivities } from './direct-payment/direct-payment-activities';
import { createDeathStopActivities } from './death-stop/death-stop-activities';
import { createDeathStopStartActivities } from './death-stop/system-starts';

/** The database, the calendar, and a client of every external system by name (activities/external-systems.ts). */
export interface ActivityDependencies extends ExternalClients {
  prisma: Prisma;
  calendar: () => Promise<WorkingDayCalendar>;
  /** asks Temporal about other workflows (stale member locks: case-locks.ts); default: the worker's own client */
  temporal?: Client;
}

export function createActivities(deps: ActivityDependencies) {
  const cases = createCaseActivities(deps.prisma, temporalWorkflowState(() => deps.temporal ?? activityClient()));
  return {
    ...createPolicyActivities(deps.prisma),
    ...createCaseContextActivities(deps.prisma, deps.calendar, cases.recordCase),
    ...createAssessmentActivities(),
    ...createDeadlineActivities(deps.calendar),
    ...createStaffActivities(deps.prisma),
    ...cases,
    ...createRosterActivities(deps.prisma),
    ...allExternalActivities(deps),
    ...createAuditActivities(deps.prisma),
    ...createReviewCycleActivities(deps.prisma, () => deps.temporal),
    ...createChangeReportActivities(deps.prisma),
    ...createChangeReportOpeningActivities(deps.prisma, () => deps.temporal),
    ...createReviewOpeningActivities(() => deps.temporal ?? activityClient()),
    ...createReviewActivities(deps.prisma, deps.calendar),
    ...createPaymentLedgerActivities(deps.prisma),
    ...createReconciliationActivities(deps.prisma),
    ...createDirectPaymentActivities(deps.prisma),
    ...createDeathStopActivities(deps.prisma, deps.calendar),
    ...createDeathStopStartActivities(deps.prisma, () => deps.temporal ?? activityClient()),
  };
}

export type Activities = ReturnType<typeof createActivities>;
