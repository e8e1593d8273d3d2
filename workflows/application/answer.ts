// What an application's Updates answer (issue 16 API4): the case's step, status and revision and the
// parts of its view a command touched, never the view itself. Every answer is recorded in the case's
// history, so a whole view per command made the history grow with every request.
import type { ApplicationState } from './state';
import type { CommandResult } from './messages';

/**
 * `revision` is that of the case's last write (the projection holds it once the write lands): while the
 * flow awaits the agency its own changes are not written yet, and the API reads the projection at this
 * revision instead of waiting for them.
 */
export function commandResult(s: ApplicationState, changed: string[], revision = s.revision): CommandResult {
  return { caseId: s.caseId, step: s.step, status: s.status, revision, changed };
}
