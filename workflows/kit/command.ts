// What every command of every kind carries and answers (issue 22 §1.5): moved here from the application's
// messages, so a kind's messages, the shared human steps (workflows/steps/) and the API's one command path
// name the same types.
import type { Actor } from '../rules/types';
import type { CommandAuth } from './command-statement';

/** Every command carries who gives it; the API fills it from the caller's token, never from the body. */
export interface Command {
  actor: Actor;
  /** the API's signature over actor, workflow, Update and payload (issue 16 API1), checked in the validator */
  auth?: CommandAuth;
}

/** Issue 21 §2: the staff register's facts of a person a command names, resolved and signed by the API. */
export interface StaffFact {
  id: string;
  role: string;
  jurisdiction: string;
  active: boolean;
}

/** A command naming staff (investigators, visitors, voter and attendees) carries their register facts. */
export interface NamingStaff extends Command {
  staff?: StaffFact[];
}

/**
 * What every Update answers (issue 16 API4): small and free of personal data, since each answer is
 * recorded in the workflow's history. `caseId` is the kind's own id (an application's case id, a review's
 * id); the caller reads the rest from the kind's projection. `changed` names the parts of the view touched.
 */
export interface CommandResult<Step extends string = string, Status extends string = string> {
  caseId: string;
  step: Step;
  status: Status;
  revision: number;
  changed: string[];
}

/**
 * An Update's answer as a caller must take it: answers recorded before compact answers (issue 16) carry the
 * whole view, which has these fields too. Only caseId and revision are relied upon.
 */
export interface UpdateAnswer {
  caseId: string;
  step: string;
  status: string;
  revision: number;
  changed?: string[];
}
