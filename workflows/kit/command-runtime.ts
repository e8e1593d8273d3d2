// The plumbing between a workflow's main flow and its human commands (Updates), for every kind:
// - the main flow only ever waits through `wait()` / `external()`: while it waits, the state is stable
//   (`ready`) and commands are checked against it at once; while it moves between steps, commands wait
//   for it (never a spurious 409) and are then checked against the step they find;
// - one command applies at a time (`applying`), even when its handler awaits an activity;
// - the state is written once per stable point: before the flow blocks, if anything changed;
// - a command answers once the flow has reacted to it and the result is written (`settle`), i.e. when
//   the case has arrived at its next step, not after the next external call;
// - a command applies once across runs: its Update id is kept (kit/applied-commands.ts, issue 22 §1.2);
// - a kind that opts in continues as new at a stable point (issue 22 §1.1, `RuntimeOptions.continueAsNew`).
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { allHandlersFinished, condition, currentUpdateInfo, makeContinueAsNewFunc, setHandler, workflowInfo } from '@temporalio/workflow';
import { AppliedCommands, type AppliedCommand } from './applied-commands';
import { duplicateCommand, fieldPath, invalidPayload, ruleViolation, wrongStep, type FieldError } from './errors';
import { verifyCommand } from './command-signature';
import { withoutAuth } from './command-statement';

export class Interrupted extends Error {}


export interface RuntimeHooks {
  /** writes the projection and queued audit entries (one activity) */
  persist(): Promise<void>;
  /** something changed since the last write */
  dirty(): boolean;
  /** the case is being ended by a command (a withdrawal): every wait throws Interrupted */
  interrupted(): boolean;
  /** a change that must be written even while waiting for an external call (a deadline warned or lapsed) */
  urgent(): boolean;
  /**
   * every command, first: who gives it may act on this case at all (their jurisdiction covers it). An
   * Update can reach Temporal without the API, so the workflow does not take the API's word for it.
   */
  admit(input: unknown): void;
}

/** What a command's payload schema gives the runtime (a zod schema fits; the kit needs nothing else of zod). */
export interface PayloadSchema {
  safeParse(input: unknown): { success: true } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

export interface CommandSpec<I, R> {
  /**
   * the payload's shape and limits, the same zod schema the API validates with (issue 16 API1): parsed in
   * the validator, so an Update sent straight to Temporal with a malformed payload never reaches history
   */
  schema?: PayloadSchema;
  /** checks no transition changes (role, recusal, payload): run in the validator, before history */
  authorize(input: I): void;
  /** checks against the current step: in the validator when the flow is at rest, else after waiting for it */
  check(input: I): void;
  /**
   * checks by rules as this worker has them (an early answer), in the validator at rest only: never in
   * the handler, which replays; the handler gets the same outcome from an activity
   */
  screen?(input: I): void;
  /** the change itself; may await an activity (other commands wait meanwhile) */
  apply(input: I): void | Promise<void>;
  /** what the caller gets once the flow has reacted */
  answer(): R;
}

/** What the runtime itself hands the next run (issue 22 §1.1); the kind carries its state beside it. */
export interface RuntimeCarry {
  /** the commands applied within the window: a repeat is refused by the next run too (§1.2) */
  commands: AppliedCommand[];
}

export interface RuntimeOptions {
  /** issue 22 §1.2: how long an applied command's id is kept at least (IDEMPOTENCY_TTL_HOURS, as data) */
  commandWindowMs?: number;
  /** the ids the previous run carried */
  applied?: readonly AppliedCommand[];
  /**
   * Issue 22 §1.1: the kind continues as new at a stable point, when Temporal suggests it
   * (`continueAsNewSuggested`) or `due()` (the kind's own bound) says so. Every `wait()` is then such a
   * point, and the flow must resume from the carried state at the wait it was in.
   */
  continueAsNew?: {
    due?: () => boolean;
    /** the next run's input: the kind's state, what it keeps between writes, and the runtime's carry */
    input(carry: RuntimeCarry): unknown;
  };
}

export class CommandRuntime {
  /** the main flow is waiting (for people, a timer or an external system): the state is stable */
  private ready = false;
  /** a command is being applied */
  private applying = false;
  /** commands applied, and how many of them the main flow has reacted to */
  private received = 0;
  private acknowledged = 0;
  /** the main flow has ended: the state is final */
  private finished = false;
  /** the flow asked to continue as new at once (`drain()`) */
  private draining = false;
  private readonly applied: AppliedCommands;

  constructor(
    private readonly hooks: RuntimeHooks,
    private readonly options: RuntimeOptions = {},
  ) {
    this.applied = new AppliedCommands(options.commandWindowMs, options.applied);
  }

  // ── main flow ──

  /** Waits until `done` (true), or `timeoutMs` passes (false); throws Interrupted when the case is being ended. */
  wait(done: () => boolean, timeoutMs?: number): Promise<boolean> {
    return this.rest(done, timeoutMs, true);
  }

  /**
   * Awaits an external call (the agency) while staying at rest: commands apply meanwhile. When the case
   * is ended meanwhile (Interrupted) the call is left to finish on its own: its outcome no longer
   * matters, and Temporal drops it once the workflow has closed.
   */
  async external<T>(call: () => Promise<T>): Promise<T> {
    let result: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    call().then(
      (value) => (result = { ok: true, value }),
      (error) => (result = { ok: false, error }),
    );
    // the flow's own changes wait for the call's outcome; a command's are written at once
    await this.rest(() => result !== undefined, undefined, false);
    if (!result!.ok) throw result!.error;
    return result!.value;
  }

  /** Continue-as-new is due: Temporal suggests it, the kind's bound says so, or the flow asked (`drain()`). */
  shouldContinue(): boolean {
    const c = this.options.continueAsNew;
    return c !== undefined && (this.draining || workflowInfo().continueAsNewSuggested || c.due?.() === true);
  }

  /** For a flow between waits (a batch done): write, let handlers finish, continue as new. Never returns. */
  async drain(): Promise<never> {
    if (!this.options.continueAsNew) throw new Error('drain(): this kind does not continue as new');
    this.draining = true;
    await this.rest(() => false, undefined, true);
    throw new Error('unreachable: rest() continued as new');
  }

  /**
   * Issue 22 §1.1: called at rest, in the activation that found nothing to write, no command applying and
   * every handler finished. The continue-as-new command leaves in this same activation, so no command is
   * admitted after the check: one that reaches the server meanwhile is aborted there as retryable and the
   * client's retry lands on the next run (Temporal server ≥ 1.25); one that reached this run earlier has
   * been applied, written and answered like any other. Running deadlines stop here and resume from the
   * carried state; the search attributes go along as they were last upserted.
   */
  private continueNow(): Promise<never> {
    const carry: RuntimeCarry = { commands: this.applied.kept(Date.now()) };
    const next = makeContinueAsNewFunc({ typedSearchAttributes: workflowInfo().typedSearchAttributes });
    return next(this.options.continueAsNew!.input(carry)) as Promise<never>;
  }

  /**
   * At rest until `done`: writes what changed (`eager`), or only what a command changed, acknowledges
   * commands, wakes for each new one; continues as new when that is due (eager waits only: an external
   * call in flight is not abandoned).
   */
  private async rest(done: () => boolean, timeoutMs: number | undefined, eager: boolean): Promise<boolean> {
    const started = Date.now();
    const mustWrite = () => this.hooks.dirty() && (eager || this.hooks.urgent() || this.received > this.acknowledged);
    try {
      for (;;) {
        if (this.hooks.interrupted()) throw new Interrupted();
        this.ready = true;
        if (!this.applying && done()) return true;
        if (!this.applying && mustWrite()) {
          const covered = this.received;
          await this.hooks.persist();
          // the commands applied before the write are in it: they have their answer
          this.acknowledged = Math.max(this.acknowledged, covered);
          continue;
        }
        if (!this.applying) this.acknowledged = this.received;
        const left = timeoutMs === undefined ? undefined : timeoutMs - (Date.now() - started);
        if (left !== undefined && left <= 0 && !this.applying) return false;
        const continuing = () => eager && !this.applying && this.shouldContinue();
        if (continuing() && allHandlersFinished()) return await this.continueNow();
        const woke = () =>
          !this.applying &&
          (done() || this.hooks.interrupted() || mustWrite() || this.received > this.acknowledged || (continuing() && allHandlersFinished()));
        // a timeout only ends the wait once no command is half-applied (the loop's test above)
        if (left === undefined || this.applying) await condition(woke);
        else await condition(woke, left);
      }
    } finally {
      this.ready = false; // leaving the wait: the flow is moving until it waits again
    }
  }

  /** The main flow has ended: commands still waiting get the final state. */
  finish(): void {
    this.finished = true;
    this.acknowledged = this.received;
  }

  // ── commands ──

  /** Registers an Update whose validator and handler follow the rules above. */
  command<I, R>(update: UpdateDefinition<R, [I]>, spec: CommandSpec<I, R>): void {
    setHandler(
      update,
      async (signed: I) => {
        const id = currentUpdateInfo()?.id ?? '';
        // the API's signature was checked by the validator; the steps never see it (nor does state)
        const input = withoutAuth(signed);
        // at rest and free: the validator has just checked everything, apply in the same activation
        if (!this.ready || this.applying) {
          // several waiting commands may be released in one pass: each tests again when it resumes
          while (!(this.ready && !this.applying) && !this.finished) await condition(() => (this.ready && !this.applying) || this.finished);
          if (this.finished) throw wrongStep('closed', 'a command after the case ended');
          spec.check(input); // the step may have changed while we waited: a real wrong step is still refused
        }
        this.applying = true;
        try {
          await spec.apply(input);
          // issue 22 §1.2: applied; a refusal in apply leaves the id free (nothing was applied)
          this.applied.record(id, Date.now());
        } finally {
          this.applying = false;
        }
        const mine = ++this.received;
        await condition(() => this.acknowledged >= mine || this.finished);
        return spec.answer();
      },
      {
        validator: (signed: I) => {
          // issue 16 API1: only what the API signed for this workflow, Update and payload; then who it names
          verifyCommand(update.name, signed);
          // issue 22 §1.2: the signature covers the Update id; a run that applied that id already refuses it
          const id = currentUpdateInfo()?.id ?? '';
          const appliedAt = this.applied.appliedAt(id);
          if (appliedAt !== undefined) throw duplicateCommand(id, appliedAt);
          const input = withoutAuth(signed);
          this.hooks.admit(input);
          const malformed = spec.schema ? payloadErrors(spec.schema, input) : undefined;
          try {
            spec.authorize(input);
            if (this.ready && !this.applying) {
              spec.check(input);
              spec.screen?.(input);
            }
          } catch (err) {
            // a malformed payload is refused either way: a rule's own refusal (R-APP-04: one investigator
            // twice) names its rule; anything else the checks throw on a payload they cannot read is moot
            if (!malformed || err instanceof ApplicationFailure) throw err;
          }
          if (malformed) throw malformed.rule ? ruleViolation(malformed.rule, malformed.errors.map((e) => e.message).join('; '), malformed.errors) : invalidPayload(update.name, malformed.errors);
        },
      },
    );
  }
}

/**
 * Issue 16 API1: the payload's schema errors as field errors, or undefined when it parses. A refinement
 * that states a rule (`params.rule`, e.g. R-APP-04's distinct investigators) keeps it: when every error
 * names the same rule, the refusal is that rule's, whether or not the step's own checks could run.
 */
function payloadErrors(schema: PayloadSchema, input: unknown): { errors: FieldError[]; rule?: string } | undefined {
  const r = schema.safeParse(input);
  if (r.success) return undefined;
  const rules = new Set(r.error.issues.map((i) => (i as { params?: { rule?: string } }).params?.rule));
  const [rule] = rules;
  return { errors: r.error.issues.map((i) => ({ path: fieldPath(i.path), message: i.message })), ...(rules.size === 1 && rule ? { rule } : {}) };
}
