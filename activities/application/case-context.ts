// What a case needs to know when it arrives at a step, in one activity (one round trip, three history
// events): the policy in force (R-POL), the staff near-relative register (R-APP-09, R-SUP-06), the
// special-filing reasons that follow from them and the agency's report (R-APP-08), and, when asked, a
// statutory deadline counted in working days from the policy (R-APP-12/13). The result is recorded in
// the workflow's history, so a rule or register changed later never re-decides this step on replay.
import type { Prisma } from '../db';
import type { WorkingDayCalendar } from '../calendar';
import { deadlineByPolicy } from '../deadlines';
import { resolvePolicy } from '../policy';
import { createStaffActivities } from '../staff';
import { createPublicityArchive } from './publicity-archive';
import type { DeadlineComputation } from '../../workflows/kit/deadline-clock';
import type { CaseRecord } from '../../workflows/kit/records';
import type { ResolvedPolicy } from '../../workflows/rules/policy';
import { declaredRelations, type StaffRelation } from '../../workflows/rules/recusal';
import { specialFilingReasons, type SpecialFilingReason } from '../../workflows/rules/special-filing';
import { requiredMaterialCodes } from '../../workflows/rules/materials';
import type { Household, NearRelativeDeclaration, Programme, VerificationReport } from '../../workflows/rules/types';

/** The application's policy parameters that are a number of working days (a kind brings its own: activities/deadlines.ts). */
export type WorkingDaysParam = 'decisionWorkingDays' | 'extendedWorkingDays' | 'rejectionNoticeWorkingDays' | 'verificationFollowUpWorkingDays';

export interface CaseContextRequest {
  jurisdiction: string;
  on: string;
  idNumbers: string[];
  declaration: NearRelativeDeclaration;
  report?: VerificationReport;
  deadline?: { name: string; from: string; workingDays: WorkingDaysParam; warn: boolean };
  /** at intake: the materials this household needs by the policy in force (R-APP-01, R-APP-17) */
  materials?: { programme: Programme; household: Household };
}

export interface CaseContext {
  policy: ResolvedPolicy;
  relations: StaffRelation[];
  specialFiling: SpecialFilingReason[];
  deadline?: DeadlineComputation;
  /** the material codes required (household-level, then `<code>:<ID number>` per verified person), when asked */
  requiredMaterials?: string[];
}

export function createCaseContextActivities(prisma: Prisma, calendar: () => Promise<WorkingDayCalendar>, recordCase: (r: CaseRecord) => Promise<void>) {
  const staff = createStaffActivities(prisma);
  const publicity = createPublicityArchive(prisma);
  const activities = {
    /**
     * A case arrives at a step: writes what it is now (the projection, deadlines, audit entries) and
     * returns the context for the step, in one round trip (issue 11 §2: a small history). Arriving at
     * the publicity also keeps it in the publicity archive (R-APP-10: publicity-archive.ts).
     */
    async enterStep(input: { record: CaseRecord; context: CaseContextRequest }): Promise<CaseContext> {
      await recordCase(input.record);
      const context = await activities.caseContext(input.context);
      if (input.record.step === 'publicity') await publicity.archive(input.record, context.policy.params.publicityChannels);
      return context;
    },

    async caseContext(r: CaseContextRequest): Promise<CaseContext> {
      const [policy, registered] = await Promise.all([resolvePolicy(prisma, r.jurisdiction, r.on), staff.findStaffRelations({ idNumbers: r.idNumbers })]);
      const relations = [...declaredRelations(r.declaration), ...registered];
      const specialFiling = specialFilingReasons(r.declaration, registered, r.report);
      let deadline: DeadlineComputation | undefined;
      if (r.deadline) deadline = await deadlineByPolicy(policy.params, calendar, r.deadline, r.jurisdiction);
      const requiredMaterials = r.materials ? requiredMaterialCodes(policy.params, r.materials.programme, r.materials.household) : undefined;
      return { policy, relations, specialFiling, deadline, ...(requiredMaterials ? { requiredMaterials } : {}) };
    },
  };
  return activities;
}
