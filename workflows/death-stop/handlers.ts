// The commands of a death stop, as Updates run by the kit's command runtime: the source of a death record
// (R-DTH-01), the county caseworker's confirmation of the amount (R-DTH-02/03), a new verification attempt.
import { setHandler } from '@temporalio/workflow';
import { note, setFlag } from '../kit/case-log';
import type { CommandRuntime } from '../kit/command-runtime';
import type { Command, CommandResult } from '../kit/command';
import { admitActor } from '../steps/actors';
import { view, type DeathStopState } from './state';
import * as guard from './guards';
import * as m from './messages';
import * as payload from './payloads';

export function commandResult(s: DeathStopState, changed: string[], revision = s.revision): CommandResult {
  return { caseId: s.deathStopId, step: s.step, status: s.status, revision, changed };
}

/** Every command: who gives it covers the household's village (the API's word is not taken for it). */
export const admit = (s: DeathStopState) => (input: unknown) => admitActor(s, input);

export function registerHandlers(s: DeathStopState, rt: CommandRuntime, written: () => number): void {
  const who = (c: Command) => ({ id: c.actor.id, role: c.actor.role });
  const answer = (...changed: string[]) => () => commandResult(s, changed, written());

  setHandler(m.deathStopStateQuery, () => view(s));

  // R-DTH-01: each source once; a second source is added to the same stop (audited), a repeat changes nothing
  rt.command(m.recordDeathUpdate, {
    schema: payload.recordDeath.commandFor(s.idNumber),
    authorize: (i) => guard.recordDeath.authorize(s, i),
    check: () => guard.recordDeath.check(),
    apply: (i) => {
      if (s.sources.some((x) => x.source === i.source)) return;
      s.sources.push({ source: i.source, at: Date.now(), by: i.actor.id, dateOfDeath: i.dateOfDeath });
      const differs = i.dateOfDeath !== s.dateOfDeath;
      // the first source's date counts (R-DTH-02); a source that disagrees is flagged for the caseworker
      if (differs) setFlag(s, 'date_of_death_differs');
      note(s, who(i), 'death_stop.source_recorded', { source: i.source, dateOfDeath: i.dateOfDeath, sources: s.sources.length, ...(differs ? { differsFrom: s.dateOfDeath } : {}) });
    },
    answer: answer('sources'),
  });

  rt.command(m.confirmAmountUpdate, {
    schema: payload.confirmAmount.command,
    authorize: (i) => guard.confirmAmount.authorize(s, i),
    check: (i) => guard.confirmAmount.check(s, i),
    apply: (i) => {
      s.confirmation = { by: i.actor.id, at: Date.now(), monthlyFen: i.monthlyFen, reason: i.reason };
      note(s, who(i), 'death_stop.amount_confirmed', { monthlyFen: i.monthlyFen }, i.reason);
    },
    answer: answer('confirmation', 'roster', 'recoveryDue'),
  });

  rt.command(m.deathStopRetryVerificationUpdate, {
    schema: payload.retry.command,
    authorize: (i) => guard.verificationRetry.authorize(s, i),
    check: () => guard.verificationRetry.check(s),
    apply: (i) => {
      s.verification.retryRequested = true;
      note(s, who(i), 'verification.retry_requested', {}, i.reason);
    },
    answer: answer('verification'),
  });
}
