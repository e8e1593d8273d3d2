// R-REV-03: the messages of a township's monthly change reports, shared by the workflow and the API.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../rules/types';
import type { Change } from './payloads';

export interface ChangeReportsInput {
  townshipCode: string;
  month: string;
  /** issue 22 §1.1: what the previous run hands on (continue-as-new) */
  carried?: unknown;
}

export const changeReportsWorkflowId = (townshipCode: string, month: string) => `change-reports-${townshipCode}-${month}`;

export interface HouseholdReport {
  householdId: string;
  villageCode: string;
  changes: Change[];
}
export interface HouseholdReportCommand {
  actor: Actor;
  month: string;
  household: HouseholdReport;
}
export interface VillageReportCommand {
  actor: Actor;
  month: string;
  villageCode: string;
  households: HouseholdReport[];
}
export interface TownshipCheckCommand {
  actor: Actor;
  month: string;
  summary: string;
}

/**
 * What a household's report set in motion: nothing, a review (R-REV-04; `alreadyOpen` when the same
 * changes were reported before this month), or the person's death stop (R-DTH, issue 23 §3; `death_stop_pending`:
 * reported before the death stop existed).
 */
export interface FollowUp {
  householdId: string;
  followUp: 'none' | 'review' | 'death_stop' | 'death_stop_pending';
  reviewWorkflowId?: string;
  /** the death stop the reported death opened or reached */
  deathStopWorkflowId?: string;
  alreadyOpen?: boolean;
}

export interface ChangeReportsAnswer {
  workflowId: string;
  townshipCode: string;
  month: string;
  revision: number;
  villagesReported: string[];
  villagesMissing: string[];
  checked: boolean;
  /** the follow-ups of this command's households */
  followUps: FollowUp[];
}

export interface ChangeReportsView {
  townshipCode: string;
  month: string;
  step: 'reporting' | 'checked' | 'closed';
  villages: { villageCode: string; reportedAt?: string; reportedBy?: string; dueOn?: string; overdue: boolean }[];
  households: { householdId: string; villageCode: string; kinds: string[]; followUp: FollowUp['followUp']; reviewWorkflowId?: string; reportedAt: string }[];
  deaths: { householdId: string; memberIdNumber: string; dateOfDeath: string; followUp: 'death_stop' | 'death_stop_pending'; deathStopWorkflowId?: string }[];
  checked?: { at: string; by: string; villagesMissing: string[] };
  deadlines: { name: string; dueOn: string; overdue: boolean; escalatedTo?: string; closedAt?: string }[];
}

export const reportHouseholdUpdate = defineUpdate<ChangeReportsAnswer, [HouseholdReportCommand]>('reportHousehold');
export const reportVillageUpdate = defineUpdate<ChangeReportsAnswer, [VillageReportCommand]>('reportVillage');
export const checkTownshipUpdate = defineUpdate<ChangeReportsAnswer, [TownshipCheckCommand]>('checkTownship');
export const changeReportsQuery = defineQuery<ChangeReportsView>('changeReports');
