// 逢进必核 (R-APP-03, R-REV-02, R-DTH-02): the economic verification through the agency, as every kind after
// the application runs it. Rounds of one check each; a refusal is resubmitted after a pause, until
// MAX_ROUNDS refusals or a check that never completes stall the case, which then waits for a person's new
// attempt (the kind's retry command sets `retryRequested`). Issue 23 "fix the kit, don't copy": the review
// and the death stop ran this same loop, command for command; the one activity per round and the one
// resubmit timer stay exactly as they were scheduled, so their recorded histories replay.
// The application's own loop also gives the stalled case a follow-up deadline (an activity more), so it
// keeps its loop and takes only the limits from here.
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { RetryState } from '@temporalio/common';
import type { CheckPurpose } from '../../activities/verification';
import { agency } from '../kit/activity-proxies';
import { note, setFlag, type CaseLog } from '../kit/case-log';
import type { CommandRuntime } from '../kit/command-runtime';
import { executionChain } from '../kit/external-systems';
import type { VerificationReport, VerificationSubject } from '../rules/types';

// Technical limits of talking to the agency, not policy: how long one check may take before a person is
// asked to follow it up, how long to pause after a refusal, and how many refused rounds before that.
export const REPORT_MAX_WAIT = '14 days';
export const RESUBMIT_AFTER_MS = 3_600_000;
export const MAX_ROUNDS = 3;

/** The verification's part of a case's state; `Retry` is what the kind's retry command records. */
export interface EconomicVerification<Retry = unknown> {
  status: 'not_started' | 'pending' | 'completed' | 'stalled';
  checkId?: string;
  completedAt?: number;
  report?: VerificationReport;
  /** rounds submitted since the last person asked for a new attempt (the cap hands the case to a person) */
  rounds: number;
  /** a person asked for a new attempt after the case stalled (cleared when it stalls) */
  retryRequested?: Retry;
}

export interface VerifiedCase extends CaseLog {
  verification: EconomicVerification;
}

export interface CheckOf {
  purpose: CheckPurpose;
  subjects: VerificationSubject[];
  /** the idempotency key names the execution chain (issue 22 §1.7); the review's checks never did */
  chained: boolean;
}

/** Runs rounds until the agency's report is complete; the report is then in `s.verification`. */
export async function verifyEconomicStatus(s: VerifiedCase, rt: Pick<CommandRuntime, 'wait' | 'external'>, check: CheckOf): Promise<void> {
  const { purpose, subjects } = check;
  let round = 0;
  while (s.verification.status !== 'completed') {
    if (s.verification.rounds >= MAX_ROUNDS) {
      s.verification.status = 'stalled';
      s.verification.retryRequested = undefined;
      setFlag(s, 'verification_stalled');
      note(s, 'system', 'verification.stalled', { rounds: s.verification.rounds });
      await rt.wait(() => s.verification.retryRequested !== undefined);
      setFlag(s, 'verification_stalled', false);
      s.verification.rounds = 0;
    }
    round++;
    s.verification.rounds++;
    s.verification.status = 'pending';
    note(s, 'system', 'verification.requested', { round, subjects: subjects.length });
    try {
      // the agency's idempotency key: workflow id, [execution chain,] round (activities/verification.ts)
      const request = check.chained ? { workflowId: s.workflowId, chain: executionChain(), round, purpose, subjects } : { workflowId: s.workflowId, round, purpose, subjects };
      const { checkId, report } = await rt.external(() => agency(REPORT_MAX_WAIT).checkEconomicStatus(request));
      s.verification = { ...s.verification, status: 'completed', checkId, completedAt: Date.now(), report };
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      if (err.cause instanceof ApplicationFailure && err.cause.type === 'AgencyRejected') {
        note(s, 'system', 'verification.refused', { round, reason: err.cause.message });
        if (s.verification.rounds < MAX_ROUNDS) await rt.wait(() => false, RESUBMIT_AFTER_MS);
      } else if (err.cause instanceof TimeoutFailure || err.retryState === RetryState.TIMEOUT) {
        // schedule-to-close passed: the server ends the last retry as a timeout, or as its last failure
        note(s, 'system', 'verification.timed_out', { round, waited: REPORT_MAX_WAIT });
        s.verification.rounds = MAX_ROUNDS;
      } else throw err;
    }
  }
  note(s, 'system', 'verification.completed', { checkId: s.verification.checkId });
}

/** The household's members as the agency's subjects. */
export function memberSubjects(members: { idNumber: string; name: string }[]): VerificationSubject[] {
  return members.map((m) => ({ idNumber: m.idNumber, name: m.name, role: 'member' as const }));
}
