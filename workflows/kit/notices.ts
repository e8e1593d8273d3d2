// Issue 23 §4: a notice from another workflow to a case, e.g. the death stop telling an open application or
// review of the person that they died. A signed Update like every command (the system's key signs it, so
// nobody reaches a case without a signature), that any kind accepts by calling `acceptNotices`: it records
// the notice in the case's log (audited) and its view (`notices`), and changes nothing else; the case's
// caseworker acts on it. A kind that never receives one has nothing of it in its history (replay-safe).
import { defineUpdate } from '@temporalio/workflow';
import { note, type CaseLog } from './case-log';
import type { CommandRuntime } from './command-runtime';
import type { Command, CommandResult, UpdateAnswer } from './command';
import { forbidden, ruleViolation } from './errors';

/** The role a system's notices carry (not a person's: api/roles.ts never issues it). */
export const SYSTEM_ROLE = 'system';

export interface NoticeInput extends Command {
  /** what it is about: 'death' */
  kind: string;
  /** the workflow that sends it */
  from: string;
  summary: string;
  data?: Record<string, unknown>;
}

export interface Notice {
  kind: string;
  from: string;
  summary: string;
  data?: Record<string, unknown>;
  at: number;
}

export const noticeUpdate = defineUpdate<UpdateAnswer, [NoticeInput]>('notice');

/** Registers the `notice` Update on a kind whose state keeps `notices`; the same notice twice is recorded once. */
export function acceptNotices(rt: CommandRuntime, s: CaseLog & { notices?: Notice[] }, answer: () => CommandResult): void {
  rt.command(noticeUpdate, {
    authorize: (i) => {
      if (i.actor.role !== SYSTEM_ROLE) throw forbidden(`a notice comes from a system workflow, not from role ${i.actor.role}`);
      if (typeof i.kind !== 'string' || typeof i.from !== 'string' || typeof i.summary !== 'string' || !i.kind || !i.from) {
        throw ruleViolation('API1', 'a notice names its kind, sender and summary', [{ path: 'kind', message: 'required' }]);
      }
    },
    check: () => undefined,
    apply: (i) => {
      s.notices ??= [];
      if (s.notices.some((n) => n.kind === i.kind && n.from === i.from)) return;
      s.notices.push({ kind: i.kind, from: i.from, summary: i.summary, data: i.data, at: Date.now() });
      note(s, { id: i.actor.id, role: i.actor.role }, 'case.notice', { kind: i.kind, from: i.from, ...(i.data ? { data: i.data } : {}) }, i.summary);
    },
    answer,
  });
}
