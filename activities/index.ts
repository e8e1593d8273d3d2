// All activities, built from their dependencies (STYLE: one factory per external system). The worker
// entry builds the real dependencies; tests build the same with a test database and the sandbox agency.
import type { Prisma } from './db';
import type { WorkingDayCalendar } from './calendar';
import type { VerificationAgency } from './verification/agency';
import { createAuditActivities } from './audit/anchor';
import { createCaseActivities } from './cases';
import { createDeadlineActivities } from './deadlines';
import { createPolicyActivities } from './policy';
import { createRosterActivities } from './roster';
import { createStaffActivities } from './staff';
import { createVerificationActivities } from './verification';

export interface ActivityDependencies {
  prisma: Prisma;
  agency: VerificationAgency;
  calendar: () => Promise<WorkingDayCalendar>;
}

export function createActivities(deps: ActivityDependencies) {
  return {
    ...createPolicyActivities(deps.prisma),
    ...createDeadlineActivities(deps.calendar),
    ...createStaffActivities(deps.prisma),
    ...createCaseActivities(deps.prisma),
    ...createRosterActivities(deps.prisma),
    ...createVerificationActivities(deps.agency),
    ...createAuditActivities(deps.prisma),
  };
}

export type Activities = ReturnType<typeof createActivities>;
