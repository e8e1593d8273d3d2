// The plumbing between the application's main flow and its update handlers:
// - persist(): writes queued audit entries and the projection (one activity, one transaction);
// - waitFor(): the main flow's only way to wait, so a withdrawal interrupts any wait;
// - settle(): an update handler returns once the main flow has reacted to it, so the caller gets the
//   state after the transition (e.g. the step after an investigation), not before it.
import { condition } from '@temporalio/workflow';
import { db } from './activity-proxies';
import { assigneeFor, view, type ApplicationState, type ApplicationView } from './application-state';
import type { CaseRecord, DeadlineRecord } from '../kit/records';
import { isOverdue } from './deadline-clock';

export class Withdrawn extends Error {}

export class CaseRuntime {
  /** inputs (accepted updates) received, and how many of them the main flow has reacted to */
  private received = 0;
  private consumed = 0;
  /** the main flow has ended: nothing more will react, the state is final */
  private finished = false;
  /**
   * The main flow is leaving the step shown (it woke from a wait and has not yet arrived at the next
   * step): validators refuse commands meanwhile instead of accepting one for a step being left.
   * Cleared when the next step is set (application.ts `arrive`) or the flow blocks again.
   */
  busy = true;

  constructor(readonly s: ApplicationState) {}

  record(releaseLocks = false): CaseRecord {
    const s = this.s;
    const decision = s.deadlines.find((d) => d.name === 'decision');
    return {
      workflowId: s.workflowId,
      caseId: s.caseId,
      revision: s.revision,
      programme: s.programme,
      villageCode: s.villageCode,
      status: s.status,
      step: s.step,
      assignee: assigneeFor(s),
      receivedOn: s.receivedOn,
      acceptedOn: s.acceptedOn,
      decisionDueOn: decision?.dueOn,
      overdue: s.deadlines.some(isOverdue),
      monthlyFen: s.enrolment?.monthlyFen,
      householdId: s.enrolment?.householdId,
      createdBy: s.createdBy.id,
      members: s.household.members.map((m) => ({ idNumber: m.idNumber, name: m.name })),
      view: view(s),
      audit: s.pendingAudit.splice(0),
      deadlines: s.deadlines.map(
        (d): DeadlineRecord => ({
          name: d.name,
          step: d.step,
          assignee: assigneeFor(s),
          startedOn: d.startedOn,
          dueOn: d.dueOn,
          dueAt: d.dueAt,
          beyondCalendar: d.beyondCalendar,
          extended: d.extended,
          warnedAt: d.warnings.filter((w) => w.fired).at(-1)?.at,
          overdueSince: d.overdueSince,
          escalatedTo: d.escalatedTo,
          closedAt: d.closedAt,
        }),
      ),
      releaseLocks,
    };
  }

  async persist(releaseLocks = false): Promise<void> {
    await db.recordCase(this.record(releaseLocks));
  }

  /** Main flow: wait until `done`, or `timeoutMs` passes (returns false), or the case is withdrawn (throws). */
  async waitFor(done: () => boolean, timeoutMs?: number): Promise<boolean> {
    const until = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    for (;;) {
      if (this.s.withdrawal) throw new Withdrawn();
      if (done()) return true; // not acknowledged yet: the caller transitions first
      const left = until === undefined ? undefined : until - Date.now();
      if (left !== undefined && left <= 0) return false;
      // about to block: every input received so far is reflected in the state
      this.consumed = this.received;
      const woke = () => done() || this.s.withdrawal !== undefined || this.received > this.consumed;
      this.busy = false;
      if (left === undefined) await condition(woke);
      else await condition(woke, left);
      this.busy = true;
      // loop: an input that does not finish this wait (a first vote of two) is acknowledged above
    }
  }

  /** Main flow: it has ended (before returning); handlers still waiting get the final state. */
  finish(): void {
    this.consumed = this.received;
    this.finished = true;
    this.busy = true;
  }

  /** Update handler: persist what the handler changed, then wait for the main flow's reaction. */
  async settle(): Promise<ApplicationView> {
    await this.persist();
    const mine = ++this.received;
    // an input that ends the case (a withdrawal) may be received after the main flow's last wait
    await condition(() => this.consumed >= mine || this.finished);
    return view(this.s);
  }
}
