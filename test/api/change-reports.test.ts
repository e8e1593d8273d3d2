// R-REV-03…05 over HTTP: monthly change reports and partner alerts against the real app, PostgreSQL and
// the time-skipping server (2 March 2026); `review` is a stub (test/workflows/fixtures/review-stub.ts).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { createTimeSkippingEnv, resultInRealTime } from '../helpers/temporal';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { listen, TEST_JWT_SECRET, token, type HttpClient } from '../helpers/http';
import { changeReportWorker, recipient, reviewStubBundle } from '../helpers/change-reports';
import { idNumberFor } from '../helpers/people';

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let http: HttpClient;
let worker: Worker;
let running: Promise<void>;

const MONTH = '2026-03';
const V1 = '140521100201';
const V2 = '140521100202';
const A = idNumberFor('1958-02-03', '140521');
const B = idNumberFor('1961-07-08', '140521');
const C = idNumberFor('1970-09-10', '140521');
const va = () => token('qs-va1', 'village_assistant', V1);
const tw = () => token('qs-tw1', 'township_caseworker', '140521100');
const cc = () => token('qs-cc1', 'county_caseworker', '140521');

beforeAll(async () => {
  let code: string;
  [env, db, code] = await Promise.all([createTimeSkippingEnv(), createTestDatabase(), reviewStubBundle()]);
  const taskQueue = `change-reports-api-${process.pid}`;
  worker = await changeReportWorker(env, db.prisma, code, taskQueue);
  running = worker.run();
  http = await listen(createApp({ prisma: db.prisma, client: env.client, taskQueue, jwt: { secret: TEST_JWT_SECRET }, commandTimeoutMs: 15_000 }));
  await db.prisma.staffMember.create({ data: { staffId: 'qs-va1', name: '村协理员', role: 'village_assistant', jurisdiction: V1 } });
  await recipient(db.prisma, 'hh-a', V1, [A]);
  await recipient(db.prisma, 'hh-b', V1, [B]);
  await recipient(db.prisma, 'hh-c', V2, [C]);
});
afterAll(async () => {
  await http?.close();
  worker?.shutdown();
  await running;
  await env?.teardown();
  await db?.drop();
});

const post = (path: string, tok: string, body: unknown, key?: string) => http.request('POST', path, { token: tok, body, headers: key ? { 'Idempotency-Key': key } : {} });

it('R-REV-03: a malformed change report is 400 problem+json naming every bad field', async () => {
  const r = await post('/v1/households/hh-a/change-reports', va(), { month: '2026-13', changes: [{ kind: 'salary', summary: '' }, { kind: 'death', summary: '病故', memberIdNumber: A }] });
  expect(r.status).toBe(400);
  expect(r.type).toMatch(/application\/problem\+json/);
  expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['month', 'changes[0].kind', 'changes[0].summary', 'changes[1].dateOfDeath']));
  const future = await post('/v1/households/hh-a/change-reports', va(), { month: '2999-01', changes: [] });
  expect(future.status).toBe(400);
  expect(future.body.errors).toEqual([expect.objectContaining({ path: 'month' })]);
});

it('R-REV-03: a village assistant reports only for their own village: another village’s household is 404', async () => {
  const r = await post('/v1/households/hh-c/change-reports', va(), { month: MONTH, changes: [] });
  expect(r.status).toBe(404);
  const member = await post('/v1/households/hh-a/change-reports', va(), { month: MONTH, changes: [{ kind: 'illness', summary: '住院', memberIdNumber: C }] });
  expect(member.status).toBe(422);
  expect(member.body.errors).toEqual([expect.objectContaining({ path: 'changes[0].memberIdNumber' })]);
});

it('R-REV-03: a village’s month report must list every recipient household (422 naming households); a complete one closes its deadline of the 20th', async () => {
  // the file's clock stays near 2 March: the tests wait on reviews' results without skipping time (resultInRealTime)
  const partial = await post(`/v1/villages/${V1}/change-reports`, va(), { month: MONTH, households: [{ householdId: 'hh-c', changes: [] }] });
  expect(partial.status).toBe(422);
  expect(partial.body.errors).toEqual([expect.objectContaining({ path: 'households[0].householdId' })]);
  const missing = await post(`/v1/villages/${V1}/change-reports`, va(), { month: MONTH, households: [{ householdId: 'hh-a', changes: [] }] });
  expect(missing.status).toBe(422);
  expect(missing.body.errors).toEqual([{ path: 'households', message: 'missing hh-b' }]);

  const done = await post(`/v1/villages/${V1}/change-reports`, va(), { month: MONTH, households: [{ householdId: 'hh-a', changes: [] }, { householdId: 'hh-b', changes: [{ kind: 'death', memberIdNumber: B, summary: '病故', dateOfDeath: '2026-02-27' }] }] }, 'village-1');
  expect(done.status).toBe(200);
  // issue 23 §3: the reported death of hh-b's only member opens the person's death stop (source report)
  expect(done.body).toMatchObject({ villagesReported: [V1], villagesMissing: [V2], followUps: [{ householdId: 'hh-a', followUp: 'none' }, { householdId: 'hh-b', followUp: 'death_stop', deathStopWorkflowId: expect.stringMatching(/^death-stop-DS-140521-/) }] });
  const stop = await db.prisma.deathStop.findUniqueOrThrow({ where: { idNumber: B } });
  expect(stop).toMatchObject({ householdId: 'hh-b', workflowId: done.body.followUps[1].deathStopWorkflowId });
  const row = await db.prisma.deadline.findUnique({ where: { workflowId_name: { workflowId: done.body.workflowId, name: `village_report:${V1}` } } });
  expect(row).toMatchObject({ kind: 'change_report', jurisdiction: V1, overdueSince: null });
  expect(row!.closedAt).not.toBeNull();

  const check = await post(`/v1/townships/140521100/change-reports/${MONTH}/check`, tw(), { summary: '已审核，西大村未报' });
  expect(check.status).toBe(200);
  expect(check.body).toMatchObject({ checked: true, villagesMissing: [V2] });
  const view = await http.request('GET', `/v1/townships/140521100/change-reports/${MONTH}`, { token: tw() });
  expect(view.body.deaths).toEqual([expect.objectContaining({ householdId: 'hh-b', dateOfDeath: '2026-02-27' })]);
});

it('R-REV-04: a reported income change starts one review; posting it twice starts one; the same Idempotency-Key replays', async () => {
  const body = { month: MONTH, changes: [{ kind: 'income', memberIdNumber: A, summary: '外出务工，月收入约1500元', monthlyFen: 150000 }] };
  const first = await post('/v1/households/hh-a/change-reports', va(), body, 'income-1');
  expect(first.status).toBe(200);
  const f = first.body.followUps[0];
  expect(f).toMatchObject({ householdId: 'hh-a', followUp: 'review', alreadyOpen: false });
  const review = env.client.workflow.getHandle(f.reviewWorkflowId);
  // read without skipping time: the month's village deadline (the 20th) stays ahead for the tests after this one
  expect(await resultInRealTime(env, f.reviewWorkflowId)).toMatchObject({ householdId: 'hh-a', countyCode: '140521', period: MONTH, reason: 'change_report' });
  const { runId } = await review.describe();

  const replay = await post('/v1/households/hh-a/change-reports', va(), body, 'income-1');
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
  const second = await post('/v1/households/hh-a/change-reports', va(), body, 'income-2');
  expect(second.status).toBe(200);
  expect(second.body.followUps[0]).toMatchObject({ followUp: 'review', reviewWorkflowId: f.reviewWorkflowId, alreadyOpen: true });
  expect((await review.describe()).runId).toBe(runId);
});

it('R-REV-05: an alert for a recipient opens a verification review; an unknown ID number is listed in unknown, a malformed row in rejected naming the field; a re-post opens nothing new', async () => {
  const stranger = idNumberFor('1980-01-01', '140521');
  const body = {
    source: 'vehicle',
    records: [
      { idNumber: C, occurredOn: '2026-02-14', detail: '购买小型汽车', amountFen: 8_000_000 },
      { idNumber: stranger, occurredOn: '2026-02-14' },
      { idNumber: '140521198001010000', occurredOn: '2026-02-30' },
    ],
  };
  const r = await post('/v1/alerts', cc(), body);
  expect(r.status).toBe(200);
  expect(r.body.received).toBe(3);
  expect(r.body.opened).toEqual([{ idNumber: C, householdId: 'hh-c', workflowId: expect.stringMatching(/^review-hh-c-alert-/) }]);
  expect(r.body.unknown).toEqual([{ index: 1, idNumber: stranger }]);
  expect(r.body.rejected).toEqual([{ index: 2, errors: expect.arrayContaining([expect.objectContaining({ path: 'records[2].idNumber' }), expect.objectContaining({ path: 'records[2].occurredOn' })]) }]);
  expect(await resultInRealTime(env, r.body.opened[0].workflowId)).toMatchObject({ householdId: 'hh-c', reason: 'alert', period: '2026-02' });

  const again = await post('/v1/alerts', cc(), body);
  expect(again.body.opened).toEqual([{ idNumber: C, householdId: 'hh-c', workflowId: r.body.opened[0].workflowId, alreadyOpen: true }]);
});

it('R-REV-05: an alert without a source is 400 problem+json naming it; a village assistant may not post alerts', async () => {
  const r = await post('/v1/alerts', cc(), { records: [{ idNumber: C, occurredOn: '2026-02-14' }] });
  expect(r.status).toBe(400);
  expect(r.type).toMatch(/application\/problem\+json/);
  expect(r.body.errors).toEqual([expect.objectContaining({ path: 'source' })]);
  expect((await post('/v1/alerts', va(), { source: 'air_travel', records: [{ idNumber: C, occurredOn: '2026-02-14' }] })).status).toBe(403);
});
