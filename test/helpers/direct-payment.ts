// Drives a direct payment in tests: a TEKUN (特困) recipient on the roster with their own bank account, the
// payment started as the death stop (a funeral) or the API (medical costs) starts it, its steps awaited.
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Prisma } from '../../activities/db';
import { directPayment } from '../../workflows/direct-payment/direct-payment';
import { directPaymentWorkflowId, funeralPaymentId, type DirectPaymentStartInput } from '../../workflows/direct-payment/start-input';
import type { DirectPaymentView } from '../../workflows/direct-payment/state';
import * as dm from '../../workflows/direct-payment/messages';
import { actors, member, VILLAGE } from './people';
import { TASK_QUEUE, trackWorkflow } from './temporal';

let people = 0;

/** A 78-year-old TEKUN recipient of 演示村, alone, with their own account at the agent bank (R-PAY-01). */
export async function tekunRecipient(prisma: Prisma, o: { status?: string; programme?: string } = {}) {
  const person = member('孙老汉', '1948-01-15', { relation: 'self' });
  const n = ++people;
  const householdId = `H-DP-${process.pid}-${Date.now().toString(36)}-${n}`;
  const accountNo = `62284800${String(process.pid).padStart(7, '0')}${String(n).padStart(4, '0')}`;
  await prisma.household.create({
    data: {
      householdId,
      programme: o.programme ?? 'TEKUN',
      villageCode: VILLAGE,
      townshipCode: VILLAGE.slice(0, 9),
      countyCode: VILLAGE.slice(0, 6),
      residence: 'rural',
      status: o.status ?? 'active',
      monthlyFen: 90000,
      enrolledOn: new Date('2024-05-10T00:00:00Z'),
      paymentStartMonth: '2024-06',
      reviewClass: 'annual',
      nextReviewOn: new Date('2026-05-10T00:00:00Z'),
      singlePerson: true,
      members: { create: [{ idNumber: person.idNumber, name: person.name, relation: 'self', birthDate: new Date(`${person.birthDate}T00:00:00Z`), covered: true }] },
      account: { create: { bank: '中国农业银行沁水支行', accountNo, holderIdNumber: person.idNumber, holderName: person.name, registeredOn: new Date('2024-05-10T00:00:00Z') } },
    },
  });
  return { householdId, person, accountNo };
}

export const undertaker = (accountNo = '6217000010000000001'): dm.DirectPayee => ({ type: 'undertaker', name: '演示县殡仪服务中心', bank: '中国建设银行演示支行', accountNo });
export const hospital = (accountNo = '6217000020000000002'): dm.DirectPayee => ({ type: 'hospital', name: '演示县人民医院', bank: '中国工商银行演示支行', accountNo });

let deaths = 0;

/** The funeral payment as a TEKUN recipient's death stop starts it (R-DTH-04): no payee yet. */
export function funeralStart(personIdNumber: string, householdId: string, dateOfDeath = '2026-02-20'): DirectPaymentStartInput {
  const deathStopWorkflowId = `death-stop-T${process.pid}-${Date.now().toString(36)}-${++deaths}`;
  return { paymentId: funeralPaymentId(deathStopWorkflowId), kind: 'funeral', personIdNumber, householdId, villageCode: VILLAGE, origin: { by: 'death-stop', deathStopWorkflowId, dateOfDeath } };
}

/** A medical payment as the API starts it. */
export function medicalStart(personIdNumber: string, householdId: string): DirectPaymentStartInput {
  return { paymentId: `140599-dp${process.pid}${Date.now().toString(36)}${++deaths}`, kind: 'medical', personIdNumber, householdId, villageCode: VILLAGE, origin: { by: 'api', actor: actors.caseworker.id } };
}

export type PaymentHandle = WorkflowHandle<typeof directPayment>;

export async function startDirectPayment(client: Client, input: DirectPaymentStartInput, taskQueue = TASK_QUEUE): Promise<PaymentHandle> {
  const handle = await client.workflow.start(directPayment, { args: [input], workflowId: directPaymentWorkflowId(input.paymentId), taskQueue });
  trackWorkflow(taskQueue, handle.workflowId);
  return handle;
}

export async function waitForPaymentStep(handle: PaymentHandle, step: string, timeoutMs = 30_000): Promise<DirectPaymentView> {
  const started = Date.now();
  for (;;) {
    const v = await handle.query(dm.directPaymentStateQuery);
    if (v.step === step) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`direct payment stayed in step ${v.step}, expected ${step}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const approve = (actor: (typeof actors)[keyof typeof actors], decision: 'approve' | 'reject' = 'approve'): [dm.DirectPaymentApprovalInput] => [{ actor, decision, reason: '经县民政局集体审批' }];
