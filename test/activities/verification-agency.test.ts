// The verification agency client and activities against the real sandbox over HTTP (R-APP-03).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { createVerificationActivities } from '../../activities/verification';
import { AgencyRejectedError, HttpVerificationAgency, type CheckResult } from '../../activities/verification/agency';
import { startSandboxAgency } from '../../activities/verification/sandbox-agency';
import { freePort } from '../../scripts/stack/ports';
import { checkDigit } from '../../workflows/rules/id-number';
import type { VerificationReport, VerificationSubject } from '../../workflows/rules/types';
import { emptyFindings } from '../../activities/verification/protocol';

const API_KEY = 'test-key';
const LATENCY_MS = 300;
const FIXTURES_FILE = path.join(__dirname, '../../activities/verification/sandbox-fixtures.json');
// The demo people in sandbox-fixtures.json
const WITH_CAR = '140521195803120317';
const WITH_WAGES = '14052119750816042X';
const WITH_PUBLIC_EMPLOYEE_RELATIVE = '140521198801051534';
const WITH_AGENCY_LABELS = '140521196607120314';

let sandbox: { url: string; close(): Promise<void> };
let agency: HttpVerificationAgency;

beforeAll(async () => {
  sandbox = await startSandboxAgency({ port: 0, apiKey: API_KEY, latencyMs: LATENCY_MS, fixturesFile: FIXTURES_FILE });
  agency = new HttpVerificationAgency({ baseUrl: sandbox.url, apiKey: API_KEY });
});
afterAll(() => sandbox.close());

/** A valid ID number nobody has used yet, so tests do not see each other's fixtures. */
function newIdNumber(): string {
  const seq = String(crypto.randomInt(0, 1000)).padStart(3, '0');
  const day = String(crypto.randomInt(1, 29)).padStart(2, '0');
  const first17 = `140521${crypto.randomInt(1940, 2010)}03${day}${seq}`;
  return first17 + checkDigit(first17);
}

const uniqueKey = () => `test/${crypto.randomUUID()}`;
const member = (idNumber: string, name = '张三'): VerificationSubject => ({ idNumber, name, role: 'member' });
const obligor = (idNumber: string, name = '张大'): VerificationSubject => ({ idNumber, name, role: 'obligor' });

function admin(url: string, method: string, urlPath: string, body?: unknown): Promise<Response> {
  return fetch(`${url}${urlPath}`, {
    method,
    headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function checksWithKey(url: string, key: string): Promise<{ checkId: string }[]> {
  const res = await admin(url, 'GET', '/sandbox/checks');
  const { checks } = (await res.json()) as { checks: { checkId: string; idempotencyKey: string }[] };
  return checks.filter((c) => c.idempotencyKey === key);
}

async function untilCompleted(client: HttpVerificationAgency, checkId: string): Promise<VerificationReport> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const result: CheckResult = await client.getCheck(checkId);
    if (result.status === 'completed') return result.report;
    if (Date.now() > deadline) throw new Error(`check ${checkId} still pending`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function rejection(promise: Promise<unknown>): Promise<AgencyRejectedError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AgencyRejectedError);
  return err as AgencyRejectedError;
}

const clean = emptyFindings;

describe('verification agency (sandbox over HTTP)', () => {
  it('R-APP-03: a check stays pending until the agency completes it, then returns the findings of every subject', async () => {
    const subjects = [member(WITH_WAGES, '王芳'), member(WITH_PUBLIC_EMPLOYEE_RELATIVE, '王小明'), obligor(WITH_CAR, '王建国')];
    const started = Date.now();
    const { checkId } = await agency.submitCheck({ idempotencyKey: uniqueKey(), reference: 'application-1', purpose: 'application', subjects });

    expect(await agency.getCheck(checkId)).toEqual({ status: 'pending' });
    const report = await untilCompleted(agency, checkId);

    expect(Date.now() - started).toBeGreaterThanOrEqual(LATENCY_MS - 10);
    expect(report.checkId).toBe(checkId);
    expect(report.subjects.map((s) => [s.idNumber, s.role])).toEqual([
      [WITH_WAGES, 'member'],
      [WITH_PUBLIC_EMPLOYEE_RELATIVE, 'member'],
      [WITH_CAR, 'obligor'],
    ]);
    const [wages, relative, car] = report.subjects;
    expect(wages.incomes).toEqual([expect.objectContaining({ source: 'wages', monthlyFen: 180000 })]);
    expect(relative.publicEmployeeRelatives).toHaveLength(1);
    expect(car.vehicles).toEqual([expect.objectContaining({ kind: 'consumer' })]);
    // fields the fixture leaves out are clean, not missing
    expect(car.incomes).toEqual([]);
    expect(wages.vehicles).toEqual([]);
  });

  it('R-APP-03: a person the agency has no record of comes back with a clean record', async () => {
    const unknown = newIdNumber();
    const { checkId } = await agency.submitCheck({ idempotencyKey: uniqueKey(), reference: 'r', purpose: 'review', subjects: [obligor(unknown)] });
    expect((await untilCompleted(agency, checkId)).subjects).toEqual([clean(unknown, 'obligor')]);
  });

  it("R-APP-05: the agency's own income labels are mapped onto the vocabulary at the adapter: 种养殖 is agriculture, an unknown one is other", async () => {
    // a demo person of sandbox-fixtures.json, whose fixture carries the agency's labels
    const { checkId } = await agency.submitCheck({ idempotencyKey: uniqueKey(), reference: 'r', purpose: 'application', subjects: [member(WITH_AGENCY_LABELS)] });
    const [found] = (await untilCompleted(agency, checkId)).subjects;
    expect(found.incomes).toEqual([
      { source: 'agriculture', monthlyFen: 30000 },
      { source: 'other', monthlyFen: 5000 },
    ]);
  });

  it('R-APP-05: the HTTP client maps what an agency answers on the wire (零工, an unknown label, none at all), never refusing the report', async () => {
    const person = newIdNumber();
    const raw = [{ source: '零工', monthlyFen: 20000 }, { source: 'lottery', monthlyFen: 100 }, { monthlyFen: 7 }];
    const body = { checkId: 'c-1', status: 'completed', submittedAt: 'x', completedAt: 'y', report: { checkId: 'c-1', completedAt: 'y', subjects: [{ ...clean(person, 'member'), incomes: raw }] } };
    const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const wire = new HttpVerificationAgency({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: API_KEY });
      const result = await wire.getCheck('c-1');
      expect(result.status === 'completed' && result.report.subjects[0].incomes).toEqual([
        { source: 'casual_work', monthlyFen: 20000 },
        { source: 'other', monthlyFen: 100 },
        { source: 'other', monthlyFen: 7 },
      ]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('findings set through the sandbox appear in the report, and a completed report no longer changes', async () => {
    const person = newIdNumber();
    const fixture = { depositsFen: 4_500_000, realEstate: [{ kind: 'commercial', areaM2: 86.5 }], housingFundMonthlyFen: 120_00 };
    expect((await admin(sandbox.url, 'PUT', `/sandbox/people/${person}`, fixture)).status).toBe(200);

    const { checkId } = await agency.submitCheck({ idempotencyKey: uniqueKey(), reference: 'r', purpose: 'alert', subjects: [member(person)] });
    const report = await untilCompleted(agency, checkId);
    expect(report.subjects).toEqual([{ ...clean(person, 'member'), ...fixture }]);

    await admin(sandbox.url, 'PUT', `/sandbox/people/${person}`, { depositsFen: 1 });
    expect(await agency.getCheck(checkId)).toEqual({ status: 'completed', report });
  });

  it('the same idempotency key and body return the same check, and only one check is stored', async () => {
    const key = uniqueKey();
    const input = { idempotencyKey: key, reference: 'r', purpose: 'application' as const, subjects: [member(newIdNumber())] };
    const first = await agency.submitCheck(input);
    const second = await agency.submitCheck({ ...input, subjects: input.subjects.map((s) => ({ role: s.role, name: s.name, idNumber: s.idNumber })) });

    expect(second.checkId).toBe(first.checkId);
    expect(await checksWithKey(sandbox.url, key)).toEqual([expect.objectContaining({ checkId: first.checkId })]);
  });

  it('the same idempotency key with a different body is refused with 422', async () => {
    const key = uniqueKey();
    await agency.submitCheck({ idempotencyKey: key, reference: 'r', purpose: 'application', subjects: [member(newIdNumber())] });
    const err = await rejection(agency.submitCheck({ idempotencyKey: key, reference: 'r', purpose: 'application', subjects: [member(newIdNumber())] }));
    expect(err.status).toBe(422);
    expect(await checksWithKey(sandbox.url, key)).toHaveLength(1);
  });

  it('a bad body is refused with 400 problem JSON listing every wrong field', async () => {
    const res = await fetch(`${sandbox.url}/v1/checks`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json', 'Idempotency-Key': uniqueKey() },
      body: JSON.stringify({ subjects: [{ idNumber: '140521195803120318', name: '', role: 'friend' }], purpose: 'lottery' }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { type: string; title: string; status: number; detail: string; errors: { path: string }[] };
    expect(problem).toMatchObject({ status: 400, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
    expect(problem.errors.map((e) => e.path).sort()).toEqual(
      ['purpose', 'reference', 'subjects.0.idNumber', 'subjects.0.name', 'subjects.0.role'].sort(),
    );

    // the client surfaces the same list as a final rejection
    const err = await rejection(
      agency.submitCheck({ idempotencyKey: uniqueKey(), reference: 'r', purpose: 'application', subjects: [] }),
    );
    expect(err.status).toBe(400);
    expect(err.errors.map((e) => e.path)).toEqual(['subjects']);
  });

  it('a submission without Idempotency-Key is refused with 400', async () => {
    const res = await admin(sandbox.url, 'POST', '/v1/checks', { reference: 'r', purpose: 'application', subjects: [member(newIdNumber())] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/Idempotency-Key/);
  });

  it('a wrong API key is refused with 401, retryable: an operator fixes the key and no case is lost', async () => {
    const intruder = new HttpVerificationAgency({ baseUrl: sandbox.url, apiKey: 'wrong' });
    const err = await intruder.submitCheck({ idempotencyKey: uniqueKey(), reference: 'r', purpose: 'application', subjects: [member(newIdNumber())] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(AgencyRejectedError);
    expect((err as Error).message).toMatch(/401/);
  });

  it('an unknown check is refused with 404, final', async () => {
    expect((await rejection(agency.getCheck('chk_does-not-exist'))).status).toBe(404);
  });

  it('an agency outage (503) is a plain, retryable Error, and the next call succeeds', async () => {
    await admin(sandbox.url, 'PUT', '/sandbox/config', { failNextRequests: 1 });
    const key = uniqueKey();
    const input = { idempotencyKey: key, reference: 'r', purpose: 'death' as const, subjects: [member(newIdNumber())] };

    const err = await agency.submitCheck(input).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(AgencyRejectedError);
    expect((err as Error).message).toMatch(/503/);
    expect(await checksWithKey(sandbox.url, key)).toHaveLength(0);

    const { checkId } = await agency.submitCheck(input);
    expect(await checksWithKey(sandbox.url, key)).toEqual([expect.objectContaining({ checkId })]);
  });

  it('an unreachable agency is a plain, retryable Error', async () => {
    const nowhere = new HttpVerificationAgency({ baseUrl: `http://127.0.0.1:${await freePort()}`, apiKey: API_KEY, timeoutMs: 2000 });
    const err = await nowhere.getCheck('chk_x').then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(AgencyRejectedError);
  });
});

describe('verification activities', () => {
  const activities = () => createVerificationActivities(agency);

  it('R-APP-03: a retried submission of the same round finds the first check instead of submitting a second', async () => {
    const workflowId = `application-${crypto.randomUUID()}`;
    const input = { workflowId, round: 1, purpose: 'application' as const, subjects: [member(newIdNumber()), obligor(newIdNumber())] };

    const first = await activities().submitEconomicCheck(input);
    const retried = await activities().submitEconomicCheck(input);
    const nextRound = await activities().submitEconomicCheck({ ...input, round: 2 });

    expect(retried.checkId).toBe(first.checkId);
    expect(nextRound.checkId).not.toBe(first.checkId);
    expect(await checksWithKey(sandbox.url, `${workflowId}/check/1`)).toHaveLength(1);
    expect(await checksWithKey(sandbox.url, `${workflowId}/check/2`)).toHaveLength(1);
  });

  it('R-APP-03, issue 22 §1.7: the key names the execution chain: the same round of another chain under the same workflow id is another check; a check scheduled before (no chain) keeps its old key', async () => {
    const workflowId = `application-${crypto.randomUUID()}`;
    const input = { workflowId, round: 1, purpose: 'application' as const, subjects: [member(newIdNumber())] };
    const chainA = await activities().submitEconomicCheck({ ...input, chain: 'run-a' });
    const chainAAgain = await activities().submitEconomicCheck({ ...input, chain: 'run-a' });
    const chainB = await activities().submitEconomicCheck({ ...input, chain: 'run-b' });
    expect(chainAAgain.checkId).toBe(chainA.checkId);
    expect(chainB.checkId).not.toBe(chainA.checkId);
    expect(await checksWithKey(sandbox.url, `${workflowId}/run-a/check/1`)).toHaveLength(1);
    expect(await checksWithKey(sandbox.url, `${workflowId}/run-b/check/1`)).toHaveLength(1);
    // an in-flight check recorded before the chain existed is retried under the key it was submitted with
    const legacy = await activities().submitEconomicCheck(input);
    expect(await checksWithKey(sandbox.url, `${workflowId}/check/1`)).toHaveLength(1);
    expect([chainA.checkId, chainB.checkId]).not.toContain(legacy.checkId);
  });

  it('R-APP-03: fetchEconomicCheck returns the completed report', async () => {
    const subject = member(newIdNumber());
    const { checkId } = await activities().submitEconomicCheck({ workflowId: `review-${crypto.randomUUID()}`, round: 1, purpose: 'review', subjects: [subject] });
    await untilCompleted(agency, checkId);
    const result = await activities().fetchEconomicCheck({ checkId });
    expect(result).toEqual({ status: 'completed', report: expect.objectContaining({ checkId, subjects: [clean(subject.idNumber, 'member')] }) });
  });

  it("an agency's refusal becomes a non-retryable AgencyRejected failure; an outage stays retryable", async () => {
    const refused = await activities().fetchEconomicCheck({ checkId: 'chk_unknown' }).then(() => undefined, (e: unknown) => e);
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect(refused).toMatchObject({ type: 'AgencyRejected', nonRetryable: true });

    await admin(sandbox.url, 'PUT', '/sandbox/config', { failNextRequests: 1 });
    const outage = await activities().fetchEconomicCheck({ checkId: 'chk_unknown' }).then(() => undefined, (e: unknown) => e);
    expect(outage).not.toBeInstanceOf(ApplicationFailure);
    expect(outage).toBeInstanceOf(Error);
  });
});

describe('sandbox state file', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-agency-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a restarted sandbox still knows the checks and fixtures submitted before, so polling workflows continue', async () => {
    const stateFile = path.join(dir, 'state', 'agency.json');
    const person = newIdNumber();
    const key = uniqueKey();
    const input = { idempotencyKey: key, reference: 'r', purpose: 'application' as const, subjects: [member(person)] };

    const before = await startSandboxAgency({ port: 0, apiKey: API_KEY, latencyMs: LATENCY_MS, stateFile });
    await admin(before.url, 'PUT', `/sandbox/people/${person}`, { depositsFen: 99_900 });
    const { checkId } = await new HttpVerificationAgency({ baseUrl: before.url, apiKey: API_KEY }).submitCheck(input);
    await before.close();

    const after = await startSandboxAgency({ port: 0, apiKey: API_KEY, latencyMs: LATENCY_MS, stateFile });
    try {
      const client = new HttpVerificationAgency({ baseUrl: after.url, apiKey: API_KEY });
      expect((await client.submitCheck(input)).checkId).toBe(checkId);
      const report = await untilCompleted(client, checkId);
      expect(report.subjects[0].depositsFen).toBe(99_900);
    } finally {
      await after.close();
    }

    // a completed report is kept too, unchanged
    const again = await startSandboxAgency({ port: 0, apiKey: API_KEY, stateFile });
    try {
      const client = new HttpVerificationAgency({ baseUrl: again.url, apiKey: API_KEY });
      await admin(again.url, 'DELETE', '/sandbox/people');
      const result = await client.getCheck(checkId);
      expect(result.status === 'completed' && result.report.subjects[0].depositsFen).toBe(99_900);
    } finally {
      await again.close();
    }
  });
});
