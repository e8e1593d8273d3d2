// Applications: the API side of the application workflow. Reads come from the PostgreSQL projection;
// commands go to the workflow as Updates, which answer compactly (issue 16 API4), and return the case
// from the projection once it holds the update's revision.
import crypto from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Prisma } from '../../activities/db';
import { createPublicityArchive } from '../../activities/application/publicity-archive';
import { resolvePolicy, PolicyNotResolvable } from '../../activities/policy';
import type { application } from '../../workflows/application/application';
import type { ApplicationInput, ApplicationView } from '../../workflows/application/state';
import { intakeReceiptUpdate, stateQuery, type Command, type StaffFact, type UpdateAnswer } from '../../workflows/application/messages';
import { COUNTY_VISITOR_ROLES, INVESTIGATOR_ROLES, namedStaff, TOWNSHIP_LEVEL } from '../../workflows/steps/staff';
import { chinaDate } from '../../workflows/rules/dates';
import { canonicalStaffId } from '../../workflows/rules/recusal';
import type { Actor } from '../../workflows/rules/types';
import { actorOf, inSubtree, type User } from '../auth';
import { checkReceivedOn } from '../../workflows/rules/received-on';
import { badRequest, conflict, forbidden, fromWorkflowFailure, notFound, unavailable, unprocessable } from '../problems';
import type { IdempotencyStore } from '../idempotency';
import type { RateLimits } from '../rate-limit';
import type { ActorSigner } from '../actor-signing';
import { keysetPage } from '../paging';
import type { CreateApplication } from './schemas';
import type { ServerTiming } from '../server-timing';
import { CommandPath, type ReadModel } from '../kind-commands';
import type { PolicyParams } from '../../workflows/rules/policy';
import { refuseDuplicates } from './duplicates';

export interface ApplicationServiceDeps {
  prisma: Prisma;
  client: Client;
  taskQueue: string;
  /** how long a command waits for the workflow before answering 503 */
  commandTimeoutMs?: number;
  /** where an intake under an Idempotency-Key keeps its case id (so a retry reaches the same case) */
  idempotency?: IdempotencyStore;
  /** API4: duplicate refusals are rate-limited per user */
  limits?: RateLimits;
  /** API1: signs every command, so the workflow takes only what passed this API (issue 16) */
  signer: ActorSigner;
}

const CLOSED_STEPS = ['enrolled', 'withdrawn'];
/** how long a command's answer waits for the projection to reach its revision: 20 × 50 ms */
const PROJECTION_ATTEMPTS = 20;
const PROJECTION_RETRY_MS = 50;
export const workflowIdFor = (caseId: string) => `application-${caseId}`;
/** One intake per case: a retried intake (same case id) is the same Update, answered once. */
export const INTAKE_UPDATE_ID = 'intake';

// the Update id of a command under an Idempotency-Key: the one command path's (issue 11 §1)
export { commandUpdateId } from '../kind-commands';

export class ApplicationService {
  private readonly timeoutMs: number;

  private readonly path: CommandPath;

  constructor(private readonly deps: ApplicationServiceDeps) {
    this.timeoutMs = deps.commandTimeoutMs ?? 20_000;
    this.path = new CommandPath({
      client: deps.client,
      signer: deps.signer,
      timeoutMs: this.timeoutMs,
      registeredActor: (u) => this.registeredActor(u),
      staffFacts: (u, i) => this.staffFacts(u, i),
      checkStaff: (v, ids, f) => this.checkStaff(v, ids, f),
    });
  }

  /** The one command path (issue 22 §1.5), for the routes of other kinds. */
  commandPath(): CommandPath {
    return this.path;
  }

  /** R-SEC-01: the intake's village is in the caller's subtree (checked before any Idempotency-Key replay too). */
  async authorizeCreate(user: User, body: CreateApplication): Promise<void> {
    if (!inSubtree(user, body.villageCode)) {
      throw forbidden(`village ${body.villageCode} is outside your jurisdiction ${user.jurisdiction}`, [{ path: 'villageCode', message: 'outside your jurisdiction' }]);
    }
  }

  /** POST /v1/applications: checks what only the database knows, then starts the workflow and waits for its receipt. */
  async create(user: User, body: CreateApplication, idempotencyKey?: string, timing?: ServerTiming): Promise<ApplicationView> {
    const { prisma } = this.deps;
    await this.authorizeCreate(user, body);
    const today = chinaDate(Date.now());
    // one case id per Idempotency-Key, kept across attempts: a retry after a timeout or a crash reaches the
    // case the first attempt started (update-with-start, USE_EXISTING) instead of a second one
    const fresh = newCaseId(body.villageCode.slice(0, 6));
    // issue 21 §4: the reads are independent, so they go together (one wait, not four); their refusals
    // are still taken in the order below. A refused request's key keeps its case id: harmless, as a
    // retry under the same key is meant to reach the same case anyway.
    const [actorRead, villageRead, policyRead, caseIdRead] = await Promise.allSettled([
      this.registeredActor(user),
      prisma.division.findUnique({ where: { code: body.villageCode } }),
      this.requireStandards(body.villageCode, body.programme, body.household.residence, today),
      idempotencyKey && this.deps.idempotency ? this.deps.idempotency.caseIdFor(user.sub, idempotencyKey, fresh) : fresh,
    ]);
    const actor = settled(actorRead);
    const village = settled(villageRead);
    if (!village || village.level !== 'village') throw badRequest('unknown village code', [{ path: 'villageCode', message: 'not a registered village' }]);
    if (body.receivedOn && body.receivedOn > today) {
      throw badRequest('receivedOn is in the future', [{ path: 'receivedOn', message: 'must not be after today' }]);
    }
    const policy = settled(policyRead);
    // R-APP-12: a paper application's date lies at most receivedOnMaxDays before its entry; within the
    // bound it is kept as it stands (the case may be overdue at once) and the intake's audit entry
    // (application.received) records it with who entered it
    if (body.receivedOn) {
      const r = checkReceivedOn(body.receivedOn, today, policy.receivedOnMaxDays);
      if (!r.ok) throw unprocessable(`${r.rule}: ${r.message}`, [{ path: r.path, message: r.message }], { rule: r.rule });
    }
    const ids = body.household.members.map((m) => m.idNumber);
    const caseId = settled(caseIdRead);
    timing?.mark('checks');
    await refuseDuplicates(this.deps, user, ids, caseId, body.villageCode);
    timing?.mark('duplicates');

    const input: ApplicationInput = {
      caseId,
      programme: body.programme,
      villageCode: body.villageCode,
      receivedOn: body.receivedOn,
      household: body.household,
      materials: body.materials,
      nearRelativeDeclaration: body.nearRelativeDeclaration,
      account: body.account,
      actor,
    };
    const workflowId = workflowIdFor(caseId);
    const start = new WithStartWorkflowOperation<typeof application>('application', {
      workflowId,
      taskQueue: this.deps.taskQueue,
      // issue 22 §1.3: the workflow acts only on a start this API signed (workflows/kit/start-signature.ts)
      args: [this.deps.signer.signStart({ workflowType: 'application', workflowId }, input)],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    try {
      const answer = await this.deps.client.withDeadline(Date.now() + this.timeoutMs, () =>
        this.deps.client.workflow.executeUpdateWithStart(intakeReceiptUpdate, { startWorkflowOperation: start, updateId: INTAKE_UPDATE_ID }),
      );
      timing?.mark('workflow');
      const view = await this.caseAt(answer);
      timing?.mark('projection');
      return view;
    } catch (err) {
      // the same request again after its case has already finished: answer with the case as it is
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        const row = await prisma.case.findUnique({ where: { caseId } });
        if (row) return row.view as unknown as ApplicationView;
        throw conflict('this request was refused before (a member had an open application): file it again with a new Idempotency-Key');
      }
      // lost a race with another intake for the same person: answer as the early check would
      const refusal = fromWorkflowFailure(err);
      if (refusal?.status === 409) {
        await refuseDuplicates(this.deps, user, ids, caseId, body.villageCode);
        throw conflict('a member of this household already has an open application');
      }
      throw err;
    }
  }

  /** R-POL: a county must have set its standards before its cases can be accounted (R-APP-05). */
  private async requireStandards(villageCode: string, programme: string, residence: 'urban' | 'rural', today: string): Promise<PolicyParams> {
    let p;
    try {
      p = (await resolvePolicy(this.deps.prisma, villageCode, today)).params;
    } catch (err) {
      if (err instanceof PolicyNotResolvable) throw unavailable(`policy not configured: ${err.message}`);
      throw err;
    }
    if (p.dibaoStandardFen[residence] === null || (programme === 'TEKUN' && p.tekunStandardFen[residence] === null)) {
      throw unavailable(`policy not configured: no ${residence} standard is set for ${villageCode.slice(0, 6)} (npm run policy -- set …)`);
    }
    return p;
  }

  /** The application's read model for the kind-generic routes (the audit trail, issue 22 §1.5). */
  readModel(): ReadModel<ApplicationView> {
    return {
      kind: 'application',
      visible: (user, id) => this.visibleCase(user, id),
      closed: (row) => CLOSED_STEPS.includes(row.step) || (row.status !== 'open' && row.step !== 'rejected'),
      at: (answer) => this.caseAt(answer),
    };
  }

  async visibleCase(user: User, caseId: string) {
    const row = await this.deps.prisma.case.findUnique({ where: { caseId } });
    // outside the caller's subtree looks exactly like a case that does not exist (API.md)
    if (!row || !inSubtree(user, row.villageCode)) throw notFound(`no case ${caseId}`);
    return row;
  }

  async get(user: User, caseId: string) {
    const row = await this.visibleCase(user, caseId);
    const events = await this.deps.prisma.auditEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' }, take: 1000 });
    return {
      ...(row.view as unknown as ApplicationView),
      // R-APP-10: what each publicity round posted (masked, R-SUP-04), where and when
      publicityArchive: await createPublicityArchive(this.deps.prisma).entries(caseId),
      history: events.map((e) => ({ seq: e.seq.toString(), at: e.at.toISOString(), actor: e.actor, actorRole: e.actorRole, action: e.action, reason: e.reason, data: e.data })),
    };
  }

  /** `cursor`: the case id the page continues after (decoded from its opaque form by the query schema) */
  async list(user: User, q: { jurisdiction?: string; step?: string; overdue?: string; limit: number; cursor?: string }) {
    const scope = q.jurisdiction ?? user.jurisdiction;
    if (!inSubtree(user, scope)) return { items: [], nextCursor: null };
    const rows = await this.deps.prisma.case.findMany({
      where: {
        villageCode: { startsWith: scope },
        ...(q.step ? { step: q.step } : {}),
        ...(q.overdue ? { overdue: q.overdue === 'true' } : {}),
        ...(q.cursor ? { caseId: { gt: q.cursor } } : {}),
      },
      orderBy: { caseId: 'asc' },
      take: q.limit + 1,
    });
    return keysetPage(
      'applications',
      rows,
      q.limit,
      (r) => r.caseId,
      (r) => ({
        caseId: r.caseId,
        programme: r.programme,
        villageCode: r.villageCode,
        status: r.status,
        step: r.step,
        assignee: r.assignee,
        decisionDueOn: r.decisionDueOn?.toISOString().slice(0, 10) ?? null,
        overdue: r.overdue,
        updatedAt: r.updatedAt.toISOString(),
      }),
    );
  }

  /**
   * Early answers (the workflow checks the same on the signed facts, issue 21 §2). Investigators and
   * visitors must be registered, active staff (canonical ids: a made-up or re-cased id
   * would let one person count as two) with the role and jurisdiction the rule asks for:
   * - investigators (R-APP-04): township or village staff of the case's own township, one of township level;
   * - visitors (R-APP-08): county civil-affairs staff (caseworkers, approvers) of the case's county.
   * Unknown ids are 400; known staff who may not take part are 422 naming the field and the rule.
   */
  async checkStaff(villageCode: string, ids: string[], field: string): Promise<void> {
    const found = await this.deps.prisma.staffMember.findMany({ where: { staffId: { in: ids.map(canonicalStaffId) } } });
    const unknown = ids.flatMap((id, i) => (found.some((f) => f.staffId === canonicalStaffId(id)) ? [] : [{ path: `${field}[${i}]`, message: `${id} is not registered staff` }]));
    if (unknown.length) throw badRequest(`${unknown.length} unknown staff`, unknown);
    const rule = field === 'visitors' ? 'R-APP-08' : 'R-APP-04';
    const township = villageCode.slice(0, 9);
    const county = villageCode.slice(0, 6);
    const staff = ids.map((id) => found.find((f) => f.staffId === canonicalStaffId(id))!);
    const errors = staff.flatMap((s, i) => {
      const path = `${field}[${i}]`;
      if (!s.active) return [{ path, message: `${s.staffId} is not active staff` }]; // issue 21 §2.3
      if (rule === 'R-APP-08') {
        if (!COUNTY_VISITOR_ROLES.includes(s.role)) return [{ path, message: `${s.staffId} is ${s.role}: the county's visit is by county civil-affairs staff` }];
        if (s.jurisdiction !== county) return [{ path, message: `${s.staffId} is not staff of county ${county}` }];
        return [];
      }
      if (!INVESTIGATOR_ROLES.includes(s.role)) return [{ path, message: `${s.staffId} is ${s.role}: investigators are township or village staff (county approvers and supervisors never are)` }];
      if (!s.jurisdiction.startsWith(township) || !villageCode.startsWith(s.jurisdiction)) return [{ path, message: `${s.staffId} is not staff of this case's township ${township}` }];
      return [];
    });
    if (!errors.length && rule === 'R-APP-04' && !staff.some((s) => TOWNSHIP_LEVEL.includes(s.role))) {
      errors.push({ path: field, message: 'at least one investigator is township staff (乡、村两级)' });
    }
    if (errors.length) throw unprocessable(`${rule}: ${errors.length === 1 ? errors[0].message : `${errors.length} staff may not take part`}`, errors, { rule });
  }

  /**
   * Issue 21 §2: the register's facts (role, jurisdiction, active) of every person the command names, signed
   * with it: the workflow applies R-APP-04/08/11 to them itself. Unknown people are 400 naming the field.
   */
  async staffFacts(update: string, input: object): Promise<{ staff?: StaffFact[] }> {
    const named = namedStaff(update, input);
    if (!named.length) return {};
    const ids = [...new Set(named.map((n) => canonicalStaffId(n.id)))];
    const rows = await this.deps.prisma.staffMember.findMany({ where: { staffId: { in: ids } }, orderBy: { staffId: 'asc' } });
    const unknown = named.filter((n) => !rows.some((r) => r.staffId === canonicalStaffId(n.id))).map((n) => ({ path: n.path, message: `${n.id} is not registered staff` }));
    if (unknown.length) throw badRequest(`${unknown.length} unknown staff`, unknown);
    return { staff: rows.map((r) => ({ id: r.staffId, role: r.role, jurisdiction: r.jurisdiction, active: r.active })) };
  }

  /**
   * R-APP-09, R-SEC-01: every acting token is an active registered staff member (its `sub` compared
   * canonically) whose register role is the token's and whose register jurisdiction covers the token's.
   * The actor the workflow sees carries the register's canonical id, so recusal and "distinct" compare it.
   */
  async registeredActor(user: User): Promise<Actor> {
    const staff = await this.deps.prisma.staffMember.findUnique({ where: { staffId: canonicalStaffId(user.sub) } });
    if (!staff || !staff.active) throw forbidden(`${user.sub} is not active registered staff`);
    if (staff.role !== user.role) throw forbidden(`${user.sub} is registered as ${staff.role}, not ${user.role}`);
    if (!user.jurisdiction.startsWith(staff.jurisdiction)) throw forbidden(`${user.sub} is registered for ${staff.jurisdiction}, which does not cover ${user.jurisdiction}`);
    return { ...actorOf(user), id: staff.staffId };
  }

  /** Sends a command to the case's workflow and returns the state after it; `staff` names people the command involves (the one command path, issue 22 §1.5). */
  async command<I extends Command>(
    user: User,
    caseId: string,
    update: UpdateDefinition<UpdateAnswer, [I]>,
    input: Omit<I, 'actor'>,
    idempotencyKey?: string,
    staff?: { field: string; ids: string[] },
    /** an earlier attempt under this Idempotency-Key began and did not finish */
    resumed = false,
  ): Promise<ApplicationView> {
    return this.path.send(this.readModel(), user, caseId, update, input, { idempotencyKey, staff, resumed });
  }

  /**
   * The case as API.md answers a command with it, read from the projection (issue 16 API4: updates answer
   * only caseId, step, revision and what changed; a case on the frozen v1 answers its whole view, read the
   * same way). The update answers after the write, so the projection holds its revision at once unless
   * the flow has moved on meanwhile (then its next write follows shortly); failing that, the workflow's
   * own state query answers.
   */
  private async caseAt(answer: UpdateAnswer): Promise<ApplicationView> {
    for (let attempt = 0; attempt < PROJECTION_ATTEMPTS; attempt++) {
      const row = await this.deps.prisma.case.findUnique({ where: { caseId: answer.caseId }, select: { view: true, revision: true } });
      if (row && Number(row.revision) >= answer.revision) return row.view as unknown as ApplicationView;
      await new Promise((r) => setTimeout(r, PROJECTION_RETRY_MS));
    }
    return this.deps.client.workflow.getHandle(workflowIdFor(answer.caseId)).query(stateQuery);
  }
}

/** The value of a read made alongside others, or its refusal, taken in the caller's order. */
function settled<T>(r: PromiseSettledResult<T>): T {
  if (r.status === 'rejected') throw r.reason;
  return r.value;
}

/**
 * The county, then 64 random bits: nothing a caller can predict (issue 16: ids derived from the caller's
 * key were guessable) and nothing that depends on the date (a retry after midnight reaches the same case,
 * since the id is stored with the Idempotency-Key).
 */
export function newCaseId(county: string): string {
  return `${county}-${crypto.randomBytes(8).toString('hex')}`;
}
