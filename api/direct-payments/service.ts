// Direct payments (R-DIR-01/02): the API side of the direct-payment workflow. Reads come from the
// `direct_payment` projection; a request either starts a medical payment (update-with-start, one payment id
// per Idempotency-Key, which the route requires: R-PAY-09) or gives the payee and amount of the
// funeral payment the death stop started (one per person); votes and corrections go through the one
// command path (api/kind-commands.ts).
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Prisma } from '../../activities/db';
import { resolvePolicy } from '../../activities/policy';
import { payeeRefusal } from '../../activities/direct-payment/payee-screen';
import { rosterPerson } from '../../activities/direct-payment/direct-payment-activities';
import type { UpdateAnswer } from '../../workflows/kit/command';
import type { directPayment } from '../../workflows/direct-payment/direct-payment';
import { directPaymentWorkflowId, DIRECT_PAYMENT_WORKFLOW_TYPE, type DirectPaymentStartInput } from '../../workflows/direct-payment/start-input';
import { directPaymentStateQuery, requestPaymentUpdate, type PaymentRequestInput } from '../../workflows/direct-payment/messages';
import type { DirectPaymentView } from '../../workflows/direct-payment/state';
import { funeralIssues, personRefusal } from '../../workflows/rules/direct-payment';
import { chinaDate } from '../../workflows/rules/dates';
import { maskIdNumber } from '../../workflows/rules/id-number';
import { inSubtree, type User } from '../auth';
import type { ActorSigner } from '../actor-signing';
import type { IdempotencyStore } from '../idempotency';
import { commandUpdateId, type CommandPath, type KindRow, type ReadModel } from '../kind-commands';
import { newCaseId, type ApplicationService } from '../applications/service';
import { conflict, notFound, unprocessable } from '../problems';
import { keysetPage } from '../paging';
import { SEES_ID_NUMBERS } from '../roster/service';
import type { CreateDirectPayment } from './schemas';

const PROJECTION_ATTEMPTS = 20;
const PROJECTION_RETRY_MS = 50;

export interface DirectPaymentServiceDeps {
  prisma: Prisma;
  client: Client;
  taskQueue: string;
  signer: ActorSigner;
  idempotency: IdempotencyStore;
  applications: ApplicationService;
  path: CommandPath;
  commandTimeoutMs: number;
}

export class DirectPaymentService implements ReadModel<DirectPaymentView> {
  readonly kind = 'direct payment';
  constructor(private readonly deps: DirectPaymentServiceDeps) {}

  async visible(user: User, paymentId: string): Promise<KindRow> {
    const row = await this.deps.prisma.directPayment.findUnique({ where: { paymentId } });
    if (!row || !inSubtree(user, row.villageCode)) throw notFound(`no direct payment ${paymentId}`);
    return row;
  }

  closed(row: KindRow): boolean {
    return row.status !== 'open';
  }

  async at(answer: UpdateAnswer, row: KindRow, user?: User): Promise<DirectPaymentView> {
    for (let attempt = 0; attempt < PROJECTION_ATTEMPTS; attempt++) {
      const r = await this.deps.prisma.directPayment.findUnique({ where: { paymentId: answer.caseId }, select: { view: true, revision: true } });
      if (r && Number(r.revision) >= answer.revision) return shown(r.view as unknown as DirectPaymentView, user);
      await new Promise((res) => setTimeout(res, PROJECTION_RETRY_MS));
    }
    return shown(await this.deps.client.workflow.getHandle(row.workflowId).query(directPaymentStateQuery), user);
  }

  /**
   * POST /v1/direct-payments: what only the database knows first (422: the person is a TEKUN recipient in the
   * caller's subtree, the funeral standard, the payee is no recipient's account and no staff member), then
   * the workflow: a funeral's request goes to the payment the death stop started (409 when no death is
   * recorded), a medical one starts a new payment.
   */
  async create(user: User, body: CreateDirectPayment, key: string, resumed = false): Promise<DirectPaymentView> {
    const { prisma } = this.deps;
    const person = await rosterPerson(prisma, body.personIdNumber);
    // the death is checked below: a funeral's request goes to the payment the death stop started, or is refused
    const deathChecked = body.kind === 'funeral' ? 'checked below' : undefined;
    if (!person || !inSubtree(user, person.villageCode) || personRefusal(body.kind, person, deathChecked)) {
      throw unprocessable('R-DIR-01/02: a direct payment is for a TEKUN (特困) recipient in your jurisdiction', [{ path: 'personIdNumber', message: 'not a TEKUN recipient on the roster of your jurisdiction' }], { rule: body.kind === 'funeral' ? 'R-DIR-01' : 'R-DIR-02' });
    }
    const policy = await resolvePolicy(prisma, person.villageCode, chinaDate(Date.now()));
    const over = funeralIssues(body.kind, body, policy.params);
    if (over.length) throw unprocessable(over[0].message, over, { rule: 'R-DIR-01' });
    const refused = await payeeRefusal(prisma, body.payee);
    if (refused) throw unprocessable(refused.message, [refused], { rule: 'R-DIR-01' });
    const { kind: _k, personIdNumber: _p, ...request } = body;
    if (body.kind === 'funeral') {
      const row = await prisma.directPayment.findUnique({ where: { funeralPerson: body.personIdNumber } });
      if (!row) throw conflict('R-DTH-04: no death is recorded for this person: the funeral payment starts with the death stop (POST /v1/death-records)', { rule: 'R-DTH-04' });
      return this.deps.path.send(this, user, row.paymentId, requestPaymentUpdate, request, { idempotencyKey: key, resumed });
    }
    return this.startMedical(user, body, person, request, key);
  }

  private async startMedical(user: User, body: CreateDirectPayment, person: { villageCode: string; householdId: string }, request: Omit<PaymentRequestInput, 'actor'>, key: string): Promise<DirectPaymentView> {
    const { prisma, client } = this.deps;
    const actor = await this.deps.applications.registeredActor(user);
    // R-PAY-09: one payment id per Idempotency-Key (required on this route), kept across attempts (as intake's case id)
    const paymentId = await this.deps.idempotency.caseIdFor(user.sub, key, newCaseId(person.villageCode.slice(0, 6)));
    const workflowId = directPaymentWorkflowId(paymentId);
    const input: DirectPaymentStartInput = { paymentId, kind: 'medical', personIdNumber: body.personIdNumber, householdId: person.householdId, villageCode: person.villageCode, origin: { by: 'api', actor: actor.id } };
    const updateId = commandUpdateId(user.sub, paymentId, requestPaymentUpdate.name, key);
    const start = new WithStartWorkflowOperation<typeof directPayment>(DIRECT_PAYMENT_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: this.deps.taskQueue,
      // issue 22 §1.3: the workflow acts only on a start this API signed
      args: [this.deps.signer.signStart({ workflowType: DIRECT_PAYMENT_WORKFLOW_TYPE, workflowId }, input)],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    const args = [this.deps.signer.sign({ workflowId, update: requestPaymentUpdate.name, updateId }, { ...request, actor })] as [PaymentRequestInput];
    try {
      const answer = await client.withDeadline(Date.now() + this.deps.commandTimeoutMs, () => client.workflow.executeUpdateWithStart(requestPaymentUpdate, { startWorkflowOperation: start, updateId, args }));
      return await this.at(answer, { workflowId, villageCode: person.villageCode, step: answer.step, status: answer.status }, user);
    } catch (err) {
      // the same request again after its payment has finished: answer with the payment as it is
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        const row = await prisma.directPayment.findUnique({ where: { paymentId } });
        if (row) return shown(row.view as unknown as DirectPaymentView, user);
      }
      throw err;
    }
  }

  async get(user: User, paymentId: string) {
    await this.visible(user, paymentId);
    const row = await this.deps.prisma.directPayment.findUniqueOrThrow({ where: { paymentId } });
    const events = await this.deps.prisma.auditEvent.findMany({ where: { caseId: paymentId }, orderBy: { seq: 'asc' }, take: 1000 });
    return {
      ...shown(row.view as unknown as DirectPaymentView, user),
      timeline: events.map((e) => ({ seq: e.seq.toString(), at: e.at.toISOString(), actor: e.actor, actorRole: e.actorRole, action: e.action, reason: e.reason, data: e.data })),
    };
  }

  /** Open direct payments in the caller's subtree, by kind, step and due date, paged by an opaque cursor. */
  async list(user: User, q: { jurisdiction?: string; kind?: string; step?: string; dueBefore?: string; limit: number; cursor?: string }) {
    const scope = q.jurisdiction ?? user.jurisdiction;
    if (!inSubtree(user, scope)) return { items: [], nextCursor: null };
    const rows = await this.deps.prisma.directPayment.findMany({
      where: {
        villageCode: { startsWith: scope },
        status: 'open',
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.step ? { step: q.step } : {}),
        ...(q.dueBefore ? { dueOn: { lt: new Date(`${q.dueBefore}T00:00:00Z`) } } : {}),
        ...(q.cursor ? { paymentId: { gt: q.cursor } } : {}),
      },
      orderBy: { paymentId: 'asc' },
      take: q.limit + 1,
    });
    return keysetPage(
      'direct-payments',
      rows,
      q.limit,
      (r) => r.paymentId,
      (r) => ({
        paymentId: r.paymentId,
        kind: r.kind,
        householdId: r.householdId,
        villageCode: r.villageCode,
        step: r.step,
        status: r.status,
        assignee: r.assignee,
        amountFen: r.amountFen,
        reference: r.reference,
        bankRef: r.bankRef,
        dueOn: r.dueOn?.toISOString().slice(0, 10) ?? null,
        updatedAt: r.updatedAt.toISOString(),
      }),
    );
  }
}

/** As for households and death stops: staff who act on the person see the ID number, readers and village assistants masked. */
function shown(view: DirectPaymentView, user?: User): DirectPaymentView {
  if (user && SEES_ID_NUMBERS.includes(user.role)) return view;
  return { ...view, personIdNumber: maskIdNumber(view.personIdNumber) };
}
