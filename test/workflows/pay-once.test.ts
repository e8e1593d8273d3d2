// R-PAY-09 exactly once: the payment ledger on real PostgreSQL (a row never without its audit entry, one
// reference one payment, forward only) and the kit's payOnce in a small workflow on the time-skipping server,
// with the sandbox bank over HTTP on the bank's own queue: paid once, with a retry forced after the bank
// accepted, a settlement refused, a request refused, and a bank that does not settle in time.
import crypto from 'node:crypto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities, type Activities } from '../../activities';
import type { VerificationAgency } from '../../activities/verification/agency';
import { createCalendarSource } from '../../activities/calendar';
import { dataConverterFromEnv, FAILURE_CONVERTER_PATH } from '../../activities/crypto/data-converter';
import { externalTaskQueue } from '../../workflows/kit/external-systems';
import type { PaymentOrder } from '../../workflows/kit/payment-order';
import type { PayOnceTimings } from '../../workflows/kit/pay-once';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createTimeSkippingEnv, startTestBank, type TestBank } from '../helpers/temporal';
import { chinaDate } from '../../activities/bank/sandbox-bank';
import { payOnceFixture } from './fixtures/pay-once';

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let bank: TestBank;
let code: string;
let activities: Activities;
const quiet = { info: () => undefined, warn: () => undefined, error: console.error, debug: () => undefined, trace: () => undefined, log: () => undefined };

beforeAll(async () => {
  [env, db, bank, { code }] = await Promise.all([
    createTimeSkippingEnv(),
    createTestDatabase(),
    startTestBank(),
    bundleWorkflowCode({ workflowsPath: require.resolve('./fixtures/pay-once'), failureConverterPath: FAILURE_CONVERTER_PATH, logger: quiet }),
  ]);
  // the agency is not called here
  activities = createActivities({ prisma: db.prisma, agency: undefined as unknown as VerificationAgency, bank: bank.bank, calendar: createCalendarSource(db.prisma, 0) });
});
afterAll(async () => {
  await env?.teardown();
  await bank?.close();
  await db?.drop();
});
afterEach(() => bank.faults({ timeoutAfterAccept: 0, rejectAccounts: [], down: false, refuseLookups: 0 }));

const order = (o: Partial<PaymentOrder> = {}): PaymentOrder => {
  const paymentId = crypto.randomUUID();
  return {
    reference: `direct-payment-${paymentId}/1`,
    purpose: 'funeral',
    workflowId: `direct-payment-${paymentId}`,
    businessId: paymentId,
    subject: '王*国',
    jurisdiction: '140521100201',
    payee: { type: 'undertaker', name: '阳城县殡仪馆', bank: '阳城农商银行', accountNo: `62217${crypto.randomInt(10 ** 10, 10 ** 11)}` },
    amountFen: 250_000,
    memo: '特困人员丧葬费',
    ...o,
  };
};
const auditKeys = async (reference: string) =>
  (await db.prisma.auditEvent.findMany({ where: { eventKey: { startsWith: `payment/${reference}/` } }, orderBy: { seq: 'asc' } })).map((e) => e.eventKey);

/** Runs the fixture with a main worker (ledger) and a bank worker on the bank's queue, as worker.ts does. */
async function pay(o: PaymentOrder, timings: PayOnceTimings = { pollEvery: '1 hour', giveUpAfter: '3 days' }) {
  const taskQueue = `pay-once-${crypto.randomUUID()}`;
  const dataConverter = dataConverterFromEnv();
  const main = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: { code }, activities, dataConverter });
  const bankWorker = await Worker.create({ connection: env.nativeConnection, taskQueue: externalTaskQueue(taskQueue, 'bank'), activities, dataConverter });
  return main.runUntil(
    bankWorker.runUntil(async () => {
      const handle = await env.client.workflow.start(payOnceFixture, { workflowId: `pay-${o.reference}`, taskQueue, args: [{ order: o, timings }] });
      const result = await handle.result();
      const history = await handle.fetchHistory();
      const attempts = (history.events ?? []).flatMap((e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt ?? 1] : []));
      return { result, attempts };
    }),
  );
}

describe('R-PAY-09 the payment ledger (real PostgreSQL)', () => {
  it('R-PAY-09: preparing the same order twice leaves one row and one audit entry; the masked account is kept beside the full one', async () => {
    const o = order();
    const first = await activities.preparePayment(o);
    const again = await activities.preparePayment(o);
    expect(first).toEqual({ reference: o.reference, status: 'prepared' });
    expect(again).toEqual(first);
    const rows = await db.prisma.payment.findMany({ where: { reference: o.reference } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ accountNo: o.payee.accountNo, accountMasked: `${'*'.repeat(o.payee.accountNo.length - 4)}${o.payee.accountNo.slice(-4)}`, amountFen: o.amountFen, workflowId: o.workflowId });
    expect(await auditKeys(o.reference)).toEqual([`payment/${o.reference}/prepared`]);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { eventKey: `payment/${o.reference}/prepared` } });
    expect(JSON.stringify(audit.data)).not.toContain(o.payee.accountNo); // the audit trail never holds the full account
  });

  it('R-PAY-09: another order under the same reference is refused, non-retryable, and changes nothing', async () => {
    const o = order();
    await activities.preparePayment(o);
    await expect(activities.preparePayment({ ...o, amountFen: o.amountFen * 2 })).rejects.toMatchObject({ type: 'PaymentConflict', nonRetryable: true, message: expect.stringContaining('amountFen') });
    await expect(activities.preparePayment({ ...o, payee: { ...o.payee, accountNo: '6221700000000001' } })).rejects.toMatchObject({ type: 'PaymentConflict' });
    expect(await db.prisma.payment.findUniqueOrThrow({ where: { reference: o.reference } })).toMatchObject({ amountFen: o.amountFen, accountNo: o.payee.accountNo });
    expect(await auditKeys(o.reference)).toHaveLength(1);
  });

  it('R-PAY-09: the recorded state only moves forward: never back from paid, each status audited once', async () => {
    const o = order();
    await activities.preparePayment(o);
    await activities.recordTransferState(o.reference, { status: 'accepted', bankRef: 'BK1' });
    await activities.recordTransferState(o.reference, { status: 'paid', bankRef: 'BK1', settledOn: '2026-03-03' });
    expect(await activities.recordTransferState(o.reference, { status: 'accepted', bankRef: 'BK1' })).toMatchObject({ status: 'paid', settledOn: '2026-03-03' });
    expect(await activities.recordTransferState(o.reference, { status: 'failed', code: 'account_closed', reason: 'x' })).toMatchObject({ status: 'paid' });
    expect(await activities.recordTransferState(o.reference, { status: 'paid', bankRef: 'BK1', settledOn: '2026-03-03' })).toMatchObject({ status: 'paid' });
    expect(await auditKeys(o.reference)).toEqual([`payment/${o.reference}/prepared`, `payment/${o.reference}/accepted`, `payment/${o.reference}/paid`]);
    await expect(activities.recordTransferState('direct-payment-none/1', { status: 'paid', bankRef: 'B', settledOn: '2026-03-03' })).rejects.toMatchObject({ type: 'PaymentNotPrepared' });
  });
});

describe('R-PAY-09 payOnce (time-skipping server, sandbox bank)', () => {
  it('R-PAY-09: pays once: accepted, then paid at the next poll; one transfer at the bank, the ledger paid with an audit entry per step', async () => {
    const o = order();
    const { result } = await pay(o);
    expect(result).toMatchObject({ status: 'paid', bankRef: expect.stringMatching(/^BK/) });
    expect(await bank.transfers(o.reference)).toEqual({ count: 1, duplicates: 0 });
    expect(await db.prisma.payment.findUniqueOrThrow({ where: { reference: o.reference } })).toMatchObject({ status: 'paid', bankRef: (result as { bankRef: string }).bankRef });
    expect(await auditKeys(o.reference)).toEqual([`payment/${o.reference}/prepared`, `payment/${o.reference}/accepted`, `payment/${o.reference}/paid`]);
  });

  it('R-PAY-09: with a retry forced (the answer lost after the bank accepted), the retried activity asks first and nothing is submitted twice', async () => {
    const o = order();
    await bank.faults({ timeoutAfterAccept: 1, timeoutMode: 'drop' });
    const { result, attempts } = await pay(o);
    expect(Math.max(...attempts)).toBeGreaterThanOrEqual(2); // the transfer activity really was retried
    expect(result.status).toBe('paid');
    expect(await bank.transfers(o.reference)).toEqual({ count: 1, duplicates: 0 });
    // the same order paid again by another run: the ledger's answer, the bank not asked to pay again
    const again = await pay(o);
    expect(again.result).toEqual(result);
    expect(await bank.transfers(o.reference)).toEqual({ count: 1, duplicates: 0 });
    expect(await db.prisma.payment.count({ where: { reference: o.reference } })).toBe(1);
  });

  it('R-PAY-09: the lookup answering 400 after a timeout-after-accept is retried, not failed bank_rejected: paid, one transfer', async () => {
    const o = order();
    await bank.faults({ timeoutAfterAccept: 1, timeoutMode: 'drop', refuseLookups: 1 });
    const { result, attempts } = await pay(o);
    expect(Math.max(...attempts)).toBeGreaterThanOrEqual(3); // accepted and lost, lookup refused, then found
    expect(result).toMatchObject({ status: 'paid' });
    expect(await bank.transfers(o.reference)).toEqual({ count: 1, duplicates: 0 });
    expect(await db.prisma.payment.findUniqueOrThrow({ where: { reference: o.reference } })).toMatchObject({ status: 'paid', failureCode: null });
  });

  it('R-PAY-09: a settlement the payee bank refuses is recorded failed (account_rejected), final', async () => {
    const o = order();
    await bank.faults({ rejectAccounts: [o.payee.accountNo] });
    const { result } = await pay(o);
    expect(result).toMatchObject({ status: 'failed', code: 'account_rejected' });
    expect(await db.prisma.payment.findUniqueOrThrow({ where: { reference: o.reference } })).toMatchObject({ status: 'failed', failureCode: 'account_rejected' });
  });

  it('R-PAY-09: a request the bank refuses (an account it cannot take) is failed bank_rejected at once, no transfer made', async () => {
    const o = order({ payee: { ...order().payee, accountNo: '12345' } });
    const { result, attempts } = await pay(o);
    expect(result).toMatchObject({ status: 'failed', code: 'bank_rejected' });
    expect(attempts.filter((a) => a > 1)).toEqual([]); // not retried
    expect(await bank.transfers(o.reference)).toEqual({ count: 0, duplicates: 0 });
    expect(await db.prisma.payment.findUniqueOrThrow({ where: { reference: o.reference } })).toMatchObject({ status: 'failed', failureCode: 'bank_rejected' });
  });

  it('R-PAY-09: a transfer the bank does not settle within giveUpAfter comes back accepted, and the ledger keeps it accepted', async () => {
    const o = order();
    await bank.settleAfter(3_600_000);
    try {
      const { result } = await pay(o, { pollEvery: '6 hours', giveUpAfter: '1 day' });
      expect(result).toMatchObject({ status: 'accepted' });
    } finally {
      await bank.settleAfter(0);
    }
    expect(await db.prisma.payment.findUniqueOrThrow({ where: { reference: o.reference } })).toMatchObject({ status: 'accepted' });
    expect(await bank.transfers(o.reference)).toEqual({ count: 1, duplicates: 0 });
  });
});

describe('R-PAY-06 reconciliation against the sandbox bank', () => {
  it('R-PAY-06: the day\'s statement read on the bank queue against the ledger: a payment that agrees, one the bank never made, one the ledger has not seen settle, one the ledger never held', async () => {
    const today = chinaDate(Date.now());
    const [agrees, neverMade, unsettled, stranger] = [order(), order(), order(), order()];
    const send = ({ reference, payee, amountFen, memo }: PaymentOrder) => activities.bankTransfer({ reference, payee, amountFen, memo });
    await activities.preparePayment(agrees);
    await activities.recordTransferState(agrees.reference, await send(agrees));
    await activities.recordTransferState(agrees.reference, await activities.bankTransferStatus(agrees.reference));
    await activities.preparePayment(neverMade);
    await activities.recordTransferState(neverMade.reference, { status: 'paid', bankRef: 'BK-NEVER', settledOn: today });
    await activities.preparePayment(unsettled);
    await activities.recordTransferState(unsettled.reference, await send(unsettled)); // accepted; the bank settles it at its next look
    await send(stranger);

    const lines = await activities.bankStatement(today);
    const mine = new Set([agrees, neverMade, unsettled, stranger].map((o) => o.reference));
    const result = await activities.reconcilePayments({ date: today, lines });
    expect(result.mismatches.filter((m) => mine.has(m.reference)).map((m) => [m.reference, m.kind])).toEqual([
      [unsettled.reference, 'status_differs'],
      [stranger.reference, 'not_in_ledger'],
      [neverMade.reference, 'missing_from_statement'],
    ]);
    expect(lines.some((l) => l.reference === agrees.reference)).toBe(true);
    expect(result.mismatches.some((m) => m.reference === agrees.reference)).toBe(false);
  });
});
