// Issue 22 §1.2 (API1, R-PAY-09): a signed command applies once, across runs. Temporal deduplicates an
// Update id within one run only, and a signature's issuedAt is not compared with workflow time
// (kit/command-signature.ts), so a captured signed Update would be taken again by the run a
// continue-as-new or a reset starts. The runtime keeps the id of every command it applied, with when,
// carries them across continue-as-new, and its validators refuse a repeat.

/** One applied command: its (signed) Update id and the workflow time it was applied at. */
export interface AppliedCommand {
  id: string;
  at: number;
}

export class AppliedCommands {
  private readonly byId = new Map<string, number>();

  /**
   * `windowMs`: how long an id is kept at least (the API's IDEMPOTENCY_TTL_HOURS, passed in as data);
   * undefined keeps every id for the run's life (a kind that never continues as new).
   */
  constructor(
    private readonly windowMs: number | undefined,
    carried: readonly AppliedCommand[] = [],
  ) {
    for (const c of carried) this.byId.set(c.id, c.at);
  }

  /** When the command with this Update id was applied, or undefined. */
  appliedAt(id: string): number | undefined {
    return this.byId.get(id);
  }

  record(id: string, at: number): void {
    this.byId.set(id, at);
  }

  /** The ids still inside the window at `now`, for the next run (older ones cannot be honoured by the API either). */
  kept(now: number): AppliedCommand[] {
    const from = this.windowMs === undefined ? -Infinity : now - this.windowMs;
    return [...this.byId].filter(([, at]) => at >= from).map(([id, at]) => ({ id, at }));
  }
}
