// Every message the review workflow accepts, defined once for the workflow and the API. The investigation
// is the application's Update and payload (the same home visit by ≥2 staff, R-APP-04); `outcome` is the
// township's proposal, then each vote of the deciding body (API.md POST /v1/reviews/{reviewId}/outcome).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { NamingStaff, UpdateAnswer } from '../kit/command';
export type { UpdateAnswer };
import type { InvestigationInput } from '../application/messages';
import type { Outcome, ReviewView } from './state';

export type { InvestigationInput };

export interface OutcomeInput extends NamingStaff {
  outcome: Outcome;
  /** the monthly amount from next month: the accounting's figure (continue: the current amount; stop: none) */
  monthlyFen?: number;
  reason: string;
  /** R-APP-11 一事一议 (a specially filed household): the meeting every vote names */
  meeting?: string;
  meetingDate?: string;
  attendees?: string[];
}

export interface ReasonInput extends NamingStaff {
  reason: string;
}

export const reviewStateQuery = defineQuery<ReviewView>('state');
export const reviewInvestigationUpdate = defineUpdate<UpdateAnswer, [InvestigationInput]>('recordInvestigation');
export const outcomeUpdate = defineUpdate<UpdateAnswer, [OutcomeInput]>('outcome');
/** R-REV-02: a person asks the agency again after it refused the check three times or left it unanswered. */
export const reviewRetryVerificationUpdate = defineUpdate<UpdateAnswer, [ReasonInput]>('retryVerification');
