// Issue 23 §2, R-PAY-09 "every payment happens exactly once", end to end as deployed: the Temporal CLI dev
// server, PostgreSQL, the sandbox bank and the worker each in their own process, payments asked for and
// approved through the API. The worker is killed (SIGKILL) while the bank holds a transfer it accepted and
// has not answered (the sandbox's `hang` fault): the bank has the money order, our ledger does not know.
// That happens to three payments, one after another, each with a new worker. Then one payment's workflow
// is reset to before its transfer. The sandbox bank counts the transfers per reference: exactly one each.
import crypto from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { token } from '../helpers/http';
import { hospital, tekunRecipient } from '../helpers/direct-payment';
import { BANK_KEY, startStack, type Stack } from '../helpers/stack';
import { directPaymentWorkflowId } from '../../workflows/direct-payment/start-input';
import { dataConverterFromEnv } from '../../activities/crypto/data-converter';

jest.setTimeout(600_000);

let db: TestDatabase;
let stack: Stack;

beforeAll(async () => {
  db = await createTestDatabase();
  stack = await startStack({ db, apiEnv: { API_COMMAND_TIMEOUT_MS: '10000' } });
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const caseworker = token('zhangmin', 'township_caseworker', '140599100', '张敏');
const approvers = [token('chenjing', 'county_approver', '140599', '陈静'), token('sunli', 'county_approver', '140599', '孙丽')];
const PAYMENTS = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function bank(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${stack.bankUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${BANK_KEY}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sandbox bank ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const transfersOf = (reference: string): Promise<{ count: number; duplicates: number }> => bank('GET', `/sandbox/transfers?reference=${encodeURIComponent(reference)}`);

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 240_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${stack.logs.slice(-30).join('\n')}`);
    await sleep(250);
  }
}

/** A medical payment asked for and approved by two county approvers (R-DIR-02, R-APP-11): it goes to the bank. */
async function approvedPayment(i: number): Promise<{ paymentId: string; reference: string }> {
  const r = await tekunRecipient(db.prisma);
  const body = { kind: 'medical', personIdNumber: r.person.idNumber, payee: hospital(), amountFen: 100_000 + i, totalCostFen: 1_000_000, insurancePaidFen: 600_000, medicalAssistancePaidFen: 250_000 };
  const created = await stack.http.request('POST', '/v1/direct-payments', { token: caseworker, body, headers: { 'Idempotency-Key': crypto.randomUUID() } });
  expect([created.status, created.body]).toEqual([201, expect.anything()]);
  const paymentId = created.body.paymentId as string;
  for (const [n, t] of approvers.entries()) {
    const vote = await stack.http.request('POST', `/v1/direct-payments/${paymentId}/approvals`, { token: t, body: { decision: 'approve', reason: '经县民政局集体审批同意' }, headers: { 'Idempotency-Key': `${paymentId}-vote-${n}` } });
    expect(vote.status).toBeLessThan(300);
  }
  return { paymentId, reference: `${directPaymentWorkflowId(paymentId)}/1` };
}

async function paymentView(paymentId: string): Promise<any> {
  const res = await stack.http.request('GET', `/v1/direct-payments/${paymentId}`, { token: caseworker });
  return res.status === 200 ? res.body : undefined;
}

describe('R-PAY-09: a payment happens exactly once, whatever crashes', () => {
  it('R-PAY-09: the worker SIGKILLed between the bank’s acceptance and our record of it, three times, and a workflow reset to before the transfer: exactly one transfer per payment at the bank', async () => {
    // every new transfer is recorded by the bank and then never answered: the worker waits on the socket
    await bank('PUT', '/sandbox/faults', { timeoutAfterAccept: PAYMENTS, timeoutMode: 'hang' });
    const payments: Array<{ paymentId: string; reference: string }> = [];
    for (let i = 0; i < PAYMENTS; i++) {
      const p = await approvedPayment(i);
      payments.push(p);
      // the bank has accepted the transfer; the worker has not heard back, so nothing recorded it yet
      await until(`the bank to accept ${p.reference}`, async () => ((await transfersOf(p.reference)).count === 1 ? true : undefined));
      const row = await db.prisma.payment.findUnique({ where: { reference: p.reference } });
      expect(row?.status).toBe('prepared');
      await stack.worker!.kill();
      await stack.startWorker();
    }

    // each payment settles with the worker that followed: its retried transfer asked the bank first
    for (const p of payments) {
      const view = await until(`${p.paymentId} to be paid`, async () => {
        const v = await paymentView(p.paymentId);
        return v?.step === 'paid' ? v : undefined;
      });
      expect(view.status).toBe('paid');
      expect(await transfersOf(p.reference)).toEqual(expect.objectContaining({ count: 1, duplicates: 0 }));
      const rows = await db.prisma.payment.findMany({ where: { businessId: p.paymentId } });
      expect(rows.map((r) => [r.reference, r.status])).toEqual([[p.reference, 'paid']]);
    }

    // a reset to before the transfer replays the payment's steps in a new run: still one transfer
    const [first] = payments;
    const connection = await Connection.connect({ address: stack.temporal.address });
    try {
      const client = new Client({ connection, dataConverter: dataConverterFromEnv() });
      const workflowId = directPaymentWorkflowId(first.paymentId);
      const handle = client.workflow.getHandle(workflowId);
      const history = await handle.fetchHistory();
      const events = history.events ?? [];
      const transfer = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'bankTransfer');
      expect(transfer).toBeDefined();
      const before = events.filter((e) => e.workflowTaskCompletedEventAttributes && Number(e.eventId) < Number(transfer!.eventId)).pop();
      const { runId: oldRun } = await handle.describe();
      const reset = await client.workflowService.resetWorkflowExecution({
        namespace: 'default',
        workflowExecution: { workflowId, runId: oldRun },
        workflowTaskFinishEventId: before!.eventId,
        requestId: crypto.randomUUID(),
        reason: 'R-PAY-09 test: reset to before the transfer',
      });
      const newRun = client.workflow.getHandle(workflowId, reset.runId!);
      await until('the reset run to finish', async () => ((await newRun.describe()).status.name === 'COMPLETED' ? true : undefined));
      const replayed = (await newRun.fetchHistory()).events ?? [];
      // the reset run really went through the transfer again (and found it at the bank)
      expect(replayed.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'bankTransfer').length).toBeGreaterThanOrEqual(1);
      expect(await transfersOf(first.reference)).toEqual(expect.objectContaining({ count: 1, duplicates: 0 }));
      expect(await db.prisma.payment.count({ where: { businessId: first.paymentId } })).toBe(1);
      expect((await paymentView(first.paymentId))?.step).toBe('paid');
    } finally {
      await connection.close();
    }

    // and the bank holds exactly the three transfers, one per payment
    const all = await bank('GET', '/sandbox/transfers');
    expect(all.count).toBe(PAYMENTS);
  });
});
