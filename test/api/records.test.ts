// The records of issue 15 §3 over HTTP: the special-filing export for the discipline body (R-APP-08,
// R-SUP-06), the publicity archive with the case (R-APP-10, R-SUP-04), the rejection notice (R-APP-13).
// Real app, real PostgreSQL, real Temporal (time-skipping server with a worker running the real activities).
import { token } from '../helpers/http';
import { apiTestbed } from '../helpers/api-bed';
import { applicationBody, poorFamily } from '../helpers/people';
import { noticeStatement } from '../helpers/application';
import { unzip } from '../helpers/zip';
import { pinWallClock } from '../helpers/temporal';
import { maskIdNumber } from '../../workflows/rules/id-number';

// The API takes "today" from this process's clock (an intake's date): pinned to TEST_EPOCH, as the
// workflow's server starts there, before any token below is signed.
pinWallClock();

const bed = apiTestbed('api-records');
const DAY = 86_400_000;
const caseworker = token('zhangmin', 'township_caseworker', '140599100', '张敏');
const countyCaseworker = token('zhaolei', 'county_caseworker', '140599', '赵磊');
const chenjing = token('chenjing', 'county_approver', '140599', '陈静');
const sunli = token('sunli', 'county_approver', '140599', '孙丽');
const supervisor = token('hewei', 'supervisor', '1405', '何伟');
const otherCountySupervisor = token('qs-sup', 'supervisor', '140521', '沁水县监督员');
const townshipAuditor = token('tw-aud', 'auditor', '140599100', '乡镇审计');
const ID_NUMBER = /\d{17}[\dX]/;
const waitForStep = (caseId: string, step: string) => bed.waitForStep(caseId, step, caseworker);

async function send(as: string, caseId: string, command: string, body: unknown) {
  const r = await bed.http.request('POST', `/v1/applications/${caseId}/${command}`, { token: as, body });
  if (r.status !== 200) throw new Error(`${command}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const investigationBody = (visitedOn: string) => ({ investigators: ['zhangmin', 'wangfang'], visitedOn, findings: '入户调查属实', incomes: [], expenditures: [] });

/** Intake to the county decision over HTTP; a declared relation makes the case special (county visit first). */
async function walkToDecision(o: { special: boolean; review: Record<string, unknown> }) {
  const input = poorFamily();
  const head = input.household.members[0];
  if (o.special) input.nearRelativeDeclaration = { hasStaffRelatives: true, relations: [{ memberIdNumber: head.idNumber, staffId: 'liqiang', relation: 'cousin' }] };
  const created = await bed.http.request('POST', '/v1/applications', { token: caseworker, body: applicationBody(input) });
  expect(created.status).toBe(201);
  const caseId = created.body.caseId as string;
  const visitedOn = (await waitForStep(caseId, 'investigating')).enteredOn as string;
  await send(caseworker, caseId, 'investigation', investigationBody(visitedOn));
  if (o.special) await send(countyCaseworker, caseId, 'county-visit', { visitors: ['zhaolei', 'chenjing'], visitedOn, findings: '县级入户核查属实' });
  await send(caseworker, caseId, 'township-review', { opinion: 'eligible', reason: '符合条件', ...o.review });
  await waitForStep(caseId, 'publicity');
  await bed.env.sleep(8 * DAY);
  await waitForStep(caseId, 'county_decision');
  return { caseId, input, head, visitedOn };
}

const filings = (as: string, query: string) => bed.http.request('GET', `/v1/special-filings?${query}`, { token: as });
/** A file export as the bytes sent. */
async function download(as: string, query: string) {
  const res = await fetch(`${bed.http.baseUrl}/v1/special-filings?${query}`, { headers: { authorization: `Bearer ${as}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('API: the special-filing register and its export (R-APP-08, R-SUP-06)', () => {
  let caseId: string;
  let head: { name: string; idNumber: string };
  let period: string;

  beforeAll(async () => {
    const walked = await walkToDecision({ special: true, review: { publicityChannels: ['screen'] } });
    ({ caseId, head } = walked);
    const meeting = '县民政局2026年第15次局务会';
    await send(chenjing, caseId, 'approvals', { decision: 'approve', reason: '一事一议：同意', meeting, meetingDate: walked.visitedOn, attendees: ['chenjing', 'sunli'] });
    const enrolled = await send(sunli, caseId, 'approvals', { decision: 'approve', reason: '同意', meeting });
    expect(enrolled.step).toBe('enrolled');
    const on = enrolled.decisions.enrolment.enrolledOn as string;
    period = `from=${on}&to=${on}`;
  });

  it('R-APP-08, R-SUP-06: a supervisor of the city gets the enrolled specially filed case as JSON: reason, staff, relation, visitors, the applicant\'s name and masked ID number', async () => {
    const r = await filings(supervisor, period);
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([
      expect.objectContaining({
        caseId,
        countyCode: '140599',
        reason: 'staff_near_relative',
        applicantName: head.name,
        applicantIdNumber: maskIdNumber(head.idNumber),
        staffIds: ['liqiang'],
        relations: [{ staffId: 'liqiang', memberName: head.name, relation: 'cousin', source: 'declaration' }],
        visitors: ['zhaolei', 'chenjing'],
      }),
    ]);
    expect(JSON.stringify(r.body)).not.toMatch(ID_NUMBER);
    // a period before the enrolment has nothing
    expect((await filings(supervisor, 'from=2020-01-01&to=2020-12-31')).body.items).toEqual([]);
  });

  it('R-APP-08, R-SUP-06: the CSV export is UTF-8 with a BOM and one row per filing, the ID number masked', async () => {
    const r = await download(supervisor, `${period}&format=csv`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    expect(r.headers.get('content-disposition')).toMatch(/attachment; filename="special-filings-1405-.*\.csv"/);
    // the BOM as bytes (a text decoder would swallow it)
    expect([...r.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = r.bytes.subarray(3).toString('utf8');
    const lines = text.trim().split('\r\n').map((l) => l.split(','));
    expect(lines[0]).toEqual(expect.arrayContaining(['案件编号', '申请人', '身份证号（脱敏）', '备案情形', '相关工作人员']));
    const row = lines.find((l) => l[0] === caseId)!;
    expect(row[lines[0].indexOf('申请人')]).toBe(head.name);
    expect(row[lines[0].indexOf('身份证号（脱敏）')]).toBe(maskIdNumber(head.idNumber));
    expect(row[lines[0].indexOf('相关工作人员')]).toBe('liqiang');
    expect(lines).toHaveLength(2);
    expect(text).not.toMatch(ID_NUMBER);
  });

  it('R-APP-08, R-SUP-06: the XLSX export is a real OpenXML workbook (a zip with the workbook parts) holding the row', async () => {
    const res = await download(supervisor, `${period}&format=xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const parts = unzip(res.bytes);
    expect([...parts.keys()]).toEqual(expect.arrayContaining(['[Content_Types].xml', 'xl/workbook.xml']));
    const xml = [...parts.values()].join('\n');
    for (const text of [caseId, head.name, maskIdNumber(head.idNumber), '特殊情形备案']) expect(xml).toContain(text);
    expect(xml).not.toMatch(ID_NUMBER);
  });

  it('R-SUP-06: the register is scoped to the caller\'s subtree: another county\'s supervisor sees nothing, a township-level auditor is refused', async () => {
    expect((await filings(otherCountySupervisor, period)).body.items).toEqual([]);
    const csv = await filings(otherCountySupervisor, `${period}&format=csv`);
    expect((csv.body as string).trim().split('\r\n')).toHaveLength(1);
    // narrowing to a part outside the subtree is empty too
    expect((await filings(otherCountySupervisor, `${period}&jurisdiction=140599`)).body.items).toEqual([]);
    expect((await filings(townshipAuditor, period)).status).toBe(403);
    expect((await filings(caseworker, period)).status).toBe(403);
  });

  it('API8 bad input: the export\'s parameters are bounded: a missing or reversed period, an unknown format, a 27-digit cursor or a NUL byte is a 400 problem', async () => {
    for (const q of ['', 'from=2026-01-01', `from=2026-12-31&to=2026-01-01`, `${period}&format=pdf`, `${period}&cursor=${'9'.repeat(27)}`, `${period}&jurisdiction=%00`, `${period}&limit=0`]) {
      const r = await filings(supervisor, q);
      expect(r.status).toBe(400);
      expect(r.type).toContain('application/problem+json');
    }
  });

  it('R-APP-10, R-SUP-04: GET /v1/applications/{caseId} shows the publicity archive: the channel named at the review, from and until, names without the minor, no ID number', async () => {
    const r = await bed.http.request('GET', `/v1/applications/${caseId}`, { token: supervisor });
    expect(r.body.publicityArchive).toEqual([
      { round: 1, channels: ['screen'], from: r.body.publicity.from, until: r.body.publicity.until, posted: expect.objectContaining({ names: ['王建国', '李秀英'] }) },
    ]);
    expect(JSON.stringify(r.body.publicityArchive)).not.toMatch(ID_NUMBER);
  });
});

describe('API: the rejection notice (R-APP-13)', () => {
  it('R-APP-13: a notice without reasons or without the route of appeal is 422 naming the field (400 without the keys); with them it is stored and shown with the appeal time limits; the publicity went to the policy\'s default channel (R-APP-10)', async () => {
    const { caseId } = await walkToDecision({ special: false, review: {} });
    const page = await bed.http.request('GET', `/v1/applications/${caseId}`, { token: supervisor });
    expect(page.body.publicityArchive).toEqual([expect.objectContaining({ round: 1, channels: ['noticeboard'] })]);
    for (const as of [chenjing, sunli]) await send(as, caseId, 'approvals', { decision: 'reject', reason: '复核发现家庭收入高于标准' });
    const servedOn = (await waitForStep(caseId, 'rejected')).decisions.outcome.decidedOn as string;
    const notice = (body: Record<string, unknown>) => bed.http.request('POST', `/v1/applications/${caseId}/rejection-notice`, { token: caseworker, body: { servedOn, method: 'post', ...body } });

    const missing = await notice({});
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['reasons', 'appeal']));
    const noReasons = await notice({ reasons: [], appeal: noticeStatement.appeal });
    expect(noReasons).toMatchObject({ status: 422, body: { rule: 'R-APP-13', errors: [expect.objectContaining({ path: 'reasons' })] } });
    const noRoute = await notice({ reasons: noticeStatement.reasons, appeal: {} });
    expect(noRoute).toMatchObject({ status: 422, body: { rule: 'R-APP-13', errors: [expect.objectContaining({ path: 'appeal' })] } });

    const served = await notice(noticeStatement);
    expect(served.status).toBe(200);
    const stored = (await bed.http.request('GET', `/v1/applications/${caseId}`, { token: supervisor })).body.decisions.rejectionNotice;
    expect(stored).toMatchObject({
      servedOn,
      reasons: noticeStatement.reasons,
      appeal: { reconsideration: { body: '培训演示县人民政府', withinDays: 60 }, litigation: { court: '培训演示县人民法院', withinMonths: 6 } },
    });
  });
});
