// How every kind after the application writes itself at a stable point (issue 23 "fix the kit, don't
// copy"): its search attributes first (one upsert, only when one changed: kit/publish-attributes.ts), then
// the revision it hands to the database, then the write activity. The command runtime asks `dirty()`;
// the handlers answer with `revision` (what a command's caller can read back).
import type { CaseLog } from './case-log';
import { publishCaseAttributes, type CaseAttributes } from './publish-attributes';

export class CaseWriter {
  private written = -1;
  private readonly published: Record<string, unknown> = {};

  constructor(
    private readonly s: CaseLog,
    private readonly attributes: () => CaseAttributes,
    private readonly write: () => Promise<unknown>,
  ) {}

  /** changed since the last write */
  dirty(): boolean {
    return this.s.revision !== this.written;
  }

  /** the revision last handed to the database (-1: none yet) */
  get revision(): number {
    return this.written;
  }

  async persist(): Promise<void> {
    publishCaseAttributes(this.published, this.attributes());
    this.written = this.s.revision;
    await this.write();
  }
}
