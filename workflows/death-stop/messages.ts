// Every message the death-stop workflow accepts, defined once for the workflow, the intake and the API.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Command, UpdateAnswer } from '../kit/command';
import type { DeathSource, DeathStopView } from './state';

export type { UpdateAnswer };

export const DEATH_STOP_WORKFLOW_TYPE = 'deathStop';
export const deathStopWorkflowId = (deathStopId: string) => `death-stop-${deathStopId}`;

/** R-DTH-01: a source reports the death (the intake's update-with-start; a second source: the same Update). */
export interface RecordDeathInput extends Command {
  source: DeathSource;
  dateOfDeath: string;
}

/** R-DTH-02/03: a county caseworker confirms the amount the accounting gives the remaining members. */
export interface ConfirmAmountInput extends Command {
  monthlyFen: number;
  reason: string;
}

export interface RetryInput extends Command {
  reason: string;
}

export const deathStopStateQuery = defineQuery<DeathStopView>('state');
export const recordDeathUpdate = defineUpdate<UpdateAnswer, [RecordDeathInput]>('recordDeath');
export const confirmAmountUpdate = defineUpdate<UpdateAnswer, [ConfirmAmountInput]>('confirmAmount');
export const deathStopRetryVerificationUpdate = defineUpdate<UpdateAnswer, [RetryInput]>('retryVerification');
