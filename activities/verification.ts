// R-APP-03 逢进必核: activities that ask the verification agency to check a household and its obligors.
// The workflow submits once per verification round, then polls until the report is complete.
import { ApplicationFailure } from '@temporalio/common';
import type { VerificationSubject } from '../workflows/rules/types';
import { AgencyRejectedError, type CheckResult, type VerificationAgency } from './verification/agency';
import type { CheckPurpose } from './verification/protocol';

export type { CheckPurpose } from './verification/protocol';
export type { CheckResult } from './verification/agency';

/** Derived from what is checked, so a retried activity finds the first check instead of submitting a second. */
export const checkIdempotencyKey = (workflowId: string, round: number): string => `${workflowId}/check/${round}`;

export function createVerificationActivities(agency: VerificationAgency) {
  return {
    // R-APP-03
    async submitEconomicCheck(input: {
      workflowId: string;
      round: number;
      purpose: CheckPurpose;
      subjects: VerificationSubject[];
    }): Promise<{ checkId: string }> {
      return final(() =>
        agency.submitCheck({
          idempotencyKey: checkIdempotencyKey(input.workflowId, input.round),
          reference: input.workflowId,
          purpose: input.purpose,
          subjects: input.subjects,
        }),
      );
    },

    // R-APP-03
    async fetchEconomicCheck(input: { checkId: string }): Promise<CheckResult> {
      return final(() => agency.getCheck(input.checkId));
    },
  };
}

/** The agency's refusal will not change on retry; anything else is left to the retry policy. */
async function final<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof AgencyRejectedError) {
      throw ApplicationFailure.create({
        type: 'AgencyRejected',
        message: err.message,
        nonRetryable: true,
        details: [{ status: err.status, detail: err.detail, errors: err.errors }],
        cause: err,
      });
    }
    throw err;
  }
}
