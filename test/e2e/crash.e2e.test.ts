// Issue 16, "a crash loses nothing, and a retry gets its answer", end to end as deployed: the Temporal
// CLI dev server, PostgreSQL, the sandbox agency, the worker and the API each in their own process,
// driven through HTTP only, as an operator and ten clients would. The worker is killed (SIGKILL) in the
// middle of 40 concurrent intakes and 14 commands on open cases (a collective decision's vote pair
// among them); a new worker starts and every client repeats what was not answered 2xx with its own
// Idempotency-Key and body, as the contract says (Retry-After honoured). Then everything is counted
// from the projection and the audit trail. A second test stops the API with SIGTERM while intakes are
// in flight: each gets its whole answer, and a retry its 201.
import crypto from 'node:crypto';
import { requestHash } from '../../api/idempotency';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { token, type HttpResult } from '../helpers/http';
import { countBy, intakeReq, last, ok, retrying, sleep, type Req } from '../helpers/retrying-requests';
import { allMaterials, applicationBody, poorFamily } from '../helpers/people';
import { AGENCY_KEY, shortPublicity, startStack, type Stack } from '../helpers/stack';

jest.setTimeout(300_000);

let db: TestDatabase;
let stack: Stack;

/** How long one attempt may wait for the workflow before the API answers 503. */
const COMMAND_TIMEOUT_MS = 6_000;
/** Every request is answered 2xx within this, counted from the new worker's start. */
const RETRY_BOUND_MS = 150_000;
const TOWNSHIP = '140599100';

beforeAll(async () => {
  db = await createTestDatabase();
  // a 4-second publicity, so prepared cases reach the county's collective decision within the test
  await shortPublicity(db, 4);
  // ten intake clients: the two seeded township caseworkers and eight more of the same township
  await db.prisma.staffMember.createMany({
    data: Array.from({ length: 8 }, (_, i) => ({ staffId: `crash${i + 1}`, name: `受理员${i + 1}`, role: 'township_caseworker', jurisdiction: TOWNSHIP })),
  });
  stack = await startStack({
    db,
    agencyLatencyMs: 500,
    apiEnv: {
      API_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
      API_SHUTDOWN_GRACE_MS: '20000',
      // the crash, not the rate limits, is under test here: room for every intake, retry and replay
      // from one address, and one chain verification per case
      RATE_LIMIT_INTAKE_PER_MIN: '500',
      RATE_LIMIT_VERIFY_PER_HOUR: '1000',
    },
  });
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const clients = ['zhangmin', 'liqiang', ...Array.from({ length: 8 }, (_, i) => `crash${i + 1}`)].map((sub) => ({ sub, token: token(sub, 'township_caseworker', TOWNSHIP, sub) }));
const caseworker = clients[0].token;
const leader = token('zhoujie', 'township_leader', TOWNSHIP, '周杰');
const approvers = ['chenjing', 'sunli'].map((sub) => ({ sub, token: token(sub, 'county_approver', '140599', sub) }));
const supervisor = token('hewei', 'supervisor', '1405', '何伟');

const { send, untilAnswered } = retrying(() => stack.http);

async function view(caseId: string): Promise<any> {
  return (await stack.http.request('GET', `/v1/applications/${caseId}`, { token: caseworker })).body;
}

async function waitForStep(caseIds: string[], steps: string[], timeoutMs = 90_000): Promise<void> {
  const started = Date.now();
  for (const caseId of caseIds) {
    for (;;) {
      const step = (await view(caseId)).step;
      if (steps.includes(step)) break;
      if (Date.now() - started > timeoutMs) throw new Error(`case ${caseId} stayed in ${step}, expected ${steps.join(' or ')}`);
      await sleep(300);
    }
  }
}

/** Cases to command on, walked through HTTP before the crash: `investigating`, `township_review`, materials missing, `county_decision`. */
async function prepareCases() {
  const plan = { investigation: 4, review: 3, materials: 3, decision: 2 };
  const intakes: Record<keyof typeof plan, Req[]> = { investigation: [], review: [], materials: [], decision: [] };
  for (const [what, n] of Object.entries(plan) as [keyof typeof plan, number][]) {
    for (let i = 0; i < n; i++) {
      const body = applicationBody();
      // the applicant's pledge is missing: the case waits for it (R-APP-01)
      if (what === 'materials') body.materials = allMaterials(body.household).filter((m) => m !== 'applicant_pledge');
      intakes[what].push(intakeReq(clients[0], body, `prep-${what}-${i}`));
    }
  }
  const all = Object.values(intakes).flat();
  await Promise.all(all.map((r) => send(r).then(() => untilAnswered(r, Date.now() + 60_000))));
  for (const r of all) expect(last(r).status).toBe(201);
  const ids = (rs: Req[]) => rs.map((r) => last(r).body.caseId as string);
  const enteredOn: string = last(all[0]).body.enteredOn;
  const investigation = { investigators: ['zhangmin', 'liqiang'], visitedOn: enteredOn, findings: '入户调查属实', incomes: [], expenditures: [] };
  const review = { opinion: 'eligible', reason: '符合条件' };

  const toInvestigate = [...ids(intakes.investigation), ...ids(intakes.review), ...ids(intakes.decision)];
  await waitForStep(toInvestigate, ['investigating']);
  for (const caseId of [...ids(intakes.review), ...ids(intakes.decision)]) {
    const r = await stack.http.request('POST', `/v1/applications/${caseId}/investigation`, { token: caseworker, body: investigation });
    expect(r.status).toBe(200);
  }
  for (const caseId of ids(intakes.decision)) {
    const r = await stack.http.request('POST', `/v1/applications/${caseId}/township-review`, { token: caseworker, body: review });
    expect(r.status).toBe(200);
  }
  await waitForStep([...ids(intakes.review)], ['township_review']);
  await waitForStep(ids(intakes.decision), ['county_decision']);
  return {
    investigation: ids(intakes.investigation),
    review: ids(intakes.review),
    materials: ids(intakes.materials),
    decision: ids(intakes.decision),
    bodies: { investigation, review },
    heads: all.map((r) => r.head!),
  };
}

/** Per case, an audit event is never written twice: no two events with the same actor, action, reason, data and time. */
async function duplicateAuditEvents(caseIds: string[]): Promise<string[]> {
  const events = await db.prisma.auditEvent.findMany({ where: { caseId: { in: caseIds } }, select: { caseId: true, actor: true, action: true, reason: true, data: true, at: true } });
  const seen = new Map<string, number>();
  for (const e of events) {
    const k = JSON.stringify([e.caseId, e.actor, e.action, e.reason, e.at.toISOString(), e.data]);
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
}

async function countActions(caseId: string, action: string): Promise<number> {
  return db.prisma.auditEvent.count({ where: { caseId, action } });
}

describe('Crash (issue 16): a crash loses nothing, and a retry gets its answer', () => {
  it('Crash: a worker killed (SIGKILL) during 40 concurrent intakes and 14 commands loses nothing, every retry with its Idempotency-Key gets its answer, and nothing is done twice', async () => {
    const prepared = await prepareCases();

    // 40 intakes from 10 clients, each with its own key and household …
    const intakes = Array.from({ length: 40 }, (_, i) => intakeReq(clients[i % 10], applicationBody(poorFamily()), `intake-${i}`));
    // … and 14 commands on open cases, each with its own key: the decision's votes come in pairs
    const command = (kind: Req['kind'], caseId: string, path: string, tok: string, body: unknown, name: string): Req => ({
      name,
      kind,
      caseId,
      path: `/v1/applications/${caseId}/${path}`,
      token: tok,
      body,
      key: `${name}-${crypto.randomUUID()}`,
      answers: [],
    });
    const commands = [
      ...prepared.investigation.map((c, i) => command('investigation', c, 'investigation', clients[i % 2].token, prepared.bodies.investigation, `investigation-${i}`)),
      ...prepared.review.map((c, i) => command('township_review', c, 'township-review', leader, prepared.bodies.review, `review-${i}`)),
      ...prepared.materials.map((c, i) => command('materials', c, 'materials', clients[1].token, { materials: ['applicant_pledge'] }, `materials-${i}`)),
      ...prepared.decision.flatMap((c, i) =>
        approvers.map((a) => command('approval', c, 'approvals', a.token, { decision: 'approve', reason: `经集体审批同意（${a.sub}）` }, `vote-${i}-${a.sub}`)),
      ),
    ];
    // the second decision's votes are sent the moment the worker dies, while the rest is still in flight:
    // both reach the case, neither answer can come back before the API's deadline
    const late = commands.filter((r) => r.caseId === prepared.decision[1]);
    const early = [...intakes, ...commands.filter((r) => !late.includes(r))].sort(() => Math.random() - 0.5);
    const requests = [...early, ...late];

    // everything at once; the worker is killed once 10 requests were answered 2xx (or, on a machine too
    // slow for that, when the first attempts' deadline passes, so that most are still in flight)
    const started = Date.now();
    let answered = 0;
    let crash: Promise<void> | undefined;
    let killed = { afterMs: 0, answered: 0 };
    const crashedWorker = stack.worker!;
    const killWorker = () =>
      (crash ??= ((killed = { afterMs: Date.now() - started, answered }), crashedWorker.kill().then(() => void Promise.all(late.map(send)))));
    const fallback = setTimeout(killWorker, COMMAND_TIMEOUT_MS);
    const first = (r: Req) =>
      send(r).then((res) => {
        if (ok(res) && ++answered >= 10) void killWorker();
      });
    // each client sends its intakes one after the other, whatever the answer, all clients at once; each
    // command is sent at once too
    const byClient = new Map<string, Req[]>();
    for (const r of early.filter((x) => x.kind === 'intake')) byClient.set(r.token, [...(byClient.get(r.token) ?? []), r]);
    await Promise.all([
      ...[...byClient.values()].map(async (rs) => {
        for (const r of rs) await first(r);
      }),
      ...early.filter((x) => x.kind !== 'intake').map(first),
    ]);
    clearTimeout(fallback);
    await killWorker();
    for (const until = Date.now() + 30_000; late.some((r) => r.answers.length === 0); await sleep(100)) {
      if (Date.now() > until) throw new Error('the late votes sent at the crash got no first answer within 30 s');
    }
    const firstAnswers = requests.map((r) => r.answers[0]);
    const firstOk = firstAnswers.filter(ok).length;
    const firstStatuses = countBy(firstAnswers.map((a) => a.status));

    // the operator starts a new worker; every client repeats what was not answered 2xx
    await stack.startWorker();
    const restartedAt = Date.now();
    // the late votes' clients come back only once the case is decided: their answers must still be the
    // votes'. The scenario is that the votes sent during the crash were kept and decided the case with the
    // new worker, before any retry: a wait that times out fails the test, it does not skip the scenario.
    let decidedBeforeRetry = false;
    await Promise.all([
      ...early.map((r) => untilAnswered(r, restartedAt + RETRY_BOUND_MS)),
      waitForStep([prepared.decision[1]], ['enrolled'], 30_000)
        .then(() => {
          // decided by the votes of the crash, which no answer had confirmed and nobody had repeated yet
          decidedBeforeRetry = late.every((r) => r.answers.length === 1 && !ok(r.answers[0]));
        })
        .then(() => Promise.all(late.map((r) => untilAnswered(r, restartedAt + RETRY_BOUND_MS)))),
    ]);
    expect(decidedBeforeRetry).toBe(true);
    const recoveredInMs = Date.now() - restartedAt;
    const unanswered = requests.filter((r) => !ok(last(r)));
    expect(unanswered.map((r) => ({ name: r.name, answers: r.answers.map((a) => `${a.status} ${a.body?.detail ?? ''}`) }))).toEqual([]);

    // every key replays its answer: the same status and body (the same case id for an intake)
    const replays = await Promise.all(
      requests.map(async (r) => {
        const res = await stack.http.request('POST', r.path, { token: r.token, body: r.body, headers: { 'Idempotency-Key': r.key } });
        return { r, res };
      }),
    );
    for (const { r, res } of replays) {
      expect({ name: r.name, status: res.status, replayed: res.headers.get('idempotent-replayed'), body: res.body }).toEqual({
        name: r.name,
        status: last(r).status,
        replayed: 'true',
        body: last(r).body,
      });
    }
    const byKind = (answers: (r: Req) => HttpResult | undefined) =>
      Object.fromEntries([...new Set(requests.map((r) => r.kind))].map((k) => [k, countBy(requests.filter((r) => r.kind === k).map((r) => answers(r)?.status ?? -1))]));
    const attempts = requests.reduce((n, r) => n + r.answers.length, 0);
    const retried = requests.filter((r) => r.answers.length > 1).length;
    const votes = requests.filter((r) => r.kind === 'approval').map((r) => `${r.name}: ${r.answers.map((a) => a.status).join(',')}`);
    const retryStatuses = countBy(requests.flatMap((r) => r.answers.slice(1, -1).map((a) => a.status)));
    console.log(
      `crash test: ${requests.length} requests (${intakes.length} intakes from ${clients.length} clients, ${commands.length} commands); ` +
        `worker killed after ${killed.afterMs} ms and ${killed.answered} answers; first attempts in ${restartedAt - started} ms: ${firstOk} answered 2xx, statuses ${JSON.stringify(firstStatuses)} (by kind ${JSON.stringify(byKind((r) => r.answers[0]))}); ` +
        `${retried} repeated, ${attempts} attempts in all (intermediate statuses ${JSON.stringify(retryStatuses)}), all answered 2xx ${recoveredInMs} ms after the new worker started; ` +
        `${replays.length} replays identical; votes ${votes.join('; ')} (the second case decided before its votes were repeated: ${decidedBeforeRetry})`,
    );
    expect(retried).toBeGreaterThan(0); // the crash did leave requests unanswered

    // one case per household, and it is the case the key's answer named
    const intakeCases = intakes.map((r) => last(r).body.caseId as string);
    expect(new Set(intakeCases).size).toBe(intakes.length);
    for (const r of intakes) {
      const caseId = last(r).body.caseId;
      const memberOf = await db.prisma.caseMember.findMany({ where: { idNumber: r.head! }, select: { caseId: true } });
      expect({ name: r.name, cases: memberOf.map((m) => m.caseId) }).toEqual({ name: r.name, cases: [caseId] });
      const locks = await db.prisma.openApplication.findMany({ where: { idNumber: r.head! }, select: { caseId: true } });
      expect({ name: r.name, locks: locks.map((l) => l.caseId) }).toEqual({ name: r.name, locks: [caseId] });
    }
    const allHeads = [...prepared.heads, ...intakes.map((r) => r.head!)];
    // this test's households (the SIGTERM test may have run first on the same database)
    const ours = { members: { some: { idNumber: { in: allHeads } } } };
    expect(await db.prisma.case.count({ where: ours })).toBe(allHeads.length);
    expect(await db.prisma.case.count({ where: { ...ours, status: 'open' } })).toBe(allHeads.length - prepared.decision.length);

    // nothing lost: every intake's verification finished after the crash, every command took effect
    await waitForStep(intakeCases, ['investigating']);
    await waitForStep(prepared.investigation, ['township_review']);
    await waitForStep(prepared.review, ['publicity', 'county_decision']);
    await waitForStep(prepared.materials, ['verifying', 'investigating']);
    await waitForStep(prepared.decision, ['enrolled']);

    // nothing done twice: each command's event once, each decision's votes once each, one decision, one enrolment
    for (const c of intakeCases) expect([c, await countActions(c, 'application.received')]).toEqual([c, 1]);
    for (const c of prepared.investigation) expect([c, await countActions(c, 'investigation.recorded')]).toEqual([c, 1]);
    for (const c of prepared.review) expect([c, await countActions(c, 'township_review.recorded'), await countActions(c, 'publicity.started')]).toEqual([c, 1, 1]);
    for (const c of prepared.materials) expect([c, await countActions(c, 'materials.supplemented'), await countActions(c, 'application.accepted')]).toEqual([c, 1, 1]);
    for (const c of prepared.decision) {
      const votes = await db.prisma.auditEvent.findMany({ where: { caseId: c, action: 'approval.vote' }, select: { actor: true } });
      expect([c, votes.map((v) => v.actor).sort()]).toEqual([c, ['chenjing', 'sunli']]);
      expect([c, await countActions(c, 'application.decided'), await countActions(c, 'household.enrolled')]).toEqual([c, 1, 1]);
      expect(await db.prisma.household.count({ where: { caseId: c } })).toBe(1);
      const decided = await view(c);
      expect(decided.decisions.enrolment.monthlyFen).toBeGreaterThan(0);
    }
    // a vote repeated under a key whose first attempt failed before it reached the case (no Update ran),
    // once the case is decided: the usual refusal, stored as that key's answer, and no third vote
    const lateVote = { decision: 'approve', reason: '补投' };
    const lateKey = `vote-after-decision-${crypto.randomUUID()}`;
    const votePath = `/v1/applications/${prepared.decision[0]}/approvals`;
    await db.prisma.idempotencyKey.create({ data: { subject: 'chenjing', key: lateKey, requestHash: requestHash('POST', votePath, lateVote), state: 'retry' } });
    const refused = await stack.http.request('POST', votePath, { token: approvers[0].token, body: lateVote, headers: { 'Idempotency-Key': lateKey } });
    expect({ status: refused.status, type: refused.body.type, step: refused.body.step }).toEqual({ status: 409, type: expect.stringMatching(/wrong-step$/), step: 'enrolled' });
    expect(await db.prisma.idempotencyKey.findUniqueOrThrow({ where: { subject_key: { subject: 'chenjing', key: lateKey } } })).toMatchObject({ state: 'done', statusCode: 409 });
    expect(await countActions(prepared.decision[0], 'approval.vote')).toBe(2);

    // the roster: every enrolled person once, in one active household
    const enrolledHeads = await db.prisma.householdMember.findMany({ where: { active: true }, select: { idNumber: true } });
    expect(enrolledHeads.length).toBe(new Set(enrolledHeads.map((m) => m.idNumber)).size);
    expect(await db.prisma.household.count()).toBe(prepared.decision.length);

    // the audit trail: no event written twice, and every case's chain verifies (R-SUP-05)
    const allCases = (await db.prisma.case.findMany({ select: { caseId: true } })).map((c) => c.caseId);
    expect(await duplicateAuditEvents(allCases)).toEqual([]);
    for (const c of allCases) {
      const verified = await stack.http.request('GET', `/v1/audit/verify?caseId=${c}`, { token: supervisor });
      expect([c, verified.status, verified.body.ok]).toEqual([c, 200, true]);
    }
    // one verification per case at the agency, whatever was retried
    const res = await fetch(`${stack.agencyUrl}/sandbox/checks`, { headers: { authorization: `Bearer ${AGENCY_KEY}` } });
    const checks = (await res.json()) as { reference: string }[] | { checks: { reference: string }[] };
    const references = (Array.isArray(checks) ? checks : checks.checks).map((c) => c.reference);
    for (const c of intakeCases) expect([c, references.filter((x) => x === `application-${c}`).length]).toEqual([c, 1]);
  });

  it('Crash: on SIGTERM the API refuses new connections and finishes every request in flight within its grace period', async () => {
    // an API that waits up to 15 s for a workflow, and no worker: the intakes stay in flight at the API
    await stack.api.stop();
    await stack.startApi({ API_COMMAND_TIMEOUT_MS: '15000' });
    await stack.worker!.kill();
    const intakes = Array.from({ length: 6 }, (_, i) => intakeReq(clients[i % 3], applicationBody(poorFamily()), `sigterm-${i}`));
    const inflight = intakes.map((r) => send(r));
    await sleep(1_500);
    const api = stack.api;
    process.kill(-api.process.pid!, 'SIGTERM');
    await sleep(300);
    await expect(fetch(`http://127.0.0.1:${stack.apiPort}/healthz`)).rejects.toThrow();
    // the worker comes back while the API drains: the intakes in flight can still finish
    await stack.startWorker();
    const answers = await Promise.all(inflight);
    // every one answered in full, never a cut connection: 201 (or 503 had its deadline passed first)
    for (const a of answers) expect([201, 503]).toContain(a.status);
    expect(answers.filter(ok).length).toBeGreaterThan(0);
    expect(await api.exited).toBe(0);

    // a retry of each gets the answer of its first attempt, or its 201 now
    await stack.startApi();
    const deadline = Date.now() + 60_000;
    await Promise.all(intakes.map((r) => untilAnswered(r, deadline)));
    for (const r of intakes) {
      expect({ name: r.name, status: last(r).status }).toEqual({ name: r.name, status: 201 });
      const row = await db.prisma.idempotencyKey.findFirstOrThrow({ where: { key: r.key } });
      expect(last(r).body.caseId).toBe(row.caseId);
      expect((await db.prisma.caseMember.findMany({ where: { idNumber: r.head! } })).map((m) => m.caseId)).toEqual([row.caseId]);
    }
    console.log(`SIGTERM test: ${intakes.length} intakes in flight answered ${JSON.stringify(countBy(answers.map((a) => a.status)))}; ${intakes.reduce((n, r) => n + r.answers.length, 0)} attempts in all`);
  });
});
