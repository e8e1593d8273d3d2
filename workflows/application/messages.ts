// Every message the application workflow accepts, defined once for the workflow and the API
// (STYLE: wire names are the export without its suffix). Human decisions are Updates with validators,
// so a wrong step or a recused person is refused before anything is written to history.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AppealRoute, PublicityChannel, TekunEnrolment } from '../rules/types';
import type { Asset, CareAssessment, DeclaredIncome, DepositExemption, Expenditure, IncomeDrop, SupporterFinding } from '../rules/accounting';
import type { ApplicationView, Status, Step } from './state';

import type { Command, CommandResult as KitCommandResult, NamingStaff, UpdateAnswer } from '../kit/command';
// issue 22 §1.5: the command envelope and answers live in the kit; re-exported for the application's users
export type { Command, NamingStaff, StaffFact, UpdateAnswer } from '../kit/command';

export interface MaterialsInput extends Command {
  materials: string[];
}

export interface InvestigationInput extends NamingStaff {
  investigators: string[];
  visitedOn: string;
  findings: string;
  incomes: DeclaredIncome[];
  /** each names the member whose illness, disability or schooling it is (R-APP-05) */
  expenditures: Expenditure[];
  /** property found, with exemptions of necessary production or living property and their reasons (R-APP-05) */
  assets: Asset[];
  /** 收入骤降: a documented lower current income replaces the verified figure, audited (R-APP-05) */
  incomeDrops?: IncomeDrop[];
  /** TEKUN: findings that a legal supporter cannot fulfil the duty of support */
  supporterFindings?: SupporterFinding[];
  /** TEKUN: the self-care grade of each person (selects the care standard) */
  careGrades?: CareAssessment[];
}

export interface CountyVisitInput extends NamingStaff {
  visitors: string[];
  visitedOn: string;
  findings: string;
}

export interface TownshipReviewInput extends Command {
  opinion: 'eligible' | 'ineligible';
  proposedMonthlyFen?: number;
  reason: string;
  /** omitted: the whole household (R-APP-06); one member: a single-person household (R-APP-07) */
  coveredMembers?: string[];
  /** R-APP-10: where the publicity is posted; omitted: the policy's `publicityChannels` */
  publicityChannels?: PublicityChannel[];
}

export interface ObjectionInput extends Command {
  summary: string;
  /** who raised the objection (a villager, a neighbour…): township staff record it on their behalf (R-APP-10) */
  raisedBy: string;
}

export interface ApprovalInput extends NamingStaff {
  decision: 'approve' | 'reject';
  reason: string;
  monthlyFen?: number;
  /** 一事一议: the meeting that decided a special case (R-APP-11) */
  meeting?: string;
  /** 一事一议: the meeting's date and attendees, given with the first vote that names it (R-APP-11) */
  meetingDate?: string;
  attendees?: string[];
  /** deposits the collective decision exempts, each with its reason (R-APP-05 综合研判) */
  depositExemptions?: DepositExemption[];
  /** TEKUN: how the covered persons are supported, at home or in an institution that receives the money */
  support?: TekunEnrolment['support'];
}

export interface ReasonInput extends Command {
  reason: string;
}

export interface RejectionNoticeInput extends Command {
  servedOn: string;
  method: 'in_person' | 'post' | 'electronic';
  noticeNo?: string;
  /**
   * R-APP-13: the reasons the notice gives the applicant and the route of appeal it states. Required of
   * every new notice (the validator); notices recorded before this rule have neither.
   */
  reasons?: string[];
  appeal?: AppealRoute;
}

/** What every Update of an application answers (kit/command.ts): its step and status. */
export type CommandResult = KitCommandResult<Step, Status>;

export const stateQuery = defineQuery<ApplicationView>('state');
/** Returns once the intake has been recorded: the API answers POST /v1/applications with it. */
export const intakeReceiptUpdate = defineUpdate<UpdateAnswer>('intakeReceipt');
export const supplementMaterialsUpdate = defineUpdate<UpdateAnswer, [MaterialsInput]>('supplementMaterials');
export const recordInvestigationUpdate = defineUpdate<UpdateAnswer, [InvestigationInput]>('recordInvestigation');
export const recordCountyVisitUpdate = defineUpdate<UpdateAnswer, [CountyVisitInput]>('recordCountyVisit');
export const townshipReviewUpdate = defineUpdate<UpdateAnswer, [TownshipReviewInput]>('townshipReview');
export const objectionUpdate = defineUpdate<UpdateAnswer, [ObjectionInput]>('objection');
export const approvalUpdate = defineUpdate<UpdateAnswer, [ApprovalInput]>('approval');
export const extensionUpdate = defineUpdate<UpdateAnswer, [ReasonInput]>('extension');
export const withdrawalUpdate = defineUpdate<UpdateAnswer, [ReasonInput]>('withdrawal');
export const rejectionNoticeUpdate = defineUpdate<UpdateAnswer, [RejectionNoticeInput]>('rejectionNotice');
/** R-APP-03: a person asks for a new verification attempt after the agency refused or stalled. */
export const retryVerificationUpdate = defineUpdate<UpdateAnswer, [ReasonInput]>('retryVerification');
