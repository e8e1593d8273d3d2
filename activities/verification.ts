// R-APP-03 逢进必核: activities that ask the verification agency to check a household and its obligors.
// The workflow submits once per verification round, then polls until the report is complete.
import { ApplicationFailure } from '@temporalio/common';
import type { VerificationReport, VerificationSubject } from '../workflows/rules/types';
import { AgencyRejectedError, type CheckResult, type VerificationAgency } from './verification/agency';
import type { CheckPurpose } from './verification/protocol';

export type { CheckPurpose } from './verification/protocol';
export type { CheckResult } from './verification/agency';

/**
 * Derived from what is checked, so a retried activity finds the first check instead of submitting a second;
 * `chain` (the execution chain's first run id, kit/external-systems.ts) keeps it unique when a workflow id is
 * reused, and the same across continue-as-new (issue 22 §1.7). Checks scheduled before carry no chain:
 * their retries keep the key they were first submitted under.
 */
export const checkIdempotencyKey = (workflowId: string, round: number, chain?: string): string => (chain ? `${workflowId}/${chain}/check/${round}` : `${workflowId}/check/${round}`);

export interface CheckRequest {
  workflowId: string;
  /** the execution chain (workflowInfo().firstExecutionRunId); absent in checks scheduled before issue 22 */
  chain?: string;
  round: number;
  purpose: CheckPurpose;
  subjects: VerificationSubject[];
}

export function createVerificationActivities(agency: VerificationAgency) {
  return {
    // R-APP-03
    async submitEconomicCheck(input: CheckRequest): Promise<{ checkId: string }> {
      return final(() =>
        agency.submitCheck({
          idempotencyKey: checkIdempotencyKey(input.workflowId, input.round, input.chain),
          reference: input.workflowId,
          purpose: input.purpose,
          subjects: input.subjects,
        }),
      );
    },

    // R-APP-03 (cases started before the kit poll with this)
    async fetchEconomicCheck(input: { checkId: string }): Promise<CheckResult> {
      return final(() => agency.getCheck(input.checkId));
    },

    // R-APP-03: submits the check (idempotent: a retry finds the first submission) and returns the report
    // once the agency has it. While the check is pending this fails and Temporal's retry policy (backoff up
    // to an hour, schedule-to-close) asks again: one activity for the whole check, no loop in the workflow.
    async checkEconomicStatus(input: CheckRequest): Promise<{ checkId: string; report: VerificationReport }> {
      const { checkId } = await final(() =>
        agency.submitCheck({ idempotencyKey: checkIdempotencyKey(input.workflowId, input.round, input.chain), reference: input.workflowId, purpose: input.purpose, subjects: input.subjects }),
      );
      const result = await final(() => agency.getCheck(checkId));
      if (result.status === 'completed') return { checkId, report: result.report };
      throw ApplicationFailure.retryable(`check ${checkId} is still pending at the agency`, 'CheckPending');
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
