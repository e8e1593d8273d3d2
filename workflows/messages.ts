// Every message the application workflow accepts, defined once for the workflow and the API
// (STYLE: wire names are the export without its suffix). Human decisions are Updates with validators,
// so a wrong step or a recused person is refused before anything is written to history.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from './rules/types';
import type { DeclaredIncome, Expenditure } from './rules/accounting';
import type { ApplicationView } from './application-state';

/** Every command carries who gives it; the API fills it from the caller's token, never from the body. */
export interface Command {
  actor: Actor;
}

export interface MaterialsInput extends Command {
  materials: string[];
}

export interface InvestigationInput extends Command {
  investigators: string[];
  visitedOn: string;
  findings: string;
  incomes: DeclaredIncome[];
  expenditures: Expenditure[];
  assets: { kind: string; description: string; valueFen?: number; exempt?: boolean }[];
}

export interface CountyVisitInput extends Command {
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
}

export interface ObjectionInput extends Command {
  summary: string;
}

export interface ApprovalInput extends Command {
  decision: 'approve' | 'reject';
  reason: string;
  monthlyFen?: number;
  /** 一事一议: the meeting that decided a special case (R-APP-11) */
  meeting?: string;
}

export interface ReasonInput extends Command {
  reason: string;
}

export interface RejectionNoticeInput extends Command {
  servedOn: string;
  method: 'in_person' | 'post' | 'electronic';
  noticeNo?: string;
}

export const stateQuery = defineQuery<ApplicationView>('state');
/** Returns once the intake has been recorded: the API answers POST /v1/applications with it. */
export const intakeReceiptUpdate = defineUpdate<ApplicationView>('intakeReceipt');
export const supplementMaterialsUpdate = defineUpdate<ApplicationView, [MaterialsInput]>('supplementMaterials');
export const recordInvestigationUpdate = defineUpdate<ApplicationView, [InvestigationInput]>('recordInvestigation');
export const recordCountyVisitUpdate = defineUpdate<ApplicationView, [CountyVisitInput]>('recordCountyVisit');
export const townshipReviewUpdate = defineUpdate<ApplicationView, [TownshipReviewInput]>('townshipReview');
export const objectionUpdate = defineUpdate<ApplicationView, [ObjectionInput]>('objection');
export const approvalUpdate = defineUpdate<ApplicationView, [ApprovalInput]>('approval');
export const extensionUpdate = defineUpdate<ApplicationView, [ReasonInput]>('extension');
export const withdrawalUpdate = defineUpdate<ApplicationView, [ReasonInput]>('withdrawal');
export const rejectionNoticeUpdate = defineUpdate<ApplicationView, [RejectionNoticeInput]>('rejectionNotice');
/** R-APP-03: a person asks for a new verification attempt after the agency refused or stalled. */
export const retryVerificationUpdate = defineUpdate<ApplicationView, [ReasonInput]>('retryVerification');
