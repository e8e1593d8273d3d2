// R-REV-03: the API side of a township's monthly change reports. Every report and the township's check is
// a signed Update of the month's workflow, which the month's first one starts (update-with-start).
import crypto from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Prisma } from '../../activities/db';
import type { changeReports } from '../../workflows/change-reports/change-reports';
import { changeReportsQuery, changeReportsWorkflowId, checkTownshipUpdate, reportHouseholdUpdate, reportVillageUpdate, type ChangeReportsAnswer, type ChangeReportsView } from '../../workflows/change-reports/messages';
import type { Change } from '../../workflows/change-reports/payloads';
import { chinaDate } from '../../workflows/rules/dates';
import type { FieldError } from '../../workflows/kit/errors';
import { inSubtree, type User } from '../auth';
import type { ActorSigner } from '../actor-signing';
import type { ApplicationService } from '../applications/service';
import { commandUpdateId } from '../applications/service';
import { badRequest, conflict, notFound, unprocessable, wrongStep } from '../problems';

export interface ChangeReportServiceDeps {
  prisma: Prisma;
  client: Client;
  taskQueue: string;
  signer: ActorSigner;
  /** who the caller is in the staff register (the same check as every application command) */
  applications: ApplicationService;
  commandTimeoutMs?: number;
}

type Household = { householdId: string; villageCode: string; status: string; members: { idNumber: string }[] };

export class ChangeReportService {
  constructor(private readonly deps: ChangeReportServiceDeps) {}

  /** Outside the caller's subtree looks exactly like a household that does not exist (API.md). */
  async visibleHousehold(user: User, householdId: string): Promise<Household> {
    const h = await this.deps.prisma.household.findUnique({ where: { householdId }, include: { members: { where: { active: true }, select: { idNumber: true } } } });
    if (!h || !inSubtree(user, h.villageCode)) throw notFound(`no household ${householdId}`);
    return h;
  }

  async visibleDivision(user: User, code: string, level: 'village' | 'township'): Promise<void> {
    const d = await this.deps.prisma.division.findUnique({ where: { code } });
    // a township caseworker covers its villages; a village's assistant sees its own township's month only through its village
    const visible = level === 'township' ? inSubtree(user, code) || user.jurisdiction.startsWith(code) : inSubtree(user, code);
    if (!d || d.level !== level || !visible) throw notFound(`no ${level} ${code}`);
  }

  async reportHousehold(user: User, householdId: string, body: { month: string; changes: Change[] }, key?: string): Promise<ChangeReportsAnswer> {
    notFuture(body.month);
    const h = await this.visibleHousehold(user, householdId);
    if (h.status !== 'active') throw conflict(`household ${householdId} is ${h.status}: only recipients report changes (R-REV-03)`);
    const errors = memberErrors(h, body.changes, 'changes');
    if (errors.length) throw unprocessable('R-REV-03: a change names a member of the household', errors, { rule: 'R-REV-03' });
    return this.send(user, h.villageCode.slice(0, 9), body.month, reportHouseholdUpdate, { month: body.month, household: { householdId, villageCode: h.villageCode, changes: body.changes } }, key);
  }

  /**
   * The village's whole month: every active recipient household of the village, those reported on their own
   * earlier this month excepted, is in the report (an empty `changes`: no change). It closes the village's deadline.
   */
  async reportVillage(user: User, villageCode: string, body: { month: string; households: { householdId: string; changes: Change[] }[] }, key?: string): Promise<ChangeReportsAnswer> {
    notFuture(body.month);
    await this.visibleDivision(user, villageCode, 'village');
    const township = villageCode.slice(0, 9);
    const active = await this.deps.prisma.household.findMany({ where: { villageCode, status: 'active' }, include: { members: { where: { active: true }, select: { idNumber: true } } } });
    const byId = new Map(active.map((h) => [h.householdId, h]));
    const errors: FieldError[] = [];
    body.households.forEach((r, i) => {
      const h = byId.get(r.householdId);
      if (!h) errors.push({ path: `households[${i}].householdId`, message: `not an active recipient household of village ${villageCode}` });
      else errors.push(...memberErrors(h, r.changes, `households[${i}].changes`));
    });
    if (errors.length) throw unprocessable('R-REV-03: the report lists households of another village, or a change names a non-member', errors, { rule: 'R-REV-03' });
    const reported = new Set((await this.month(township, body.month))?.households.map((h) => h.householdId) ?? []);
    const listed = new Set(body.households.map((h) => h.householdId));
    const missing = active.map((h) => h.householdId).filter((id) => !listed.has(id) && !reported.has(id));
    if (missing.length) {
      throw unprocessable(`R-REV-03: the village reports every recipient household (an empty changes list: no change); missing: ${missing.join(', ')}`, [{ path: 'households', message: `missing ${missing.join(', ')}` }], { rule: 'R-REV-03' });
    }
    const households = body.households.map((r) => ({ householdId: r.householdId, villageCode, changes: r.changes }));
    return this.send(user, township, body.month, reportVillageUpdate, { month: body.month, villageCode, households }, key);
  }

  async checkTownship(user: User, townshipCode: string, month: string, body: { summary: string }, key?: string): Promise<ChangeReportsAnswer> {
    notFuture(month, 'path.month');
    await this.visibleDivision(user, townshipCode, 'township');
    return this.send(user, townshipCode, month, checkTownshipUpdate, { month, summary: body.summary }, key);
  }

  async view(user: User, townshipCode: string, month: string): Promise<ChangeReportsView> {
    await this.visibleDivision(user, townshipCode, 'township');
    const v = await this.month(townshipCode, month);
    if (!v) throw notFound(`no change reports of ${townshipCode} for ${month}`);
    // a village's assistant sees its own village's part
    if (user.jurisdiction.length > townshipCode.length) {
      return { ...v, villages: v.villages.filter((x) => inSubtree(user, x.villageCode)), households: v.households.filter((x) => inSubtree(user, x.villageCode)), deaths: [] };
    }
    return v;
  }

  /** The month's state, or undefined before its first report. */
  private async month(townshipCode: string, month: string): Promise<ChangeReportsView | undefined> {
    try {
      return await this.deps.client.workflow.getHandle(changeReportsWorkflowId(townshipCode, month)).query(changeReportsQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /** A signed Update of the month's workflow, starting it if this is the month's first (update-with-start). */
  private async send<I extends object>(user: User, townshipCode: string, month: string, update: UpdateDefinition<ChangeReportsAnswer, [I & { actor: unknown }]>, input: I, key?: string): Promise<ChangeReportsAnswer> {
    const actor = await this.deps.applications.registeredActor(user);
    const workflowId = changeReportsWorkflowId(townshipCode, month);
    // the same caller, month, command and Idempotency-Key is the same Update: Temporal runs it once
    const updateId = key ? commandUpdateId(user.sub, workflowId, update.name, key) : crypto.randomUUID();
    const args = [this.deps.signer.sign({ workflowId, update: update.name, updateId }, { ...input, actor })] as [I & { actor: unknown }];
    const start = new WithStartWorkflowOperation<typeof changeReports>('changeReports', {
      workflowId,
      taskQueue: this.deps.taskQueue,
      // issue 22 §1.3: the month's workflow acts only on a start this API signed
      args: [this.deps.signer.signStart({ workflowType: 'changeReports', workflowId }, { townshipCode, month })],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    try {
      const { client } = this.deps;
      return await client.withDeadline(Date.now() + (this.deps.commandTimeoutMs ?? 20_000), () => client.workflow.executeUpdateWithStart(update, { startWorkflowOperation: start, updateId, args }));
    } catch (err) {
      // the month closed (every village reported, the township checked): a change found now goes into next month
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw wrongStep('closed', `the change reports of ${townshipCode} for ${month} are closed`);
      throw err;
    }
  }
}

/** A month not yet begun has nothing to report (China time). */
function notFuture(month: string, path = 'month'): void {
  if (month > chinaDate(Date.now()).slice(0, 7)) throw badRequest('the month has not begun', [{ path, message: 'must not be after the current month' }]);
}

function memberErrors(h: Household, changes: Change[], prefix: string): FieldError[] {
  return changes.flatMap((c, i) =>
    c.memberIdNumber && !h.members.some((m) => m.idNumber === c.memberIdNumber) ? [{ path: `${prefix}[${i}].memberIdNumber`, message: `not a member of household ${h.householdId}` }] : [],
  );
}
