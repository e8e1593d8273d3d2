// Direct payments over HTTP (API.md "Direct payments"): a medical amount above the residual is a 400 naming
// amountFen; a recipient's account or a staff payee a 422; a funeral for someone with no recorded death a 409;
// a medical request starts a payment (one id per Idempotency-Key), a funeral request reaches the payment the
// death stop started (one per person); the list, the page with its timeline, the audit trail and a vote; an
// escalated payment resumed by a caseworker (R-PAY-09).
import { apiTestbed } from '../helpers/api-bed';
import { pinWallClock } from '../helpers/temporal';
import { token } from '../helpers/http';
import { maskIdNumber } from '../../workflows/rules/id-number';
import { approve, funeralStart, hospital, startDirectPayment, tekunRecipient, undertaker, waitForPaymentStep } from '../helpers/direct-payment';
import { actors } from '../helpers/people';
import * as dm from '../../workflows/direct-payment/messages';
import { createPaymentLedgerActivities } from '../../activities/payments/ledger';

pinWallClock();

const bed = apiTestbed('api-direct-payments');
const caseworker = token('zhangmin', 'township_caseworker', '140599100', '张敏');
const countyCaseworker = token('zhaolei', 'county_caseworker', '140599', '赵磊');
const approver = token('chenjing', 'county_approver', '140599', '陈静');
const elsewhere = token('qs-tw1', 'township_caseworker', '140521100', '郭华');

const medicalBody = (personIdNumber: string, amountFen: number, payee = hospital()) => ({
  kind: 'medical',
  personIdNumber,
  payee,
  amountFen,
  totalCostFen: 1_000_000,
  insurancePaidFen: 600_000,
  medicalAssistancePaidFen: 250_000,
});

let keys = 0;
/** POST /v1/direct-payments under a fresh Idempotency-Key (R-PAY-09: the route requires one) */
const create = (tok: string, body: unknown, key = `dp-${process.pid}-${++keys}`) => bed.http.request('POST', '/v1/direct-payments', { token: tok, body, headers: { 'Idempotency-Key': key } });

async function rowOf(workflowId: string) {
  for (let i = 0; i < 200; i++) {
    const row = await bed.db.prisma.directPayment.findUnique({ where: { workflowId } });
    if (row?.step === 'awaiting_payee') return row;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`no projection for ${workflowId}`);
}

describe('API: direct payments', () => {
  it('R-DIR-02: POST /v1/direct-payments with a medical amount above the residual is a 400 problem naming amountFen; missing figures name themselves', async () => {
    const r = await tekunRecipient(bed.db.prisma);
    const above = await create(caseworker, medicalBody(r.person.idNumber, 150_001));
    expect(above.status).toBe(400);
    expect(above.type).toMatch(/application\/problem\+json/);
    expect(above.body.errors).toEqual([expect.objectContaining({ path: 'amountFen', message: expect.stringMatching(/residual 150000 fen/) })]);
    const { totalCostFen: _t, ...missing } = medicalBody(r.person.idNumber, 1000);
    const m = await create(caseworker, missing);
    expect(m.status).toBe(400);
    expect(m.body.errors.map((e: { path: string }) => e.path)).toEqual(['totalCostFen']);
    expect(await bed.db.prisma.directPayment.count({ where: { personIdNumber: r.person.idNumber } })).toBe(0);
  });

  it('R-PAY-09: a payee the bank would refuse (account not 10–30 digits, name over 100, bank over 64) is a 400 naming the field at the API, never a payment escalated as a rejected account', async () => {
    const r = await tekunRecipient(bed.db.prisma);
    const cases: Array<[Record<string, string>, string]> = [
      [{ accountNo: '621700001' }, 'payee.accountNo'],
      [{ accountNo: '6'.repeat(31) }, 'payee.accountNo'],
      [{ name: '医'.repeat(101) }, 'payee.name'],
      [{ bank: '行'.repeat(65) }, 'payee.bank'],
    ];
    for (const [change, path] of cases) {
      const res = await create(caseworker, medicalBody(r.person.idNumber, 100_000, { ...hospital(), ...change }));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path })]);
    }
    // the bank's bounds themselves pass
    const edge = await create(caseworker, medicalBody(r.person.idNumber, 100_000, { ...hospital('6'.repeat(30)), name: '医'.repeat(100), bank: '行'.repeat(64) }));
    expect(edge.status).toBe(201);
    expect(await bed.db.prisma.directPayment.count({ where: { personIdNumber: r.person.idNumber } })).toBe(1);
  });

  it('R-DIR-01, R-SEC-01: a payee account registered to a recipient, or a payee who is staff, is a 422 naming the field (not the household or staff id); nothing starts', async () => {
    const r = await tekunRecipient(bed.db.prisma);
    const own = await create(caseworker, medicalBody(r.person.idNumber, 100_000, hospital(r.accountNo)));
    expect(own.status).toBe(422);
    expect(own.body.errors).toEqual([expect.objectContaining({ path: 'payee.accountNo' })]);
    const staff = await create(caseworker, medicalBody(r.person.idNumber, 100_000, { ...hospital(), name: '赵磊' }));
    expect(staff.status).toBe(422);
    expect(staff.body.errors).toEqual([expect.objectContaining({ path: 'payee.name' })]);
    // R-SEC-01: the screen looks across every jurisdiction, so its refusal names no household and no staff id
    expect(JSON.stringify(own.body)).not.toContain(r.householdId);
    expect(JSON.stringify(staff.body)).not.toContain('zhaolei');
    expect(await bed.db.prisma.directPayment.count({ where: { personIdNumber: r.person.idNumber } })).toBe(0);
  });

  it('R-DTH-04: a funeral request for a recipient with no recorded death is a 409 saying so; someone not a TEKUN recipient (or outside the caller’s subtree) a 422', async () => {
    const r = await tekunRecipient(bed.db.prisma);
    const f = await create(caseworker, { kind: 'funeral', personIdNumber: r.person.idNumber, payee: undertaker(), amountFen: 200_000 });
    expect(f.status).toBe(409);
    expect(f.body.detail).toMatch(/no death is recorded/);
    const dibao = await tekunRecipient(bed.db.prisma, { programme: 'DIBAO' });
    const d = await create(caseworker, medicalBody(dibao.person.idNumber, 100_000));
    expect(d.status).toBe(422);
    expect(d.body.errors).toEqual([expect.objectContaining({ path: 'personIdNumber' })]);
    const o = await create(elsewhere, medicalBody(r.person.idNumber, 100_000));
    expect(o.status).toBe(422);
  });

  it('R-PAY-09: POST /v1/direct-payments without an Idempotency-Key is a 400 problem naming header.Idempotency-Key (a double click must not pay twice); nothing starts; the document marks the header required', async () => {
    const r = await tekunRecipient(bed.db.prisma);
    const body = medicalBody(r.person.idNumber, 150_000);
    for (let i = 0; i < 2; i++) {
      const bare = await bed.http.request('POST', '/v1/direct-payments', { token: caseworker, body });
      expect(bare.status).toBe(400);
      expect(bare.type).toMatch(/application\/problem\+json/);
      expect(bare.body.errors).toEqual([expect.objectContaining({ path: 'header.Idempotency-Key' })]);
    }
    // with bad input too, every field at once
    const both = await bed.http.request('POST', '/v1/direct-payments', { token: caseworker, body: medicalBody(r.person.idNumber, 150_001) });
    expect(both.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['amountFen', 'header.Idempotency-Key']);
    expect(await bed.db.prisma.directPayment.count({ where: { personIdNumber: r.person.idNumber } })).toBe(0);
    const doc = await bed.http.request('GET', '/openapi.json');
    const header = doc.body.paths['/v1/direct-payments'].post.parameters.find((p: { in: string; name: string }) => p.in === 'header' && p.name === 'Idempotency-Key');
    expect(header).toMatchObject({ required: true });
  });

  it('R-DIR-02: a medical request starts a payment at the county’s decision; the same Idempotency-Key gives the same payment; list, page (ID number masked for readers), audit and a vote', async () => {
    const r = await tekunRecipient(bed.db.prisma);
    const body = medicalBody(r.person.idNumber, 150_000);
    const first = await bed.http.request('POST', '/v1/direct-payments', { token: caseworker, body, headers: { 'Idempotency-Key': `med-${r.householdId}` } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ kind: 'medical', status: 'open', step: 'county_decision', amountFen: 150_000, payee: { type: 'hospital', accountNo: '****0002' } });
    const paymentId = first.body.paymentId as string;
    const again = await bed.http.request('POST', '/v1/direct-payments', { token: caseworker, body, headers: { 'Idempotency-Key': `med-${r.householdId}` } });
    expect(again.status).toBe(201);
    expect(again.body.paymentId).toBe(paymentId);
    const another = await bed.http.request('POST', '/v1/direct-payments', { token: caseworker, body, headers: { 'Idempotency-Key': `med2-${r.householdId}` } });
    expect(another.body.paymentId).not.toBe(paymentId);

    const list = await bed.http.request('GET', '/v1/direct-payments?kind=medical&step=county_decision&limit=500', { token: countyCaseworker });
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { paymentId: string }) => i.paymentId)).toEqual(expect.arrayContaining([paymentId, another.body.paymentId]));
    // the one signed pager (api/paging.ts): a page goes on after the cursor; an edited cursor is a 400 naming it
    const p1 = await bed.http.request('GET', '/v1/direct-payments?kind=medical&limit=1', { token: countyCaseworker });
    const p2 = await bed.http.request('GET', `/v1/direct-payments?kind=medical&limit=1&cursor=${p1.body.nextCursor}`, { token: countyCaseworker });
    expect(p2.status).toBe(200);
    expect(p2.body.items[0].paymentId > p1.body.items[0].paymentId).toBe(true);
    const edited = await bed.http.request('GET', `/v1/direct-payments?cursor=${Buffer.from(paymentId).toString('base64url')}.AAAAAAAAAAAAAAAA`, { token: countyCaseworker });
    expect(edited.status).toBe(400);
    expect(edited.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.cursor']);
    expect((await bed.http.request('GET', '/v1/direct-payments', { token: elsewhere })).body.items).toEqual([]);
    expect((await bed.http.request('GET', `/v1/direct-payments/${paymentId}`, { token: elsewhere })).status).toBe(404);

    const vote = await bed.http.request('POST', `/v1/direct-payments/${paymentId}/approvals`, { token: approver, body: { decision: 'approve', reason: '经集体审批' } });
    expect(vote.status).toBe(200);
    expect(vote.body.decisions.votes).toEqual([expect.objectContaining({ approverId: 'chenjing', decision: 'approve' })]);
    const page = await bed.http.request('GET', `/v1/direct-payments/${paymentId}`, { token: caseworker });
    expect(page.body.timeline.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['direct_payment.opened', 'direct_payment.requested', 'direct_payment.vote']));
    // PII: the ID number in full only for staff who act on the person (SEES_ID_NUMBERS), masked for readers and village assistants
    expect(page.body.personIdNumber).toBe(r.person.idNumber);
    for (const reader of [token('hewei', 'supervisor', '1405', '何伟'), token('dp-va', 'village_assistant', '140599100201', '李娟')]) {
      const read = await bed.http.request('GET', `/v1/direct-payments/${paymentId}`, { token: reader });
      expect(read.status).toBe(200);
      expect(read.body.personIdNumber).toBe(maskIdNumber(r.person.idNumber));
      expect(JSON.stringify(read.body)).not.toContain(r.person.idNumber);
    }
    const audit = await bed.http.request('GET', `/v1/audit?caseId=${paymentId}`, { token: token('hewei', 'supervisor', '1405', '何伟') });
    expect(audit.status).toBe(200);
    expect(audit.body.items.length).toBeGreaterThanOrEqual(3);
  });

  it('R-DIR-01, R-DTH-04: a funeral request reaches the payment the death stop started (one per person); a second request is a 409 in its step', async () => {
    const r = await tekunRecipient(bed.db.prisma);
    const h = await startDirectPayment(bed.env.client, funeralStart(r.person.idNumber, r.householdId), `api-direct-payments-${process.pid}`);
    const row = await rowOf(h.workflowId);
    const body = { kind: 'funeral', personIdNumber: r.person.idNumber, payee: undertaker(), amountFen: 280_000 };
    const over = await create(caseworker, { ...body, amountFen: 300_001 });
    expect(over.status).toBe(422);
    expect(over.body.errors).toEqual([expect.objectContaining({ path: 'amountFen' })]);
    const ok = await create(caseworker, body);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ paymentId: row.paymentId, kind: 'funeral', step: 'county_decision', amountFen: 280_000 });
    const second = await create(caseworker, body);
    expect(second.status).toBe(409);
  });

  it('R-PAY-09: POST /v1/direct-payments/{id}/resume: a village assistant or an approver is a 403; no reason is a 400 naming reason; the caseworker\u2019s resume of an escalated payment is a 200 leaving payment_escalated; in any other step a 409', async () => {
    const r = await tekunRecipient(bed.db.prisma);
    const h = await startDirectPayment(bed.env.client, funeralStart(r.person.idNumber, r.householdId), `api-direct-payments-${process.pid}`);
    const row = await rowOf(h.workflowId);
    const resume = (tok: string, body: unknown = { reason: '已与银行核实，重新支付' }) => bed.http.request('POST', `/v1/direct-payments/${row.paymentId}/resume`, { token: tok, body });
    // awaiting its payee: nothing to resume
    const early = await resume(countyCaseworker);
    expect(early.status).toBe(409);
    expect(early.type).toMatch(/application\/problem\+json/);
    // a final error while paying: the ledger holds another order under the payment's reference (PaymentConflict)
    const payee = undertaker('6217000010000000818');
    await h.executeUpdate(dm.requestPaymentUpdate, { args: [{ actor: actors.caseworker, payee, amountFen: 240_000 }] });
    await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver1) });
    const reference = `${h.workflowId}/1`;
    await createPaymentLedgerActivities(bed.db.prisma).preparePayment({ reference, purpose: 'funeral', workflowId: h.workflowId, businessId: 'other', jurisdiction: r.householdId, payee, amountFen: 1, memo: 'x' });
    await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver3) });
    await waitForPaymentStep(h, 'payment_escalated');
    for (let i = 0; i < 200 && (await bed.db.prisma.directPayment.findUniqueOrThrow({ where: { workflowId: h.workflowId } })).step !== 'payment_escalated'; i++) await new Promise((res) => setTimeout(res, 50));

    for (const tok of [token('dp-va', 'village_assistant', '140599100201', '李娟'), approver]) {
      const refused = await resume(tok);
      expect(refused.status).toBe(403);
      expect(refused.type).toMatch(/application\/problem\+json/);
    }
    const bare = await resume(countyCaseworker, {});
    expect(bare.status).toBe(400);
    expect(bare.type).toMatch(/application\/problem\+json/);
    expect(bare.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
    expect((await h.query(dm.directPaymentStateQuery)).step).toBe('payment_escalated');

    // the caseworker settled it (the stray order removed from the ledger), then resumes: the same line and reference
    await bed.db.prisma.payment.delete({ where: { reference } });
    const ok = await resume(countyCaseworker);
    expect(ok.status).toBe(200);
    expect(ok.body.step).not.toBe('payment_escalated');
    expect(ok.body.flags).not.toContain('payment_stuck');
    expect(await h.result()).toMatchObject({ status: 'paid', reference });
    expect(await bed.bank.transfers(reference)).toEqual({ count: 1, duplicates: 0 });
    for (let i = 0; i < 200 && (await bed.db.prisma.directPayment.findUniqueOrThrow({ where: { workflowId: h.workflowId } })).step !== 'paid'; i++) await new Promise((res) => setTimeout(res, 50));
    const late = await resume(countyCaseworker);
    expect(late.status).toBe(409);
    const actions = (await bed.db.prisma.auditEvent.findMany({ where: { workflowId: h.workflowId } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['payment.escalated', 'payment.resumed', 'payment.paid']));
  });
});
