// One command path for every workflow kind (issue 22 §1.5): a kind gives its read model (workflow id,
// which steps are closed, visibility by jurisdiction, how to read its projection at a revision); the path
// checks who acts, resolves and signs the people named, sends the signed Update under the Idempotency-Key's
// id and answers from the projection. Reviews use it; the audit routes find a case of any kind through it.
import crypto from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Command, UpdateAnswer } from '../workflows/kit/command';
import type { Actor } from '../workflows/rules/types';
import type { ActorSigner } from './actor-signing';
import type { User } from './auth';
import { fromWorkflowFailure, wrongStep } from './problems';

/** What the command path and the audit routes need of a kind's projection row. */
export interface KindRow {
  workflowId: string;
  villageCode: string;
  step: string;
  status: string;
}

export interface ReadModel<V = unknown> {
  kind: string;
  /** the row the caller may see (404 otherwise: outside the subtree looks like nothing, API.md) */
  visible(user: User, id: string): Promise<KindRow>;
  /** a closed case takes no command (409) */
  closed(row: KindRow): boolean;
  /** the case as the answer's revision left it, from the projection (or the workflow's own query), as `user` may see it */
  at(answer: UpdateAnswer, row: KindRow, user?: User): Promise<V>;
}

export interface CommandPathDeps {
  client: Client;
  signer: ActorSigner;
  timeoutMs: number;
  /** R-APP-09, R-SEC-01: the token's staff member as registered (ApplicationService.registeredActor) */
  registeredActor(user: User): Promise<Actor>;
  /** issue 21 §2: the register's facts of the people a command names (ApplicationService.staffFacts) */
  staffFacts(update: string, input: object): Promise<object>;
  /** early 400/422 for named investigators (ApplicationService.checkStaff) */
  checkStaff(villageCode: string, ids: string[], field: string): Promise<void>;
}

/** The same caller, case, command and Idempotency-Key is the same Update: Temporal runs it once (issue 11 §1). */
export function commandUpdateId(sub: string, caseId: string, command: string, key: string): string {
  return crypto.createHash('sha256').update(JSON.stringify([sub, caseId, command, key])).digest('hex');
}

export class CommandPath {
  constructor(private readonly deps: CommandPathDeps) {}

  async send<V, I extends Command>(
    model: ReadModel<V>,
    user: User,
    id: string,
    update: UpdateDefinition<UpdateAnswer, [I]>,
    input: Omit<I, 'actor'>,
    o: { idempotencyKey?: string; staff?: { field: string; ids: string[] }; resumed?: boolean } = {},
  ): Promise<V> {
    const row = await model.visible(user, id);
    const actor = await this.deps.registeredActor(user);
    if (o.staff) await this.deps.checkStaff(row.villageCode, o.staff.ids, o.staff.field);
    const facts = await this.deps.staffFacts(update.name, { ...input, actor });
    const closed = model.closed(row);
    const closedProblem = () => wrongStep(row.step, `the ${model.kind} is closed in step ${row.step}`);
    if (closed && !(o.idempotencyKey && o.resumed)) throw closedProblem();
    const updateId = o.idempotencyKey ? commandUpdateId(user.sub, id, update.name, o.idempotencyKey) : crypto.randomUUID();
    const args = [this.deps.signer.sign({ workflowId: row.workflowId, update: update.name, updateId }, { ...input, actor, ...facts } as I)] as [I];
    let answer: UpdateAnswer;
    try {
      const handle = this.deps.client.workflow.getHandle(row.workflowId);
      answer = await this.deps.client.withDeadline(Date.now() + this.deps.timeoutMs, () => handle.executeUpdate(update, { args, updateId }));
    } catch (err) {
      if (closed && (err instanceof WorkflowNotFoundError || fromWorkflowFailure(err)?.status === 409)) throw closedProblem();
      throw err;
    }
    return model.at(answer, row, user);
  }
}

/** The first kind whose read model shows the caller this id (the audit routes take any kind's id). */
export async function visibleInAnyKind(models: ReadModel[], user: User, id: string): Promise<KindRow> {
  let last: unknown;
  for (const m of models) {
    try {
      return await m.visible(user, id);
    } catch (err) {
      last = err;
    }
  }
  throw last;
}
