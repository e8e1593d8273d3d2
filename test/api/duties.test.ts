// Who may do what (issue 15 §1, issue 21 §2) over HTTP: investigators, county visitors, canonical staff ids
// and registered tokens, objections, inactive staff, the township's acceptance of materials. Real app, real
// PostgreSQL, real Temporal (the shared API test bed).
import { apiTestbed } from '../helpers/api-bed';
import { pinWallClock } from '../helpers/temporal';
import { token } from '../helpers/http';
import { applicationBody, authorisations, poorFamily } from '../helpers/people';

// the API's "today" and the workflow's both start on TEST_EPOCH, pinned before the tokens are signed
pinWallClock();

const bed = apiTestbed('api-duties');
const caseworker = token('zhangmin', 'township_caseworker', '140599100', '张敏');
const supervisor = token('hewei', 'supervisor', '1405', '何伟');
const assistant = token('wangfang', 'village_assistant', '140599100201', '王芳');
const DAY = 86_400_000;
const waitForStep = (caseId: string, step: string) => bed.waitForStep(caseId, step, caseworker);

async function newCase(body = applicationBody()) {
  const r = await bed.http.request('POST', '/v1/applications', { token: caseworker, body });
  expect(r.status).toBe(201);
  return r.body.caseId as string;
}

describe('API: who may do what (issue 15 §1)', () => {
  // the case's own date (set from each case's enteredOn): earlier tests skipped the workflow clock ahead of this process's
  let visitedOn = '';
  const investigationBody = (investigators: string[]) => ({ investigators, visitedOn, findings: '入户调查', incomes: [], expenditures: [] });

  it('R-APP-04: When the investigators are a county approver and a city supervisor, or staff of another township, then 422 naming investigators[i]; the recorder must be among them', async () => {
    const caseId = await newCase();
    visitedOn = (await waitForStep(caseId, 'investigating')).enteredOn;
    const post = (investigators: string[], as = caseworker) => bed.http.request('POST', `/v1/applications/${caseId}/investigation`, { token: as, body: investigationBody(investigators) });
    const county = await post(['chenjing', 'hewei']);
    expect(county).toMatchObject({ status: 422, body: { rule: 'R-APP-04' } });
    expect(county.body.errors).toEqual([expect.objectContaining({ path: 'investigators[0]' }), expect.objectContaining({ path: 'investigators[1]' })]);
    const approverAmong = await post(['zhangmin', 'chenjing']);
    expect(approverAmong).toMatchObject({ status: 422, body: { rule: 'R-APP-04', errors: [expect.objectContaining({ path: 'investigators[1]' })] } });
    const otherTownship = await post(['zhangmin', 'qs-tw1']);
    expect(otherTownship).toMatchObject({ status: 422, body: { rule: 'R-APP-04', errors: [expect.objectContaining({ path: 'investigators[1]' })] } });
    const notRecorder = await post(['liqiang', 'wangfang']);
    expect(notRecorder).toMatchObject({ status: 422, body: { rule: 'R-APP-04' } });
    const ok = await post(['zhangmin', 'wangfang']);
    expect(ok.body).toMatchObject({ step: 'township_review' });
  });

  it('R-APP-08: When the county visit names township staff or staff of another county, then 422 naming visitors[i]; one visitor is 400', async () => {
    const input = poorFamily();
    input.nearRelativeDeclaration = { hasStaffRelatives: true, relations: [{ memberIdNumber: input.household.members[0].idNumber, staffId: 'liqiang', relation: 'cousin' }] };
    const caseId = await newCase(applicationBody(input));
    visitedOn = (await waitForStep(caseId, 'investigating')).enteredOn;
    expect((await bed.http.request('POST', `/v1/applications/${caseId}/investigation`, { token: caseworker, body: investigationBody(['zhangmin', 'wangfang']) })).status).toBe(200);
    const countyCaseworker = token('zhaolei', 'county_caseworker', '140599', '赵磊');
    const visit = (visitors: string[]) => bed.http.request('POST', `/v1/applications/${caseId}/county-visit`, { token: countyCaseworker, body: { visitors, visitedOn, findings: '县级入户核查' } });
    expect((await visit(['zhaolei'])).status).toBe(400);
    const township = await visit(['zhaolei', 'zhangmin']);
    expect(township).toMatchObject({ status: 422, body: { rule: 'R-APP-08', errors: [expect.objectContaining({ path: 'visitors[1]' })] } });
    const otherCounty = await visit(['zhaolei', 'qs-cc1']);
    expect(otherCounty).toMatchObject({ status: 422, body: { rule: 'R-APP-08', errors: [expect.objectContaining({ path: 'visitors[1]' })] } });
    const ok = await visit(['zhaolei', 'chenjing']);
    expect(ok.status).toBe(200);
    expect(ok.body.step).toBe('township_review');
  });

  it('R-APP-09: When a token\'s sub differs from the register only in letter case (LiuYang), then he is that staff member and is recused from his sister\'s case; an unregistered token, or one claiming another role or a wider jurisdiction, is 403', async () => {
    const input = poorFamily();
    input.household.members.push({ name: '刘小梅', idNumber: '140599198707070579', relation: 'other', birthDate: '1987-07-07' });
    input.materials = [...input.materials, `verification_authorization:140599198707070579`];
    const caseId = await newCase(applicationBody(input));
    visitedOn = (await waitForStep(caseId, 'investigating')).enteredOn;
    const extend = (as: string) => bed.http.request('POST', `/v1/applications/${caseId}/extension`, { token: as, body: { reason: '需复查' } });
    const cased = await extend(token('LiuYang', 'county_approver', '140599', '刘洋'));
    expect(cased).toMatchObject({ status: 403, body: { rule: 'R-APP-09' } });
    expect((await extend(token('ghost', 'county_approver', '140599'))).status).toBe(403);
    expect((await extend(token('zhangmin', 'county_approver', '140599'))).status).toBe(403);
    const wider = await bed.http.request('POST', `/v1/applications/${caseId}/withdrawal`, { token: token('zhangmin', 'township_caseworker', '140599', '张敏'), body: { reason: '撤回' } });
    expect(wider.status).toBe(403);
    const intake = await bed.http.request('POST', '/v1/applications', { token: token('ghost', 'township_caseworker', '140599100'), body: applicationBody() });
    expect(intake.status).toBe(403);
    // the register's id is the actor's: ZhangMin records as zhangmin
    const recorded = await bed.http.request('POST', `/v1/applications/${caseId}/investigation`, { token: token('ZhangMin', 'township_caseworker', '140599100', '张敏'), body: investigationBody(['zhangmin', 'wangfang']) });
    expect(recorded.status).toBe(200);
    expect(recorded.body.investigations[0].recordedBy).toBe('zhangmin');
  });

  it('R-APP-10: When a supervisor files an objection, then 403; an objection names who raised it', async () => {
    const caseId = await newCase();
    const r = await bed.http.request('POST', `/v1/applications/${caseId}/objections`, { token: supervisor, body: { summary: '群众反映', raisedBy: '村民' } });
    expect(r.status).toBe(403);
    const nobody = await bed.http.request('POST', `/v1/applications/${caseId}/objections`, { token: caseworker, body: { summary: '群众反映' } });
    expect(nobody.status).toBe(400);
    expect(nobody.body.errors).toEqual([expect.objectContaining({ path: 'raisedBy' })]);
  });

  it('R-APP-10: When an auditor files an objection, then 403 (auditors read, they do not act)', async () => {
    const caseId = await newCase();
    const r = await bed.http.request('POST', `/v1/applications/${caseId}/objections`, { token: token('audit1', 'auditor', '1405', '审计'), body: { summary: '群众反映', raisedBy: '村民' } });
    expect(r.status).toBe(403);
  });

  it('R-APP-01, R-APP-12: When a village assistant hands in the missing papers, then the case stays awaiting_materials with no deadline; a township caseworker\'s acceptance (an empty list) starts the clock', async () => {
    const input = poorFamily({ materials: ['application_form', 'id_documents', 'income_statement'] });
    const caseId = await newCase(applicationBody(input));
    const rest = ['applicant_pledge', ...authorisations(input.household)];
    const handed = await bed.http.request('POST', `/v1/applications/${caseId}/materials`, { token: assistant, body: { materials: rest } });
    expect(handed.status).toBe(200);
    expect(handed.body).toMatchObject({ step: 'awaiting_materials', missingMaterials: [], deadlines: [], materials: { handedIn: rest } });
    // nothing more from the assistant is an empty hand-in: 422 naming the field
    const empty = await bed.http.request('POST', `/v1/applications/${caseId}/materials`, { token: assistant, body: { materials: [] } });
    expect(empty).toMatchObject({ status: 422, body: { rule: 'R-APP-01', errors: [expect.objectContaining({ path: 'materials' })] } });
    const accepted = await bed.http.request('POST', `/v1/applications/${caseId}/materials`, { token: caseworker, body: { materials: [] } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.step).not.toBe('awaiting_materials');
    expect(accepted.body.deadlines).toEqual([expect.objectContaining({ name: 'decision' })]);
    const history = (await bed.http.request('GET', `/v1/applications/${caseId}`, { token: caseworker })).body.history.map((h: { action: string; actor: string }) => `${h.action}:${h.actor}`);
    expect(history).toEqual(expect.arrayContaining(['materials.handed_in:wangfang', 'materials.supplemented:zhangmin', 'application.accepted:system']));
  });

  it('R-APP-16, R-APP-12: When a village assistant opens a case from a clue with every material, then it waits in awaiting_materials until a township caseworker accepts it', async () => {
    const r = await bed.http.request('POST', '/v1/applications', { token: assistant, body: applicationBody() });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ step: 'awaiting_materials', missingMaterials: [], deadlines: [] });
    const accepted = await bed.http.request('POST', `/v1/applications/${r.body.caseId}/materials`, { token: caseworker, body: { materials: [] } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.deadlines).toEqual([expect.objectContaining({ name: 'decision' })]);
  });

  it('R-APP-04, R-APP-08, R-APP-11 (issue 21 §2.3): When an inactive staff member is named as investigator, county visitor or meeting attendee, then 422 naming the field; an inactive approver\'s vote is 403', async () => {
    const input = poorFamily();
    input.nearRelativeDeclaration = { hasStaffRelatives: true, relations: [{ memberIdNumber: input.household.members[0].idNumber, staffId: 'liqiang', relation: 'cousin' }] };
    const caseId = await newCase(applicationBody(input));
    visitedOn = (await waitForStep(caseId, 'investigating')).enteredOn;
    const post = (as: string, path: string, body: object) => bed.http.request('POST', `/v1/applications/${caseId}/${path}`, { token: as, body });
    const inactive = async <T>(staffId: string, fn: () => Promise<T>): Promise<T> => {
      await bed.db.prisma.staffMember.update({ where: { staffId }, data: { active: false } });
      try {
        return await fn();
      } finally {
        await bed.db.prisma.staffMember.update({ where: { staffId }, data: { active: true } });
      }
    };
    const investigator = await inactive('wangfang', () => post(caseworker, 'investigation', investigationBody(['zhangmin', 'wangfang'])));
    expect(investigator).toMatchObject({ status: 422, body: { rule: 'R-APP-04', errors: [expect.objectContaining({ path: 'investigators[1]', message: expect.stringMatching(/not active/) })] } });
    expect((await post(caseworker, 'investigation', investigationBody(['zhangmin', 'wangfang']))).status).toBe(200);
    const countyCaseworker = token('zhaolei', 'county_caseworker', '140599', '赵磊');
    const visit = { visitors: ['zhaolei', 'sunli'], visitedOn, findings: '县级入户核查' };
    const visitor = await inactive('sunli', () => post(countyCaseworker, 'county-visit', visit));
    expect(visitor).toMatchObject({ status: 422, body: { rule: 'R-APP-08', errors: [expect.objectContaining({ path: 'visitors[1]' })] } });
    expect((await post(countyCaseworker, 'county-visit', visit)).status).toBe(200);
    expect((await post(caseworker, 'township-review', { opinion: 'eligible', reason: '符合条件' })).status).toBe(200);
    await waitForStep(caseId, 'publicity');
    await bed.env.sleep(8 * DAY);
    await waitForStep(caseId, 'county_decision');
    const chenjing = token('chenjing', 'county_approver', '140599', '陈静');
    const vote = { decision: 'approve', reason: '一事一议：同意', meeting: '县民政局2026年第30次局务会', meetingDate: visitedOn, attendees: ['chenjing', 'liuyang'] };
    // the API resolves the attendees' facts and signs them: the workflow refuses the inactive one
    const attendee = await inactive('liuyang', () => post(chenjing, 'approvals', vote));
    expect(attendee).toMatchObject({ status: 422, body: { rule: 'R-APP-11', errors: [expect.objectContaining({ path: 'attendees[1]' })] } });
    expect((await inactive('chenjing', () => post(chenjing, 'approvals', vote))).status).toBe(401);
    const ok = await post(chenjing, 'approvals', vote);
    expect(ok.status).toBe(200);
    expect(ok.body.decisions.votes).toHaveLength(1);
  });
});
