// The agent bank (R-PAY-01, R-PAY-06, R-PAY-09): the sandbox's protocol over real HTTP, the client against
// it (errors classified for Temporal), its injected faults, and the bank activity that asks before it submits.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BankRejectedError, type BankAdapter, type TransferRequest } from '../../activities/bank/adapter';
import { createBankActivities } from '../../activities/bank/bank-activities';
import { HttpBank } from '../../activities/bank/http-bank';
import { UNKNOWN_TRANSFER } from '../../activities/bank/protocol';
import { chinaDate, startSandboxBank } from '../../activities/bank/sandbox-bank';
import { startTestBank, type TestBank } from '../helpers/temporal';

let tb: TestBank;
beforeAll(async () => {
  tb = await startTestBank();
});
afterAll(() => tb?.close());
afterEach(() => tb.faults({ timeoutAfterAccept: 0, timeoutMode: 'drop', rejectAccounts: [], down: false, refuseLookups: 0 }));

const account = () => `62220${crypto.randomInt(10 ** 9, 10 ** 10)}`;
const transfer = (o: Partial<TransferRequest> = {}): TransferRequest => ({
  reference: `direct-payment-${crypto.randomUUID()}/1`,
  payee: { type: 'undertaker', name: '县殡仪馆', bank: '农村信用社', accountNo: account() },
  amountFen: 180_000,
  memo: '特困丧葬费',
  ...o,
});
const post = (body: unknown, key?: string, apiKey = 'test-bank-key') =>
  fetch(`${tb.url}/v1/transfers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  });
const get = (p: string) => fetch(`${tb.url}${p}`, { headers: { authorization: 'Bearer test-bank-key' } });

describe('the sandbox bank protocol', () => {
  it('R-PAY-09: a reference submitted twice is one transfer: 201 then 200 with the same bank reference, counted as a duplicate', async () => {
    const t = transfer();
    const first = await post(t, t.reference);
    expect(first.status).toBe(201);
    const a = (await first.json()) as { bankRef: string };
    expect(a).toMatchObject({ reference: t.reference, status: 'accepted' });
    const again = await post(t, t.reference);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { bankRef: string }).bankRef).toBe(a.bankRef);
    expect(await tb.transfers(t.reference)).toEqual({ count: 1, duplicates: 1 });
  });

  it('R-PAY-09: the same reference with another amount is refused (422), never a second transfer; a key other than the reference is 400', async () => {
    const t = transfer();
    expect((await post(t, t.reference)).status).toBe(201);
    const other = await post({ ...t, amountFen: t.amountFen + 1 }, t.reference);
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await post(t, 'something-else')).status).toBe(400);
    expect((await post(t)).status).toBe(400);
    expect((await tb.transfers(t.reference)).count).toBe(1);
  });

  it('R-PAY-09: a reference the bank never received is 404 with the unknown-transfer type, and the client reads it as unknown', async () => {
    const res = await get(`/v1/transfers/${encodeURIComponent('direct-payment-none/1')}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { type: string }).type).toBe(UNKNOWN_TRANSFER);
    expect(await tb.bank.transferStatus('direct-payment-none/1')).toEqual({ status: 'unknown' });
  });

  it('R-PAY-01: settlement is asynchronous: accepted on submission, paid at the next look (no delay), still accepted within a delay', async () => {
    const t = transfer();
    const state = await tb.bank.submitTransfer(t);
    expect(state.status).toBe('accepted');
    const paid = await tb.bank.transferStatus(t.reference);
    expect(paid).toEqual({ status: 'paid', bankRef: (state as { bankRef: string }).bankRef, settledOn: chinaDate(Date.now()) });

    await tb.settleAfter(60_000);
    try {
      const later = transfer();
      await tb.bank.submitTransfer(later);
      expect((await tb.bank.transferStatus(later.reference)).status).toBe('accepted');
    } finally {
      await tb.settleAfter(0);
    }
  });

  it('R-PAY-06: the statement of a value date lists the transfers settled that day, a rejected account as returned; another day lists none of them', async () => {
    const paid = transfer();
    const rejected = transfer();
    await tb.faults({ rejectAccounts: [rejected.payee.accountNo] });
    await tb.bank.submitTransfer(paid);
    await tb.bank.submitTransfer(rejected);
    expect(await tb.bank.transferStatus(rejected.reference)).toMatchObject({ status: 'failed', code: 'account_rejected' });
    const today = chinaDate(Date.now());
    const lines = (await tb.bank.statement(today)).filter((l) => [paid.reference, rejected.reference].includes(l.reference));
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reference: paid.reference, amountFen: paid.amountFen, status: 'paid', valueDate: today }),
        expect.objectContaining({ reference: rejected.reference, status: 'returned', valueDate: today }),
      ]),
    );
    expect(lines).toHaveLength(2);
    expect((await tb.bank.statement('2000-01-01')).filter((l) => l.reference === paid.reference)).toEqual([]);
    await expect(tb.bank.statement('yesterday')).rejects.toBeInstanceOf(BankRejectedError);
  });

  it('R-PAY-09: batches are idempotent by batch id, each line a transfer by its reference', async () => {
    const lines = [transfer(), transfer()].map((t, i) => ({ ...t, lineId: String(i + 1) }));
    const batchId = `roll-${crypto.randomUUID()}`;
    expect(await tb.bank.submitBatch({ batchId, lines })).toEqual({ batchId, accepted: 2 });
    expect(await tb.bank.submitBatch({ batchId, lines })).toEqual({ batchId, accepted: 2 });
    const status = await tb.bank.batchStatus(batchId);
    expect(status.lines.map((l) => [l.lineId, l.reference, l.state.status])).toEqual([
      ['1', lines[0].reference, 'paid'],
      ['2', lines[1].reference, 'paid'],
    ]);
    for (const l of lines) expect((await tb.transfers(l.reference)).count).toBe(1);
    await expect(tb.bank.submitBatch({ batchId, lines: lines.slice(1) })).rejects.toBeInstanceOf(BankRejectedError);
  });

  it('R-PAY-09: a restart keeps every transfer (state file written atomically under the given path)', async () => {
    const stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bank-')), 'bank-state.json');
    const t = transfer();
    let server = await startSandboxBank({ apiKey: 'k', settleDelayMs: 0, port: 0, stateFile });
    const before = await new HttpBank({ baseUrl: server.url, apiKey: 'k' }).submitTransfer(t);
    await server.close();
    server = await startSandboxBank({ apiKey: 'k', settleDelayMs: 0, port: 0, stateFile });
    try {
      const client = new HttpBank({ baseUrl: server.url, apiKey: 'k' });
      expect(await client.transferStatus(t.reference)).toMatchObject({ status: 'paid', bankRef: (before as { bankRef: string }).bankRef });
      expect(await client.submitTransfer(t)).toMatchObject({ bankRef: (before as { bankRef: string }).bankRef });
    } finally {
      await server.close();
    }
  });
});

describe('the client: errors for Temporal, and the injected faults', () => {
  it('R-PAY-01: a request the bank refuses (400) is a BankRejectedError (final); a wrong key (401) and a bank down (503) are transient', async () => {
    const bad = tb.bank.submitTransfer(transfer({ amountFen: 0 }));
    await expect(bad).rejects.toBeInstanceOf(BankRejectedError);
    await expect(bad).rejects.toMatchObject({ name: 'BankRejected', status: 400 });

    const wrongKey = new HttpBank({ baseUrl: tb.url, apiKey: 'wrong' }).transferStatus('x/1');
    await expect(wrongKey).rejects.toThrow(/401/);
    await expect(wrongKey).rejects.not.toBeInstanceOf(BankRejectedError);

    await tb.faults({ down: true });
    const down = tb.bank.submitTransfer(transfer());
    await expect(down).rejects.toThrow(/503/);
    await expect(down).rejects.not.toBeInstanceOf(BankRejectedError);
  });

  it('R-PAY-09: a timeout after acceptance (connection dropped, or no answer) is transient, and the bank holds the transfer', async () => {
    for (const timeoutMode of ['drop', 'hang'] as const) {
      await tb.faults({ timeoutAfterAccept: 1, timeoutMode });
      const t = transfer();
      const lost = tb.bank.submitTransfer(t); // the test client gives up after 2 s
      await expect(lost).rejects.toThrow(/unreachable/);
      await expect(lost).rejects.not.toBeInstanceOf(BankRejectedError);
      expect(await tb.transfers(t.reference)).toEqual({ count: 1, duplicates: 0 });
      expect((await tb.bank.transferStatus(t.reference)).status).toBe('paid');
    }
  });

  it('R-PAY-09: bankTransfer after a timeout-after-accept asks first and submits nothing new (one transfer, no duplicate)', async () => {
    const acts = createBankActivities(tb.bank);
    const t = transfer();
    await tb.faults({ timeoutAfterAccept: 1, timeoutMode: 'drop' });
    await expect(acts.bankTransfer(t)).rejects.toThrow(/unreachable/);
    const retried = await acts.bankTransfer(t); // the activity's next attempt
    expect(retried.status).toMatch(/accepted|paid/);
    expect(await tb.transfers(t.reference)).toEqual({ count: 1, duplicates: 0 });
    expect(await acts.bankTransferStatus(t.reference)).toMatchObject({ status: 'paid' });
  });

  it('R-PAY-09: a refused lookup (400 from the bank or a proxy) after a timeout-after-accept is transient, never BankRejected; the next attempt finds the one transfer', async () => {
    const acts = createBankActivities(tb.bank);
    const t = transfer();
    await tb.faults({ timeoutAfterAccept: 1, timeoutMode: 'drop', refuseLookups: 2 });
    await expect(acts.bankTransfer(t)).rejects.toThrow(/unreachable/);
    const refused = acts.bankTransfer(t); // the retry's lookup answers 400
    await expect(refused).rejects.toThrow(/refused the lookup/);
    await expect(refused).rejects.not.toMatchObject({ nonRetryable: true });
    await expect(acts.bankTransferStatus(t.reference)).rejects.not.toMatchObject({ nonRetryable: true }); // the poll's lookup too
    expect((await acts.bankTransfer(t)).status).toMatch(/accepted|paid/);
    expect(await tb.transfers(t.reference)).toEqual({ count: 1, duplicates: 0 });
  });

  it('R-PAY-09: a submission answered 422 (the bank holds the reference with another body) is a non-retryable BankReferenceConflict, never BankRejected', async () => {
    const t = transfer();
    await tb.bank.submitTransfer({ ...t, amountFen: t.amountFen + 1 }); // what the bank holds under the reference
    // a lookup that raced the first submission: it saw nothing, so the activity submits
    const b = tb.bank;
    const racing: BankAdapter = {
      submitTransfer: (r) => b.submitTransfer(r),
      transferStatus: async () => ({ status: 'unknown' }),
      submitBatch: (x) => b.submitBatch(x),
      batchStatus: (id) => b.batchStatus(id),
      statement: (d) => b.statement(d),
    };
    await expect(createBankActivities(racing).bankTransfer(t)).rejects.toMatchObject({ type: 'BankReferenceConflict', nonRetryable: true });
    expect(await tb.transfers(t.reference)).toEqual({ count: 1, duplicates: 0 });
  });

  it('R-PAY-09: an answer about another transfer than the one asked for (submission or lookup) is a transient error, never recorded', async () => {
    const t = transfer();
    const other = { reference: `${t.reference}-other`, bankRef: 'BKOTHER', status: 'paid', acceptedAt: new Date().toISOString(), settledOn: '2026-03-03' };
    const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(other)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const wrong = new HttpBank({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: 'k' });
      for (const call of [wrong.transferStatus(t.reference), wrong.submitTransfer(t)]) {
        await expect(call).rejects.toThrow(/answered for transfer .*-other when asked for/);
        await expect(call).rejects.not.toBeInstanceOf(BankRejectedError);
      }
      await expect(createBankActivities(wrong).bankTransfer(t)).rejects.not.toMatchObject({ nonRetryable: true });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('R-PAY-01: the bank activity turns a refusal into a non-retryable BankRejected failure', async () => {
    const acts = createBankActivities(tb.bank);
    await expect(acts.bankTransfer(transfer({ memo: 'x'.repeat(200) }))).rejects.toMatchObject({ type: 'BankRejected', nonRetryable: true });
  });
});
