// OWASP API4:2023 Unrestricted Resource Consumption (issue 16 "Bounded work"): text and list fields
// have limits that fit a real case (an investigation under 32 KB as a whole), over a limit is 400 (API.md's bad input) with rule API4, naming
// the field; and an Update answers Temporal with a compact result (step, revision, what changed: no
// household, no ID numbers) while the HTTP client still gets the whole case of API.md, read from the
// projection. Real PostgreSQL, real Temporal (time-skipping server) with the real activities.
import { temporal } from '@temporalio/proto';
import { workflowIdFor } from '../../api/applications/service';
import { LIMITS } from '../../workflows/application/payloads';
import * as m from '../../workflows/application/messages';
import { apiTestbed } from '../helpers/api-bed';
import { pinWallClock } from '../helpers/temporal';
import { token } from '../helpers/http';
import { actors, applicationBody, member, poorFamily } from '../helpers/people';
import { bodyBytes, bulky } from '../helpers/bulky';

// The API takes "today" from this process's clock (an intake's date): pinned to TEST_EPOCH, as the
// workflow's server starts there, before any token below is signed.
pinWallClock();

const tb = apiTestbed(`security-bounded-${process.pid}`);
const caseworker = token('zhangmin', 'township_caseworker', '140599100', '张敏');
const EventType = temporal.api.enums.v1.EventType;

async function investigatingCase(): Promise<{ caseId: string; enteredOn: string; input: ReturnType<typeof poorFamily> }> {
  const input = poorFamily();
  const created = await tb.http.request('POST', '/v1/applications', { token: caseworker, body: applicationBody(input) });
  expect(created.status).toBe(201);
  const caseId = created.body.caseId as string;
  for (let i = 0; i < 200; i++) {
    const r = await tb.http.request('GET', `/v1/applications/${caseId}`, { token: caseworker });
    if (r.body.step === 'investigating') return { caseId, enteredOn: r.body.enteredOn, input };
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('the case never reached investigating');
}

function investigationBody(input: ReturnType<typeof poorFamily>, visitedOn: string) {
  const head = input.household.members[0];
  const ill = input.household.members.find((x) => x.severeIllness)!;
  return {
    investigators: ['zhangmin', 'liqiang'],
    visitedOn,
    findings: '入户调查属实',
    incomes: [{ memberIdNumber: head.idNumber, monthlyFen: 50_000, source: 'wages' as const }],
    expenditures: [{ kind: 'illness' as const, monthlyFen: 30_000, memberIdNumber: ill.idNumber }],
    assets: [],
  };
}

describe('API4 (issue 16): limits that fit a real case', () => {
  it('API4 bounded work: an investigation over 32 KB (each part within its own limit) is 400 naming the body (rule API4), and nothing is recorded', async () => {
    const { caseId, enteredOn, input } = await investigatingCase();
    const body = bulky(investigationBody(input, enteredOn), 40 * 1024);
    expect(bodyBytes(body)).toBeGreaterThan(LIMITS.investigationBytes);
    const r = await tb.http.request('POST', `/v1/applications/${caseId}/investigation`, { token: caseworker, body });
    expect(r.status).toBe(400);
    expect(r.body.rule).toBe('API4');
    expect(r.type).toContain('application/problem+json');
    expect(r.body.errors).toEqual([expect.objectContaining({ path: '(body)', message: expect.stringMatching(/32768/) })]);
    const after = await tb.http.request('GET', `/v1/applications/${caseId}`, { token: caseworker });
    expect(after.body.investigations).toEqual([]);
    // a real one (just under the limit) is recorded
    const fits = bulky(investigationBody(input, enteredOn), 30 * 1024);
    expect((await tb.http.request('POST', `/v1/applications/${caseId}/investigation`, { token: caseworker, body: fits })).status).toBe(200);
  });

  it('API4 bounded work: a text over its limit (a 2,001-character objection) or a list over its limit (31 household members) is 400 naming the field with rule API4; a wrong type is a plain 400', async () => {
    const { caseId } = await investigatingCase();
    const long = await tb.http.request('POST', `/v1/applications/${caseId}/objections`, { token: caseworker, body: { summary: '异'.repeat(LIMITS.reason + 1), raisedBy: '村民' } });
    expect(long.status).toBe(400);
    expect(long.body.rule).toBe('API4');
    expect(long.body.errors).toEqual([expect.objectContaining({ path: 'summary' })]);
    const base = applicationBody();
    const crowd = Array.from({ length: LIMITS.members + 1 }, (_, i) => member(`成员${i}`, `19${String(50 + i).padStart(2, '0')}-01-01`, { relation: i === 0 ? 'self' : 'other' }));
    const big = await tb.http.request('POST', '/v1/applications', { token: caseworker, body: { ...base, household: { ...base.household, members: crowd } } });
    expect(big.status).toBe(400);
    expect(big.body.rule).toBe('API4');
    expect(big.body.errors).toEqual([expect.objectContaining({ path: 'household.members' })]);
    const typed = await tb.http.request('POST', `/v1/applications/${caseId}/objections`, { token: caseworker, body: { summary: 7, raisedBy: '村民' } });
    expect(typed.status).toBe(400);
    expect(typed.body.rule).toBeUndefined();
  });
});

describe('API4 (issue 16): compact update results', () => {
  it('API4 bounded work: an Update answers Temporal with caseId, step, status, revision and what changed (under 1 KB, no household, no ID number), every answer recorded in the history is as small, and the HTTP client still gets the whole case', async () => {
    const { caseId, enteredOn, input } = await investigatingCase();
    const ids = input.household.members.map((x) => x.idNumber);
    // over HTTP: the whole case, as API.md says
    const recorded = await tb.http.request('POST', `/v1/applications/${caseId}/investigation`, { token: caseworker, body: investigationBody(input, enteredOn) });
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({ caseId, step: 'township_review', household: { members: expect.any(Array) } });
    expect(recorded.body.investigations).toHaveLength(1);
    expect(recorded.body.accounting).not.toBeNull();

    // straight over Temporal: the compact result
    const handle = tb.env.client.workflow.getHandle(workflowIdFor(caseId));
    const answer = await handle.executeUpdate(m.townshipReviewUpdate, { args: [{ actor: actors.caseworker, opinion: 'eligible', reason: '符合条件' }] });
    expect(Object.keys(answer).sort()).toEqual(['caseId', 'changed', 'revision', 'status', 'step']);
    expect(answer).toMatchObject({ caseId, status: 'open', changed: expect.arrayContaining(['townshipReview']) });
    const json = JSON.stringify(answer);
    expect(json.length).toBeLessThan(1024);
    for (const id of ids) expect(json).not.toContain(id);
    expect(json).not.toMatch(/\d{17}[\dX]/);

    // what the history keeps of every answer (encrypted, so its size is what can be checked)
    const events = (await handle.fetchHistory()).events ?? [];
    const answers = events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED);
    expect(answers.length).toBeGreaterThanOrEqual(3); // intake receipt, investigation, township review
    for (const e of answers) {
      const payloads = e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.success?.payloads ?? [];
      expect(payloads.reduce((n, p) => n + (p.data?.length ?? 0), 0)).toBeLessThan(1024);
    }
    const seen = await tb.http.request('GET', `/v1/applications/${caseId}`, { token: caseworker });
    expect(seen.body.townshipReview).toMatchObject({ opinion: 'eligible' });
    expect(Number(seen.body.revision)).toBeGreaterThanOrEqual(answer.revision);
  });
});
