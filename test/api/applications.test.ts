// The HTTP contract of API.md against the real app, a real database and real Temporal (the
// time-skipping server with a worker running the real activities). Who may do what: duties.test.ts.
import { apiTestbed } from '../helpers/api-bed';
import { pinWallClock } from '../helpers/temporal';
import { token } from '../helpers/http';
import { applicationBody, authorisations, poorFamily } from '../helpers/people';
import { chinaDate } from '../../workflows/rules/dates';

// The API takes "today" from this process's clock, the workflow from the server's: both start on
// TEST_EPOCH (a day the calendar knows), pinned before the tokens below are signed.
pinWallClock();

const bed = apiTestbed('api-test');
const caseworker = token('zhangmin', 'township_caseworker', '140599100', '张敏');
const approver = token('chenjing', 'county_approver', '140599', '陈静');
const otherCounty = token('qs-tw1', 'township_caseworker', '140521100', '郭华');
const supervisor = token('hewei', 'supervisor', '1405', '何伟');

/** A county of another province whose policy sets no standards yet. */
async function addCountyWithoutStandards() {
  await bed.db.prisma.division.createMany({
    data: [
      { code: '15', name: '内蒙古自治区', level: 'province' },
      { code: '1501', name: '呼和浩特市', level: 'city', parentCode: '15' },
      { code: '150102', name: '新城区', level: 'county', parentCode: '1501' },
      { code: '150102001', name: '某街道', level: 'township', parentCode: '150102' },
      { code: '150102001001', name: '某社区', level: 'village', parentCode: '150102001' },
    ],
    skipDuplicates: true,
  });
}

const waitForStep = (caseId: string, step: string) => bed.waitForStep(caseId, step, caseworker);

async function newCase(body = applicationBody()) {
  const r = await bed.http.request('POST', '/v1/applications', { token: caseworker, body });
  expect(r.status).toBe(201);
  return r.body.caseId as string;
}

describe('API: health and metadata', () => {
  it('When everything runs, then /healthz reports temporal and database ok', async () => {
    const r = await bed.http.request('GET', '/healthz');
    expect(r).toMatchObject({ status: 200, body: { status: 'ok', temporal: 'ok', database: 'ok' } });
  });

  it('When a client asks, then /openapi.json lists every application endpoint, generated from the schemas', async () => {
    const r = await bed.http.request('GET', '/openapi.json');
    expect(r.status).toBe(200);
    const paths = Object.keys(r.body.paths);
    for (const p of ['/healthz', '/v1/applications', '/v1/applications/{caseId}', '/v1/audit', '/v1/audit/verify']) expect(paths).toContain(p);
    for (const c of ['materials', 'investigation', 'county-visit', 'township-review', 'objections', 'approvals', 'extension', 'withdrawal', 'rejection-notice']) {
      expect(r.body.paths[`/v1/applications/{caseId}/${c}`].post).toBeDefined();
    }
    expect(r.body.components.schemas.Member.properties.idNumber).toBeDefined();
  });
});

describe('API: bad input never crashes and never half-writes', () => {
  it('When there is no token, then 401 problem+json', async () => {
    const r = await bed.http.request('POST', '/v1/applications', { body: applicationBody() });
    expect(r.status).toBe(401);
    expect(r.type).toContain('application/problem+json');
  });

  it('When the JSON is malformed, then 400 problem+json', async () => {
    const r = await bed.http.request('POST', '/v1/applications', { token: caseworker, raw: '{"programme": "DIBAO",' });
    expect(r.status).toBe(400);
    expect(r.type).toContain('application/problem+json');
    expect(r.body.detail).toMatch(/malformed JSON/);
  });

  it('When fields have the wrong types, then 400 lists every bad field', async () => {
    const r = await bed.http.request('POST', '/v1/applications', {
      token: caseworker,
      body: { programme: 7, villageCode: '140599100201', household: { residence: 'rural', members: 'nobody' }, materials: 'all', nearRelativeDeclaration: { hasStaffRelatives: 'no' } },
    });
    expect(r.status).toBe(400);
    const paths = r.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['programme', 'household.members', 'materials', 'nearRelativeDeclaration.hasStaffRelatives']));
  });

  it('When an 18-digit ID number has a wrong check digit (GB 11643), then 400 names that member', async () => {
    const body = applicationBody();
    const id = body.household.members[1].idNumber;
    body.household.members[1] = { ...body.household.members[1], idNumber: id.slice(0, 17) + (id[17] === '0' ? '1' : '0') };
    const r = await bed.http.request('POST', '/v1/applications', { token: caseworker, body });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'household.members[1].idNumber', message: expect.stringMatching(/check digit/) })]));
    // nothing half-written for this household (other tests' cases may exist: order-independent)
    const ids = body.household.members.map((m) => m.idNumber);
    expect(await bed.db.prisma.caseMember.count({ where: { idNumber: { in: ids } } })).toBe(0);
    expect(await bed.db.prisma.openApplication.count({ where: { idNumber: { in: ids } } })).toBe(0);
  });

  it('When text carries a NUL or other control character, then 400 (PostgreSQL could never record it)', async () => {
    const body = applicationBody();
    body.household.members[0] = { ...body.household.members[0], name: '王\u0000建国' };
    const r = await bed.http.request('POST', '/v1/applications', { token: caseworker, body });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: 'household.members[0].name' })]);
  });

  it('R-POL: When the county has set no 低保 standard, then 503 names what is missing and no case is opened', async () => {
    await addCountyWithoutStandards();
    const body = applicationBody(poorFamily({ villageCode: '150102001001' }));
    // every acting token is registered staff (issue 15 §1): the county's caseworker is
    await bed.db.prisma.staffMember.upsert({ where: { staffId: 'nm-tw' }, update: {}, create: { staffId: 'nm-tw', name: '某街道', role: 'township_caseworker', jurisdiction: '150102001' } });
    const r = await bed.http.request('POST', '/v1/applications', { token: token('nm-tw', 'township_caseworker', '150102001'), body });
    expect(r.status).toBe(503);
    expect(r.body.detail).toMatch(/standard/);
    expect(await bed.db.prisma.case.count({ where: { villageCode: '150102001001' } })).toBe(0);
  });

  it('R-APP-02: When the near-relative declaration is missing, or says yes without naming the relations, then 400 naming it; a declared relation is kept and the case is specially filed', async () => {
    const { nearRelativeDeclaration: _omitted, ...without } = applicationBody();
    const missing = await bed.http.request('POST', '/v1/applications', { token: caseworker, body: without });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ path: 'nearRelativeDeclaration' })]);
    const unnamed = await bed.http.request('POST', '/v1/applications', { token: caseworker, body: { ...applicationBody(), nearRelativeDeclaration: { hasStaffRelatives: true } } });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.errors).toEqual([expect.objectContaining({ path: 'nearRelativeDeclaration.relations', message: expect.stringMatching(/R-APP-02/) })]);
    const input = poorFamily();
    input.nearRelativeDeclaration = { hasStaffRelatives: true, relations: [{ memberIdNumber: input.household.members[0].idNumber, staffId: 'liqiang', relation: 'cousin' }] };
    const declared = await bed.http.request('POST', '/v1/applications', { token: caseworker, body: applicationBody(input) });
    expect(declared.status).toBe(201);
    expect(declared.body.specialFiling).toContain('staff_near_relative');
  });

  it('When a body carries an unknown field, then 400 (no mass assignment)', async () => {
    const r = await bed.http.request('POST', '/v1/applications', { token: caseworker, body: { ...applicationBody(), status: 'enrolled' } });
    expect(r.status).toBe(400);
  });

  it('R-SEC-01: When the village is outside the caller’s jurisdiction, then 403; when it is not a registered village, then 400', async () => {
    const outside = await bed.http.request('POST', '/v1/applications', { token: caseworker, body: applicationBody(poorFamily({ villageCode: '140521100201' })) });
    expect(outside.status).toBe(403);
    expect(outside.body.errors[0].path).toBe('villageCode');
    const unknown = await bed.http.request('POST', '/v1/applications', { token: caseworker, body: applicationBody(poorFamily({ villageCode: '140599100299' })) });
    expect(unknown.status).toBe(400);
  });

  it('When the role may not receive applications, then 403', async () => {
    const r = await bed.http.request('POST', '/v1/applications', { token: approver, body: applicationBody() });
    expect(r.status).toBe(403);
  });
});

describe('API: cases and commands', () => {
  it('R-APP-01, R-APP-17: When a caseworker files an application without the pledge and authorisations, then 201 listing them as missing, no deadline yet, and only the jurisdiction sees it', async () => {
    const input = poorFamily({ materials: ['application_form', 'id_documents', 'income_statement'] });
    const body = applicationBody(input);
    const r = await bed.http.request('POST', '/v1/applications', { token: caseworker, body });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'open', step: 'awaiting_materials', missingMaterials: ['applicant_pledge', ...authorisations(input.household)], deadlines: [] });
    const caseId = r.body.caseId;
    expect((await bed.http.request('GET', `/v1/applications/${caseId}`, { token: otherCounty })).status).toBe(404);
    const seen = await bed.http.request('GET', `/v1/applications/${caseId}`, { token: supervisor });
    expect(seen.status).toBe(200);
    expect(seen.body.history.map((h: { action: string }) => h.action)).toContain('application.received');
    const list = await bed.http.request('GET', '/v1/applications?step=awaiting_materials', { token: caseworker });
    expect(list.body.items.map((i: { caseId: string }) => i.caseId)).toContain(caseId);
    expect((await bed.http.request('GET', '/v1/applications', { token: otherCounty })).body.items).toEqual([]);
  });

  it('R-APP-16: When a village assistant opens a case from a clue (active discovery) on a household\'s behalf, then 201 and the intake is recorded as theirs', async () => {
    const assistant = token('wangfang', 'village_assistant', '140599100201', '王芳');
    const r = await bed.http.request('POST', '/v1/applications', { token: assistant, body: applicationBody() });
    expect(r.status).toBe(201);
    const [received] = await bed.db.prisma.auditEvent.findMany({ where: { caseId: r.body.caseId, action: 'application.received' } });
    expect(received).toMatchObject({ actor: 'wangfang', actorRole: 'village_assistant' });
  });

  it('When a member already has an open application (one open application per person), then 409 naming the existing case', async () => {
    const body = applicationBody();
    const first = await newCase(body);
    const again = await bed.http.request('POST', '/v1/applications', { token: caseworker, body });
    expect(again.status).toBe(409);
    expect(again.body.existing).toBe(first);
  });

  it('R-SEC-01: When the member’s open application is in another jurisdiction, then 409 without naming it', async () => {
    const body = applicationBody();
    await newCase(body);
    const elsewhere = applicationBody(poorFamily({ villageCode: '140521100201', household: body.household, account: undefined }));
    const r = await bed.http.request('POST', '/v1/applications', { token: otherCounty, body: elsewhere });
    expect(r.status).toBe(409);
    expect(r.body.existing).toBeUndefined();
    expect(r.body.detail).toMatch(/elsewhere/);
  });

  it('When a command comes in the wrong step, then 409 with the current step', async () => {
    const caseId = await newCase();
    await waitForStep(caseId, 'investigating');
    const r = await bed.http.request('POST', `/v1/applications/${caseId}/approvals`, { token: approver, body: { decision: 'approve', reason: '同意' } });
    expect(r.status).toBe(409);
    expect(r.body.step).toBe('investigating');
    expect(r.body.detail).toContain('investigating');
  });

  it('R-APP-04: When investigators are unknown or the same person twice, then 400; a declared relative among them is 422 (R-APP-09)', async () => {
    const input = poorFamily();
    input.nearRelativeDeclaration = { hasStaffRelatives: true, relations: [{ memberIdNumber: input.household.members[0].idNumber, staffId: 'liqiang', relation: 'cousin' }] };
    const caseId = await newCase(applicationBody(input));
    const { enteredOn } = await waitForStep(caseId, 'investigating');
    const body = (investigators: string[]) => ({
      investigators,
      visitedOn: enteredOn, // the case's own date (the workflow's clock), not this process's
      findings: '入户调查',
      incomes: [],
      expenditures: [],
    });
    const unknown = await bed.http.request('POST', `/v1/applications/${caseId}/investigation`, { token: caseworker, body: body(['zhangmin', 'nobody']) });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: 'investigators[1]' })]);
    const twice = await bed.http.request('POST', `/v1/applications/${caseId}/investigation`, { token: caseworker, body: body(['zhangmin', 'zhangmin']) });
    expect(twice.status).toBe(400);
    const related = await bed.http.request('POST', `/v1/applications/${caseId}/investigation`, { token: caseworker, body: body(['zhangmin', 'liqiang']) });
    expect(related.status).toBe(422);
    expect(related.body).toMatchObject({ rule: 'R-APP-09', errors: [expect.objectContaining({ path: 'investigators[1]' })] });
    const ok = await bed.http.request('POST', `/v1/applications/${caseId}/investigation`, { token: caseworker, body: body(['zhangmin', 'wangfang']) });
    expect(ok.status).toBe(200);
    expect(ok.body.step).toBe('county_visit');
  });

  it('When an Idempotency-Key is replayed, then the first response comes back; with another body, 422', async () => {
    const body = applicationBody();
    const headers = { 'Idempotency-Key': 'intake-0001' };
    const first = await bed.http.request('POST', '/v1/applications', { token: caseworker, body, headers });
    expect(first.status).toBe(201);
    const replay = await bed.http.request('POST', '/v1/applications', { token: caseworker, body, headers });
    expect(replay.status).toBe(201);
    expect(replay.body.caseId).toBe(first.body.caseId);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const other = await bed.http.request('POST', '/v1/applications', { token: caseworker, body: applicationBody(), headers });
    expect(other.status).toBe(422);
    expect(await bed.db.prisma.case.count({ where: { caseId: first.body.caseId } })).toBe(1);

    // a command under a key: the same key twice is one withdrawal, answered twice the same
    const w = { 'Idempotency-Key': 'withdraw-0001' };
    const a = await bed.http.request('POST', `/v1/applications/${first.body.caseId}/withdrawal`, { token: caseworker, body: { reason: '申请人撤回' }, headers: w });
    const b = await bed.http.request('POST', `/v1/applications/${first.body.caseId}/withdrawal`, { token: caseworker, body: { reason: '申请人撤回' }, headers: w });
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body).toEqual(a.body);
    const c = await bed.http.request('POST', `/v1/applications/${first.body.caseId}/withdrawal`, { token: caseworker, body: { reason: 'again' } });
    expect(c.status).toBe(409);
  });
});

describe('API: the income accounting (R-APP-05)', () => {
  it('R-APP-05, R-APP-15: When an investigation deducts illness spending for a member who is not ill, then 422 naming expenditures[0].memberIdNumber; a deposit exemption voted at the approval is recorded with its reason in the case\'s history (the vote is made in the system)', async () => {
    const input = poorFamily();
    const [head, spouse] = input.household.members;
    const caseId = await newCase(applicationBody(input));
    const { enteredOn } = await waitForStep(caseId, 'investigating');
    const investigation = (memberIdNumber: string) => ({
      investigators: ['zhangmin', 'liqiang'],
      visitedOn: enteredOn,
      findings: '入户调查',
      incomes: [],
      expenditures: [{ kind: 'illness', monthlyFen: 30_000, memberIdNumber }],
    });
    const wrong = await bed.http.request('POST', `/v1/applications/${caseId}/investigation`, { token: caseworker, body: investigation(head.idNumber) });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ rule: 'R-APP-05', errors: [expect.objectContaining({ path: 'expenditures[0].memberIdNumber', message: expect.stringMatching(/illness/) })] });
    const ok = await bed.http.request('POST', `/v1/applications/${caseId}/investigation`, { token: caseworker, body: investigation(spouse.idNumber) });
    expect(ok.status).toBe(200);
    expect(ok.body.accounting).toMatchObject({ netMonthlyFen: 0, maxMonthlyFen: 180_000 }); // nothing verified; 3 × 60000
    expect((await bed.http.request('POST', `/v1/applications/${caseId}/township-review`, { token: caseworker, body: { opinion: 'eligible', reason: '符合条件' } })).status).toBe(200);
    await bed.env.sleep(8 * 86_400_000);
    await waitForStep(caseId, 'county_decision');

    const exemption = { amountFen: 500_000, reason: '集体研判：系重病患者手术专项借款，不计入家庭存款', memberIdNumber: spouse.idNumber };
    const stranger = await bed.http.request('POST', `/v1/applications/${caseId}/approvals`, {
      token: approver,
      body: { decision: 'approve', reason: '同意', depositExemptions: [{ ...exemption, memberIdNumber: '140599199001010018' }] },
    });
    expect(stranger.status).toBe(422);
    expect(stranger.body.errors).toEqual([expect.objectContaining({ path: 'depositExemptions[0].memberIdNumber' })]);
    const below = await bed.http.request('POST', `/v1/applications/${caseId}/approvals`, { token: approver, body: { decision: 'approve', reason: '同意', monthlyFen: 179_000 } });
    expect(below).toMatchObject({ status: 422, body: { rule: 'R-APP-05', errors: [expect.objectContaining({ path: 'monthlyFen', message: 'must be 180000' })] } });
    const voted = await bed.http.request('POST', `/v1/applications/${caseId}/approvals`, { token: approver, body: { decision: 'approve', reason: '同意', depositExemptions: [exemption] } });
    expect(voted.status).toBe(200);
    expect(voted.body.decisions.votes[0]).toMatchObject({ approverId: 'chenjing', monthlyFen: 180_000, depositExemptions: [exemption] });
    const page = await bed.http.request('GET', `/v1/applications/${caseId}`, { token: supervisor });
    const vote = page.body.history.find((h: { action: string }) => h.action === 'approval.vote');
    expect(vote).toMatchObject({ actor: 'chenjing', data: expect.objectContaining({ depositExemptions: [exemption] }) });
  });
});

describe('API: the paper application date (R-APP-12)', () => {
  // the entry's date is the API's today: this process's clock, pinned to TEST_EPOCH (pinWallClock above)
  const daysBefore = (n: number) => chinaDate(Date.now() - n * 86_400_000);

  it('R-APP-12: When receivedOn is 1990-01-01, then 422 naming receivedOn (at most receivedOnMaxDays = 90 before the entry) and no case is opened', async () => {
    const input = poorFamily({ receivedOn: '1990-01-01' });
    const r = await bed.http.request('POST', '/v1/applications', { token: caseworker, body: applicationBody(input) });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ rule: 'R-APP-12', errors: [expect.objectContaining({ path: 'receivedOn', message: expect.stringMatching(/at most 90/) })] });
    expect(await bed.db.prisma.openApplication.count({ where: { idNumber: input.household.members[0].idNumber } })).toBe(0);
    const beyond = await bed.http.request('POST', '/v1/applications', { token: caseworker, body: applicationBody(poorFamily({ receivedOn: daysBefore(91) })) });
    expect(beyond.status).toBe(422);
  });

  it('R-APP-12: When receivedOn lies within 90 days before the entry, then the paper date is kept, the deadline counts from it, and the intake is audited with who entered it', async () => {
    const receivedOn = daysBefore(90);
    const r = await bed.http.request('POST', '/v1/applications', { token: caseworker, body: applicationBody(poorFamily({ receivedOn })) });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ receivedOn, acceptedOn: receivedOn });
    // counted on the official calendar: the pinned clock keeps the paper date and its deadline in known years
    expect(r.body.deadlines[0]).toMatchObject({ name: 'decision', startedOn: receivedOn, beyondCalendar: false });
    const [received] = await bed.db.prisma.auditEvent.findMany({ where: { caseId: r.body.caseId, action: 'application.received' } });
    expect(received).toMatchObject({ actor: 'zhangmin', actorRole: 'township_caseworker', data: expect.objectContaining({ receivedOn }) });
  });
});

describe('API: audit trail (R-SUP-05)', () => {
  it('R-SUP-05: When the chain is intact, verify says ok; when an event is altered behind the trigger’s back, verify finds where', async () => {
    const caseId = await newCase();
    const ok = await bed.http.request('GET', `/v1/audit/verify?caseId=${caseId}`, { token: supervisor });
    expect(ok.body.ok).toBe(true);
    expect(ok.body.events).toBeGreaterThan(0);
    const [, second] = await bed.db.prisma.auditEvent.findMany({ where: { caseId }, orderBy: { chainSeq: 'asc' }, take: 2 });
    await expect(bed.db.prisma.$executeRawUnsafe(`UPDATE audit_event SET reason = 'edited' WHERE seq = ${second.seq}`)).rejects.toThrow(/append-only/);
    await bed.db.prisma.$transaction([
      bed.db.prisma.$executeRawUnsafe('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_or_delete'),
      bed.db.prisma.$executeRawUnsafe(`UPDATE audit_event SET actor = 'someone-else' WHERE seq = ${second.seq}`),
      bed.db.prisma.$executeRawUnsafe('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_or_delete'),
    ]);
    const broken = await bed.http.request('GET', `/v1/audit/verify?caseId=${caseId}`, { token: supervisor });
    expect(broken.body).toMatchObject({ ok: false, brokenAt: { seq: second.seq.toString(), chainSeq: '2', reason: 'event content does not match its hash' } });
    expect((await bed.http.request('GET', '/v1/audit/verify', { token: caseworker })).status).toBe(403);
  });
});
