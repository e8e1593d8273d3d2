// A statutory deadline inside a workflow: warnings before it, overdue when it passes. The due date is
// computed once by an activity (policy and calendar are data that change) and kept in state; moving it
// (an extension) bumps `version`, which restarts the timer (samples-typescript updatable-timer).
import { condition } from '@temporalio/workflow';
import { note, setFlag, type CaseLog } from './case-log';

export interface Deadline {
  name: string;
  step: string;
  startedOn: string;
  dueOn: string;
  dueAt: number;
  warnings: { on: string; at: number; fired: boolean }[];
  beyondCalendar: boolean;
  extended: boolean;
  overdueSince?: number;
  escalatedTo?: string;
  closedAt?: number;
  version: number;
  /** a new due date is being computed (an extension): neither warn nor lapse meanwhile */
  moving?: boolean;
}

/** What computeDeadline (an activity) returns. */
export interface DeadlineComputation {
  dueOn: string;
  dueAt: number;
  warnings: { on: string; at: number }[];
  beyondCalendar: boolean;
}

/** Lapsed and still open: what supervision lists as overdue. */
export function isOverdue(d: Deadline): boolean {
  return d.overdueSince !== undefined && d.closedAt === undefined;
}

/** A deadline as every kind's view shows it (GET …/{id}: `deadlines`). */
export function deadlineView(d: Deadline) {
  return {
    name: d.name,
    step: d.step,
    startedOn: d.startedOn,
    dueOn: d.dueOn,
    overdue: isOverdue(d),
    overdueSince: d.overdueSince ? new Date(d.overdueSince).toISOString() : null,
    extended: d.extended,
    warned: d.warnings.some((w) => w.fired),
    beyondCalendar: d.beyondCalendar,
    escalatedTo: d.escalatedTo ?? null,
    closed: d.closedAt !== undefined,
  };
}

export type Alarm = { kind: 'warning'; index: number; at: number } | { kind: 'overdue'; at: number };

export function newDeadline(name: string, step: string, startedOn: string, c: DeadlineComputation): Deadline {
  return { name, step, startedOn, ...c, warnings: c.warnings.map((w) => ({ ...w, fired: false })), extended: false, version: 0 };
}

export function moveDeadline(d: Deadline, c: DeadlineComputation): void {
  Object.assign(d, { ...c, warnings: c.warnings.map((w) => ({ ...w, fired: false })), version: d.version + 1, moving: false });
}

export function nextAlarm(d: Deadline, now: number): Alarm | undefined {
  if (d.closedAt !== undefined || d.overdueSince !== undefined) return undefined;
  if (now >= d.dueAt) return { kind: 'overdue', at: d.dueAt }; // warnings that were never due in time are skipped
  const index = d.warnings.findIndex((w) => !w.fired);
  if (index >= 0) return { kind: 'warning', index, at: d.warnings[index].at };
  return { kind: 'overdue', at: d.dueAt };
}

/** Runs until the deadline is closed; `fire` records each warning and the lapse. */
export async function runDeadline(d: Deadline, fire: (alarm: Alarm) => Promise<void>): Promise<void> {
  while (d.closedAt === undefined) {
    if (d.moving) {
      await condition(() => !d.moving || d.closedAt !== undefined);
      continue;
    }
    const version = d.version;
    const changed = () => d.closedAt !== undefined || d.version !== version || d.moving === true;
    const alarm = nextAlarm(d, Date.now());
    if (!alarm) {
      await condition(changed);
      continue;
    }
    const wait = alarm.at - Date.now();
    if (wait > 0 && (await condition(changed, wait))) continue;
    if (alarm.kind === 'warning') d.warnings[alarm.index].fired = true;
    else d.overdueSince = Date.now();
    await fire(alarm);
  }
}

/**
 * The statutory deadlines of one case: starts their clocks, records warnings, the lapse and the
 * escalation as audit entries, closes them. Alarms only change state; the main flow writes it at its
 * next rest (kit/command-runtime.ts), so a lapse costs one write, not one per alarm and step.
 */
export class DeadlineBook {
  private readonly running: Promise<void>[] = [];
  /** a warning or lapse not yet written: supervisors must see it even while the case waits for the agency */
  alarmed = false;

  constructor(
    private readonly s: CaseLog & { deadlines: Deadline[] },
    /** whom a lapse is escalated to: one level above whoever holds the case */
    private readonly escalateTo: (d: Deadline) => string,
  ) {}

  start(d: Deadline): void {
    this.s.deadlines.push(d);
    this.running.push(runDeadline(d, async (alarm) => this.alarm(d, alarm)));
  }

  /**
   * Issue 22 §1.1: after continue-as-new, the clocks of the carried open deadlines run on: same due
   * dates, warnings already fired are not fired again, a lapse already recorded is not recorded again.
   */
  resume(): void {
    for (const d of this.s.deadlines) if (d.closedAt === undefined) this.running.push(runDeadline(d, async (alarm) => this.alarm(d, alarm)));
  }

  private alarm(d: Deadline, alarm: Alarm): void {
    this.alarmed = true;
    if (alarm.kind === 'warning') {
      note(this.s, 'system', 'deadline.warning', { name: d.name, dueOn: d.dueOn, warnedOn: d.warnings[alarm.index].on });
      return;
    }
    d.escalatedTo = this.escalateTo(d);
    setFlag(this.s, 'overdue');
    note(this.s, 'system', 'deadline.overdue', { name: d.name, dueOn: d.dueOn });
    note(this.s, 'system', 'deadline.escalated', { name: d.name, to: d.escalatedTo });
  }

  close(name: string): void {
    const d = this.s.deadlines.find((x) => x.name === name && x.closedAt === undefined);
    if (!d) return;
    d.closedAt = Date.now();
    setFlag(this.s, 'overdue', this.s.deadlines.some(isOverdue));
    note(this.s, 'system', 'deadline.closed', { name, dueOn: d.dueOn, late: d.overdueSince !== undefined });
  }

  closeAll(): void {
    for (const d of this.s.deadlines) this.close(d.name);
  }

  /** The open deadline that falls due first (for search attributes and supervision). */
  nextDue(): Deadline | undefined {
    return this.s.deadlines.filter((d) => d.closedAt === undefined).sort((a, b) => a.dueAt - b.dueAt)[0];
  }

  /** Resolves once every clock has stopped (every deadline closed). */
  stopped(): Promise<void> {
    return Promise.all(this.running).then(() => undefined);
  }
}
