// Every kind moves its case from step to step the same way: the step, the status when the step ends the
// case, and the audit entry `step.changed` (issue 23 "fix the kit, don't copy"). Workflow state only.
import { note, type CaseLog } from './case-log';

/** Moves `s` to `step`; a step among `ends` is also the case's final status. */
export function changeStep<Step extends string, Status extends string>(s: CaseLog & { step: Step; status: Status }, step: Step, ends: readonly (Step & Status)[]): void {
  const from = s.step;
  s.step = step;
  if ((ends as readonly string[]).includes(step)) s.status = step as Step & Status;
  note(s, 'system', 'step.changed', { from, to: step });
}
