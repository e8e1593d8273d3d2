// Deaths over HTTP (API.md "Deaths"): POST /v1/death-records as JSON and text/csv, checked row by row (a file
// with good and bad rows processes the good ones and answers the bad ones with their index and fields), the
// death stops' list and page in the caller's subtree, its audit trail at /v1/audit?caseId=<deathStopId>; a
// TEKUN death paid its funeral subsidy once (issue 23: the death stop, the direct payment and the bank together).
import { apiTestbed } from '../helpers/api-bed';
import { pinWallClock } from '../helpers/temporal';
import { token } from '../helpers/http';
import { idNumberFor } from '../helpers/people';
import { singlePerson } from '../helpers/death-stop';
import { tekunRecipient, undertaker } from '../helpers/direct-payment';
import { directPaymentWorkflowId, funeralPaymentId } from '../../workflows/direct-payment/start-input';
import { rosterHousehold } from '../helpers/review';
import { maskIdNumber } from '../../workflows/rules/id-number';
import writeXlsxFile from 'write-excel-file/node';
import { XLSX_TYPE } from '../../api/deaths/files';

pinWallClock();

const bed = apiTestbed('api-deaths');
const county = token('zhaolei', 'county_caseworker', '140599', '赵磊');
const elsewhere = token('qs-cc1', 'county_caseworker', '140521', '外县');
const township = token('zhangmin', 'township_caseworker', '140599100', '张敏');
const supervisor = token('hewei', 'supervisor', '1405', '何伟');
const approvers = [token('chenjing', 'county_approver', '140599', '陈静'), token('sunli', 'county_approver', '140599', '孙丽')];

/** Reads `path` as `as` until `done` holds of the 200 answer. */
async function readUntil(path: string, as: string, done: (body: any) => boolean) {
  for (let i = 0; i < 300; i++) {
    const r = await bed.http.request('GET', path, { token: as });
    if (r.status === 200 && done(r.body)) return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`${path} never got there`);
}

async function stopAt(workflowId: string, step: string) {
  for (let i = 0; i < 300; i++) {
    const r = await bed.http.request('GET', `/v1/death-stops/${workflowId}`, { token: county });
    if (r.status === 200 && r.body.step === step) return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`death stop ${workflowId} never reached ${step}`);
}

describe('API: deaths', () => {
  it('R-DTH-01: a CSV with broken rows is answered row by row; the good row is matched and stopped, a stranger is unmatched, nothing starts twice on a re-post', async () => {
    const { householdId, person } = await singlePerson(bed.db.prisma);
    const stranger = idNumberFor('1950-01-01', '140599');
    const bad = `${person.idNumber.slice(0, 17)}${person.idNumber[17] === '0' ? '1' : '0'}`; // wrong check digit
    const csv = ['idNumber,name,dateOfDeath', `${person.idNumber},${'老人'},2026-02-01`, `${bad},某人,2026-02-01`, `${stranger},陌生人,2026-02-01`, `${stranger},,2099-01-01`, `${idNumberFor('1990-05-05', '140599')},某人,1980-01-01`].join('\n');
    const r = await bed.http.request('POST', '/v1/death-records?source=funeral', { token: county, raw: csv, headers: { 'content-type': 'text/csv' } });
    expect(r.status).toBe(200);
    expect(r.body.received).toBe(5);
    expect(r.body.matched).toEqual([{ index: 0, idNumber: person.idNumber, householdId, workflowId: expect.stringMatching(/^death-stop-DS-140599-/) }]);
    expect(r.body.unmatched).toEqual([{ index: 2, idNumber: stranger }]);
    expect(r.body.rejected.map((x: { index: number }) => x.index)).toEqual([1, 3, 4]);
    expect(r.body.rejected[0].errors).toEqual([expect.objectContaining({ path: 'records[1].idNumber' })]);
    expect(r.body.rejected[1].errors.map((e: { path: string }) => e.path).sort()).toEqual(['records[3].dateOfDeath', 'records[3].name']);
    expect(r.body.rejected[2].errors).toEqual([{ path: 'records[4].dateOfDeath', message: expect.stringContaining('birth') }]);
    const workflowId = r.body.matched[0].workflowId;
    expect(workflowId).not.toContain(person.idNumber);

    const closed = await stopAt(workflowId, 'closed');
    expect(closed).toMatchObject({ deadline: '2026-05-01', paymentsHeld: { fromMonth: '2026-03', householdStopped: true }, recoveryDue: { totalFen: 60000, months: ['2026-03'] } });
    expect(closed.timeline.map((e: { action: string }) => e.action)).toContain('death_stop.payments_held');
    // a re-post (JSON, another source) reaches the same stop and starts nothing
    const again = await bed.http.request('POST', '/v1/death-records', { token: county, body: { source: 'civil_registry', records: [{ idNumber: person.idNumber, name: '老人', dateOfDeath: '2026-02-01' }] } });
    expect(again.status).toBe(200);
    expect(again.body.matched).toEqual([expect.objectContaining({ workflowId })]);
    expect(await bed.db.prisma.deathStop.count({ where: { idNumber: person.idNumber } })).toBe(1);
    expect(closed.idNumber).toBe(person.idNumber);
    const read = await bed.http.request('GET', `/v1/death-stops/${workflowId}`, { token: supervisor });
    expect(read.body.idNumber).toBe(maskIdNumber(person.idNumber)); // readers see it masked, as on the roster
    const deathStopId = closed.deathStopId;
    const audit = await bed.http.request('GET', `/v1/audit?caseId=${deathStopId}`, { token: supervisor });
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.body)).toContain('death_stop.source_recorded');
  });

  it('R-DTH-01: an XLSX file (first sheet, the same columns) is read as the roster import reads it; a file without the columns is 400 naming them', async () => {
    const { householdId, person } = await singlePerson(bed.db.prisma);
    const cell = (value: string) => ({ value, type: String });
    const sheet = [[cell('idNumber'), cell('name'), cell('dateOfDeath')], [cell(person.idNumber), cell('老人'), cell('2026-02-15')]];
    const post = async (data: unknown[][]) => {
      const body = await writeXlsxFile(data as never).toBuffer();
      const res = await fetch(`${bed.http.baseUrl}/v1/death-records?source=police`, { method: 'POST', headers: { authorization: `Bearer ${county}`, 'content-type': XLSX_TYPE }, body });
      return { status: res.status, body: (await res.json()) as any };
    };
    const r = await post(sheet);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ received: 1, matched: [{ index: 0, idNumber: person.idNumber, householdId }], unmatched: [], rejected: [] });
    const headerless = await post([[cell('身份证号'), cell('姓名')], [cell(person.idNumber), cell('老人')]]);
    expect(headerless.status).toBe(400);
    expect(headerless.body.errors.map((e: { path: string }) => e.path)).toEqual(['header.idNumber', 'header.name', 'header.dateOfDeath']);
  });

  it('R-DTH-02, R-APP-05: a county caseworker confirms the remaining members’ amount over HTTP: another amount is 422 naming monthlyFen, a township caseworker 403, the accounting’s figure 200', async () => {
    const { householdId, members } = await rosterHousehold(bed.db.prisma);
    const r = await bed.http.request('POST', '/v1/death-records', { token: county, body: { source: 'civil_registry', records: [{ idNumber: members[0].idNumber, name: members[0].name, dateOfDeath: '2026-02-26' }] } });
    const workflowId = r.body.matched[0].workflowId;
    const at = await stopAt(workflowId, 'confirming');
    expect(at.recomputed.monthlyFen).toBe(120000);
    const wrong = await bed.http.request('POST', `/v1/death-stops/${workflowId}/confirmation`, { token: county, body: { monthlyFen: 100000, reason: '核减' } });
    expect([wrong.status, wrong.body.errors]).toEqual([422, [expect.objectContaining({ path: 'monthlyFen' })]]);
    expect((await bed.http.request('POST', `/v1/death-stops/${workflowId}/confirmation`, { token: township, body: { monthlyFen: 120000, reason: '核减' } })).status).toBe(403);
    const ok = await bed.http.request('POST', `/v1/death-stops/${workflowId}/confirmation`, { token: county, body: { monthlyFen: 120000, reason: '户主死亡，重新核算' } });
    expect(ok.status).toBe(200);
    expect(ok.body.confirmation).toMatchObject({ by: 'zhaolei', monthlyFen: 120000 });
    await stopAt(workflowId, 'adjusted');
    expect(await bed.db.prisma.household.findUniqueOrThrow({ where: { householdId } })).toMatchObject({ monthlyFen: 120000 });
  });

  it('R-DTH-01: only county caseworkers (and system partners, below) post; a bad body is 400 naming the fields; GET lists death stops in the caller’s subtree only; another county’s is 404', async () => {
    expect((await bed.http.request('POST', '/v1/death-records', { token: township, body: { source: 'police', records: [] } })).status).toBe(403);
    const bad = await bed.http.request('POST', '/v1/death-records', { token: county, body: { source: 'rumour', records: [] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['records', 'source']);
    // two deaths of its own (whatever else ran before): a single-person household's, closed, due 2026-05-01
    const [a, b] = [await singlePerson(bed.db.prisma), await singlePerson(bed.db.prisma)];
    const posted = await bed.http.request('POST', '/v1/death-records', { token: county, body: { source: 'police', records: [a, b].map(({ person }) => ({ idNumber: person.idNumber, name: person.name, dateOfDeath: '2026-02-01' })) } });
    expect(posted.body.matched).toHaveLength(2);
    const mine = posted.body.matched[0].workflowId as string;
    await stopAt(mine, 'closed');
    const list = await bed.http.request('GET', '/v1/death-stops?limit=1', { token: county });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const next = await bed.http.request('GET', `/v1/death-stops?limit=1&cursor=${list.body.nextCursor}`, { token: county });
    expect(next.body.items).toHaveLength(1);
    expect(next.body.items[0].workflowId).not.toBe(list.body.items[0].workflowId);
    // its own death (2026-02-01): due 2026-05-01, closed; none due later is listed
    const due = await bed.http.request('GET', '/v1/death-stops?dueBefore=2026-05-02&step=closed&limit=500', { token: county });
    const dues = due.body.items.map((x: { workflowId: string; dueOn: string; step: string }) => x);
    expect(dues.map((x: { workflowId: string }) => x.workflowId)).toContain(mine);
    expect(dues.every((x: { dueOn: string; step: string }) => x.dueOn < '2026-05-02' && x.step === 'closed')).toBe(true);
    const id = mine;
    expect((await bed.http.request('GET', `/v1/death-stops/${id}`, { token: elsewhere })).status).toBe(404);
    expect((await bed.http.request('GET', '/v1/death-stops', { token: elsewhere })).body.items).toEqual([]);
    expect((await bed.http.request('GET', '/v1/death-stops?dueBefore=2026-05-02&step=closed', { token: supervisor })).body.items.map((x: { workflowId: string }) => x.workflowId)).toContain(id);
    expect((await bed.http.request('GET', '/v1/death-stops?dueBefore=nope&cursor=bad!', { token: county })).status).toBe(400);
  });

  it('R-DTH-01: /openapi.json describes the death endpoints from their schemas, the CSV and XLSX bodies included', async () => {
    const doc = (await bed.http.request('GET', '/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/death-records', '/v1/death-stops', '/v1/death-stops/{workflowId}', '/v1/death-stops/{workflowId}/confirmation']));
    expect(Object.keys(doc.paths['/v1/death-records'].post.requestBody.content)).toEqual(['application/json', 'text/csv', XLSX_TYPE]);
    expect(doc.components.schemas.DeathRecordsAnswer.properties).toEqual(expect.objectContaining({ received: expect.anything(), matched: expect.anything(), unmatched: expect.anything(), rejected: expect.anything() }));
  });

  it('R-DTH-04, R-DIR-01, R-PAY-09: a TEKUN death paying the funeral subsidy once: the death from two sources starts one funeral payment; the township caseworker names the undertaker and amount, two county approvers agree, and the bank holds one transfer, the ledger one payment row', async () => {
    const r = await tekunRecipient(bed.db.prisma);
    const record = { idNumber: r.person.idNumber, name: r.person.name, dateOfDeath: '2026-02-20' };
    const first = await bed.http.request('POST', '/v1/death-records', { token: county, body: { source: 'civil_registry', records: [record] } });
    const second = await bed.http.request('POST', '/v1/death-records', { token: county, body: { source: 'funeral', records: [record] } });
    expect([first.status, second.status]).toEqual([200, 200]);
    const workflowId = first.body.matched[0].workflowId;
    expect(second.body.matched).toEqual([expect.objectContaining({ workflowId })]);
    const stop = await stopAt(workflowId, 'closed');
    expect(stop.funeralPayment).toMatchObject({ started: true });
    const paymentId = funeralPaymentId(stop.deathStopId);
    const paymentWorkflowId = directPaymentWorkflowId(paymentId);
    expect(stop.funeralPayment.workflowId).toBe(paymentWorkflowId);
    await readUntil(`/v1/direct-payments/${paymentId}`, township, (b) => b.step === 'awaiting_payee');
    // one payment per person, started once (the death stop's activity, REJECT_DUPLICATE)
    expect(await bed.db.prisma.directPayment.count({ where: { funeralPerson: r.person.idNumber } })).toBe(1);
    expect(await bed.db.prisma.auditEvent.count({ where: { workflowId, action: 'death_stop.funeral_payment' } })).toBe(1);

    // the township caseworker names the undertaker and the amount: the request reaches the death stop's payment
    const request = await bed.http.request('POST', '/v1/direct-payments', { token: township, body: { kind: 'funeral', personIdNumber: r.person.idNumber, payee: undertaker('6217000010000000909'), amountFen: 260_000 }, headers: { 'Idempotency-Key': `funeral-${paymentId}` } });
    expect(request.status).toBe(201);
    expect(request.body).toMatchObject({ paymentId, step: 'county_decision', amountFen: 260_000 });
    for (const approver of approvers) {
      const vote = await bed.http.request('POST', `/v1/direct-payments/${paymentId}/approvals`, { token: approver, body: { decision: 'approve', reason: '经县民政局集体审批' } });
      expect(vote.status).toBe(200);
    }
    // the bank accepts, settles at the next look: payOnce asks again after its hour
    await bed.env.sleep('2 hours');
    const paid = await readUntil(`/v1/direct-payments/${paymentId}`, township, (b) => b.step === 'paid');
    const reference = `${paymentWorkflowId}/1`;
    expect(paid.bank).toMatchObject({ reference, status: 'paid' });
    expect(await bed.bank.transfers(reference)).toEqual({ count: 1, duplicates: 0 });
    const ledger = await bed.db.prisma.payment.findMany({ where: { workflowId: paymentWorkflowId } });
    expect(ledger).toEqual([expect.objectContaining({ reference, status: 'paid', amountFen: 260_000, payeeType: 'undertaker', accountNo: '6217000010000000909', purpose: 'funeral' })]);
    // the death posted once more, after it all: nothing new starts, nothing is paid again
    const third = await bed.http.request('POST', '/v1/death-records', { token: county, body: { source: 'police', records: [record] } });
    expect(third.body.matched).toEqual([expect.objectContaining({ workflowId })]);
    expect(await bed.db.prisma.directPayment.count({ where: { funeralPerson: r.person.idNumber } })).toBe(1);
    expect(await bed.db.prisma.payment.count({ where: { workflowId: paymentWorkflowId } })).toBe(1);
    expect(await bed.bank.transfers(reference)).toEqual({ count: 1, duplicates: 0 });
  });
});

// API.md "Deaths": "county_caseworker, system partner". A partner (role `partner`) is a machine client whose
// token's jurisdiction is the area it reports for: a funeral home's county here, another county's registry.
describe('API: a system partner', () => {
  const funeralHome = token('funeral-home-140599', 'partner', '140599', '演示县殡仪馆');
  const otherCounty = token('registry-140521', 'partner', '140521', '沁水县民政局');

  it('R-DTH-01: a system partner’s death records are accepted and matched inside its jurisdiction; the stop records the partner’s source and the post is audited as the partner’s; a village report or a staff id as a partner is 403', async () => {
    const { householdId, person } = await singlePerson(bed.db.prisma);
    const record = { idNumber: person.idNumber, name: '老人', dateOfDeath: '2026-02-27' };
    const r = await bed.http.request('POST', '/v1/death-records', { token: funeralHome, body: { source: 'funeral', records: [record] } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ received: 1, matched: [{ index: 0, idNumber: person.idNumber, householdId, workflowId: expect.stringMatching(/^death-stop-DS-140599-/) }], unmatched: [], rejected: [] });
    const stop = await stopAt(r.body.matched[0].workflowId, 'closed');
    expect(stop.sources).toEqual([expect.objectContaining({ source: 'funeral', by: 'funeral-home-140599' })]);
    // this post's entry (other tests post as the same partner)
    const audit = (await bed.db.prisma.auditEvent.findMany({ where: { action: 'death_records.received' } })).filter((e) => JSON.stringify(e.data).includes(householdId));
    expect(audit).toEqual([expect.objectContaining({ actor: 'funeral-home-140599', actorRole: 'partner' })]);
    const report = await bed.http.request('POST', '/v1/death-records', { token: funeralHome, body: { source: 'report', records: [record] } });
    expect([report.status, report.body.errors]).toEqual([403, [expect.objectContaining({ path: 'source' })]]);
    const posing = await bed.http.request('POST', '/v1/death-records', { token: token('zhaolei', 'partner', '140599', '赵磊'), body: { source: 'funeral', records: [record] } });
    expect(posing.status).toBe(403);
  });

  it('R-DTH-01, R-SEC-01: a partner outside the jurisdiction matches nothing: a recipient, a person with a death stop already and a stranger are all unmatched alike, and nothing starts', async () => {
    const alive = (await singlePerson(bed.db.prisma)).person;
    const dead = (await singlePerson(bed.db.prisma)).person;
    const stranger = idNumberFor('1949-09-09', '140521');
    const inside = await bed.http.request('POST', '/v1/death-records', { token: funeralHome, body: { source: 'funeral', records: [{ idNumber: dead.idNumber, name: '老人', dateOfDeath: '2026-02-27' }] } });
    expect(inside.body.matched).toHaveLength(1);
    const records = [alive, dead].map((p) => ({ idNumber: p.idNumber, name: '某人', dateOfDeath: '2026-02-27' })).concat([{ idNumber: stranger, name: '陌生人', dateOfDeath: '2026-02-27' }]);
    const r = await bed.http.request('POST', '/v1/death-records', { token: otherCounty, body: { source: 'civil_registry', records } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ received: 3, matched: [], unmatched: [{ index: 0, idNumber: alive.idNumber }, { index: 1, idNumber: dead.idNumber }, { index: 2, idNumber: stranger }], rejected: [] });
    expect(await bed.db.prisma.deathStop.count({ where: { idNumber: alive.idNumber } })).toBe(0);
    const dup = await bed.db.prisma.deathStop.findUniqueOrThrow({ where: { idNumber: dead.idNumber } });
    expect((await stopAt(dup.workflowId, 'closed')).sources.map((x: { source: string }) => x.source)).toEqual(['funeral']);
  });

  it('R-SEC-01: a partner sees no read endpoint: every GET of the document is 403 to it', async () => {
    const doc = (await bed.http.request('GET', '/openapi.json')).body;
    const gets = Object.entries(doc.paths as Record<string, { get?: { security?: unknown[] } }>).filter(([, ops]) => ops.get && ops.get.security?.length !== 0).map(([path]) => path.replace(/\{\w+\}/g, 'x1'));
    expect(gets).toEqual(expect.arrayContaining(['/v1/death-stops', '/v1/death-stops/x1', '/v1/roster', '/v1/households/x1', '/v1/direct-payments', '/v1/audit']));
    const statuses = await Promise.all(gets.map(async (path) => [path, (await bed.http.request('GET', path, { token: funeralHome })).status]));
    expect(statuses).toEqual(gets.map((path) => [path, 403]));
  });

  it('R-REV-05: a partner agency posts its own alerts: a recipient inside its jurisdiction gets a verification review; the same person posted by a partner of another county is unknown', async () => {
    const { householdId, members } = await rosterHousehold(bed.db.prisma);
    const record = { idNumber: members[0].idNumber, occurredOn: '2026-02-14', detail: '购买小汽车', amountFen: 12_000_000 };
    const r = await bed.http.request('POST', '/v1/alerts', { token: funeralHome, body: { source: 'vehicle', records: [record] } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ received: 1, opened: [{ idNumber: members[0].idNumber, householdId, workflowId: expect.stringMatching(new RegExp(`^review-${householdId}-alert-`)) }], unknown: [], rejected: [] });
    const outside = await bed.http.request('POST', '/v1/alerts', { token: otherCounty, body: { source: 'vehicle', records: [record] } });
    expect(outside.body).toMatchObject({ received: 1, opened: [], unknown: [{ index: 0, idNumber: members[0].idNumber }] });
  });
});
