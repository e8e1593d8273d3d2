// End to end, as deployed: the Temporal CLI dev server, PostgreSQL, the sandbox agency, the worker and
// the API each in their own process, driven through HTTP only. The worker is killed (SIGKILL) twice
// mid-case and restarted; the case carries on where it was, and nothing is done twice.
import path from 'node:path';
import { Connection, Client } from '@temporalio/client';
import { HISTORIES, saveHistory } from '../helpers/history-recorder';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { token } from '../helpers/http';
import { applicationBody, poorFamily } from '../helpers/people';
import { AGENCY_KEY, shortPublicity, startStack, type Stack } from '../helpers/stack';

jest.setTimeout(240_000);

let db: TestDatabase;
let stack: Stack;

beforeAll(async () => {
  db = await createTestDatabase();
  // a 10-second publicity, so the walk finishes in one test
  await shortPublicity(db, 10);
  stack = await startStack({ db });
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const caseworker = token('zhangmin', 'township_caseworker', '140599100', '张敏');
const countyApprover = (sub: string) => token(sub, 'county_approver', '140599', sub);

async function stepOf(caseId: string): Promise<string> {
  return (await stack.http.request('GET', `/v1/applications/${caseId}`, { token: caseworker })).body.step;
}

async function waitForStep(caseId: string, step: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while ((await stepOf(caseId)) !== step) {
    if (Date.now() - started > timeoutMs) throw new Error(`case ${caseId} stayed in ${await stepOf(caseId)}, expected ${step}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('end to end on the dev server', () => {
  it('R-APP-14: a case goes from intake to enrolment through HTTP only, surviving two worker crashes without repeating anything', async () => {
    const input = poorFamily();
    // what the agency will find: the head's wages of 500 yuan a month (R-APP-05 counts the verified income)
    const fixture = await fetch(`${stack.agencyUrl}/sandbox/people/${input.household.members[0].idNumber}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${AGENCY_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ incomes: [{ source: 'wages', monthlyFen: 50_000 }] }),
    });
    expect(fixture.ok).toBe(true);
    const created = await stack.http.request('POST', '/v1/applications', { token: caseworker, body: applicationBody(input), headers: { 'Idempotency-Key': 'e2e-intake' } });
    expect(created.status).toBe(201);
    expect(created.body.step).toBe('verifying');
    const caseId: string = created.body.caseId;

    // crash 1: the worker dies while the agency is still checking the household
    await stack.worker!.kill();
    await new Promise((r) => setTimeout(r, 3_500));
    await stack.startWorker();
    await waitForStep(caseId, 'investigating');

    const today = created.body.enteredOn;
    const investigated = await stack.http.request('POST', `/v1/applications/${caseId}/investigation`, {
      token: caseworker,
      body: { investigators: ['zhangmin', 'liqiang'], visitedOn: today, findings: '入户调查属实', incomes: [{ memberIdNumber: input.household.members[0].idNumber, monthlyFen: 50_000, source: 'wages' }], expenditures: [] },
    });
    expect(investigated.status).toBe(200);
    expect(investigated.body.step).toBe('township_review');

    // crash 2: a command sent while no worker runs is answered 503; repeated with the same key after the restart, it is done once
    await stack.worker!.kill();
    const review = { opinion: 'eligible', reason: '符合条件' };
    const headers = { 'Idempotency-Key': 'e2e-review' };
    const unanswered = await stack.http.request('POST', `/v1/applications/${caseId}/township-review`, { token: caseworker, body: review, headers });
    expect(unanswered.status).toBe(503);
    await stack.startWorker();
    // as a client would: repeat with the same key while the answer is 503 (the new worker takes over
    // the case once Temporal gives up on the dead worker's sticky queue, a few seconds)
    let reviewed = unanswered;
    for (let attempt = 0; reviewed.status === 503 && attempt < 10; attempt++) {
      reviewed = await stack.http.request('POST', `/v1/applications/${caseId}/township-review`, { token: caseworker, body: review, headers });
    }
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.step).toBe('publicity');

    await waitForStep(caseId, 'county_decision', 60_000);
    const vote = { decision: 'approve', reason: '经集体审批同意' };
    expect((await stack.http.request('POST', `/v1/applications/${caseId}/approvals`, { token: countyApprover('chenjing'), body: vote })).body.step).toBe('county_decision');
    const decided = await stack.http.request('POST', `/v1/applications/${caseId}/approvals`, { token: countyApprover('sunli'), body: vote });
    expect(decided.status).toBe(200);
    expect(decided.body.step).toBe('enrolled');
    // R-APP-05: standard × members − net income, no per-capita rounding first: 3 × 60000 − 50000
    expect(decided.body.decisions.enrolment.monthlyFen).toBe(130_000);

    // nothing happened twice: one township review, one verification at the agency, one household
    const reviews = await db.prisma.auditEvent.count({ where: { caseId, action: 'township_review.recorded' } });
    expect(reviews).toBe(1);
    const checks = (await fetch(`${stack.agencyUrl}/sandbox/checks`, { headers: { authorization: `Bearer ${AGENCY_KEY}` } }).then((r) => r.json())) as
      | { reference: string }[]
      | { checks: { reference: string }[] };
    const list = Array.isArray(checks) ? checks : checks.checks;
    expect(list.filter((c) => c.reference === `application-${caseId}`)).toHaveLength(1);
    expect(await db.prisma.household.count({ where: { caseId } })).toBe(1);

    // the workflow's history is in Temporal (what the Web UI shows)
    const connection = await Connection.connect({ address: stack.temporal.address });
    const handle = new Client({ connection }).workflow.getHandle(`application-${caseId}`);
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    // …encrypted (§3): a client without the key sees no ID number in it, and every payload sealed
    const seen: string[] = [];
    const read = (n: unknown): void => (n instanceof Uint8Array ? void seen.push(Buffer.from(n).toString('utf8')) : n && typeof n === 'object' ? Object.values(n).forEach(read) : undefined);
    const recorded = await handle.fetchHistory();
    read(recorded);
    // RECORD_E2E_HISTORY=<name>: keep this dev-server history for the replay tests (add-only)
    if (process.env.RECORD_E2E_HISTORY) await saveHistory(path.join(HISTORIES, 'application'), process.env.RECORD_E2E_HISTORY, recorded);
    const history = seen.join('\n');
    expect(history).toContain('binary/encrypted');
    for (const secret of [input.household.members[0].idNumber, input.household.members[0].name]) expect(history).not.toContain(secret);
    await connection.close();
  });
});
