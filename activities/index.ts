// All activities, built from their dependencies (STYLE: one factory per external system). The worker
// entry builds the real dependencies; tests build the same with a test database and the sandbox agency.
import type { Client } from '@temporalio/client';
import type { Prisma } from './db';
import { activityClient, temporalWorkflowState } from './application/case-locks';
import type { WorkingDayCalendar } from './calendar';
import type { VerificationAgency } from './verification/agency';
import { createAssessmentActivities } from './application/assessment';
import { createAuditActivities } from './audit/anchor';
import { createCaseActivities } from './cases';
import { createCaseContextActivities } from './application/case-context';
import { createDeadlineActivities } from './deadlines';
import { createPolicyActivities } from './policy';
import { createRosterActivities } from './roster';
import { createStaffActivities } from './staff';
import { createVerificationActivities } from './verification';
import { createReviewActivities } from './review/review-activities';

export interface ActivityDependencies {
  prisma: Prisma;
  agency: VerificationAgency;
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
    ...createVerificationActivities(deps.agency),
    ...createAuditActivities(deps.prisma),
    ...createReviewActivities(deps.prisma, deps.calendar),
  };
}

export type Activities = ReturnType<typeof createActivities>;
