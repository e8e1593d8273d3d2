// Records real workflow histories for the replay tests (test/replay): `npm run record-histories`.
// Runs each scenario on the time-skipping test server with the real activities (a throwaway embedded
// PostgreSQL and the sandbox agency), then writes the history as JSON under test/histories/<kind>/.
// Re-record only when a change is meant to be incompatible; otherwise keep the old files: they are what
// running workflows look like, and the new code must replay them.
// The runs encrypt their payloads as deployed (issue 11 §3), with a throwaway key unless PAYLOAD_KEYS is
// set; the files are written decrypted (fictitious people only), so they replay under any key ring.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { applyMigrations } from './migrate';
import { seedReferenceData } from './seed';
import { ensureDatabase, startPostgres } from './stack/postgres';
import { freePort } from './stack/ports';
import { createPrisma } from '../activities/db';
import { dataConverterFromEnv, FAILURE_CONVERTER_PATH } from '../activities/crypto/data-converter';
import { application } from '../workflows/application/application';
import { saveHistory } from '../test/helpers/history-recorder';
import { throwawayActorKeys } from '../test/helpers/actor-keys';
import { createTimeSkippingEnv, realActivities, startTestAgency, startTestBank, withWorker } from '../test/helpers/temporal';
import { actors, allMaterials, poorFamily } from '../test/helpers/people';
import { approve, investigation, noticeStatement, review, startApplication, waitForStep, walkToDecision } from '../test/helpers/application';
import * as m from '../workflows/application/messages';
import * as rm from '../workflows/review/messages';
import { proposal, reviewInvestigation, rosterHousehold, send as sendReview, startReview, vote, waitForReviewStep } from '../test/helpers/review';
import { KIT_SCENARIOS, type Scenario } from './record-kit-scenarios';
import { reportDeaths, singlePerson, waitForDeathStep } from '../test/helpers/death-stop';
import { confirmAmountUpdate } from '../workflows/death-stop/messages';
import { chinaDate } from '../workflows/rules/dates';
import { DIRECT_PAYMENT_SCENARIOS } from './record-direct-payments';

// RECORD_HISTORIES_OUT: write elsewhere (to try the recorder without touching the add-only files)
const OUT = process.env.RECORD_HISTORIES_OUT || path.join(__dirname, '..', 'test', 'histories', 'application');
const DAY = 86_400_000;
/** names the workflow version the histories come from (the latest patch), so new ones never replace old ones */
const PREFIX = process.env.RECORD_HISTORIES_PREFIX ?? 'kit-v2-';
/** some scenarios only, by name, comma-separated (e.g. `objections-then-decided`, `review-continue,review-stop`): record new branches without the others */
const ONLY = process.env.RECORD_HISTORIES_ONLY;
/** where a death stop's histories go */
const DEATH_OUT = process.env.RECORD_HISTORIES_DEATH_OUT || path.join(__dirname, '..', 'test', 'histories', 'death-stop');
/** where a review's histories go (test/histories/review/ beside the application's) */
const REVIEW_OUT = process.env.RECORD_HISTORIES_REVIEW_OUT || path.join(__dirname, '..', 'test', 'histories', 'review');

async function main(): Promise<void> {
  process.env.JIUZHU_ENV ??= 'development'; // the demo counties and staff the scenarios use
  if (!process.env.PAYLOAD_KEYS && !process.env.PAYLOAD_KEYS_FILE) {
    process.env.PAYLOAD_KEYS = `record-${crypto.randomBytes(3).toString('hex')}:${crypto.randomBytes(32).toString('base64')}`;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-record-'));
  const pg = await startPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), log: () => undefined });
  await ensureDatabase(pg.url('postgres'), 'jiuzhu');
  const url = pg.url('jiuzhu');
  await applyMigrations(url);
  await seedReferenceData(url);
  // the recorder's client signs its commands as the API would (issue 16 API1), with a throwaway pair
  const webpackConfigHook = throwawayActorKeys('record');
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), failureConverterPath: FAILURE_CONVERTER_PATH, webpackConfigHook });
  const bundle = path.join(dir, 'bundle.js');
  fs.writeFileSync(bundle, code);
  process.env.JIUZHU_TEST_WORKFLOW_BUNDLE = bundle;

  const prisma = createPrisma(url);
  const env = await createTimeSkippingEnv();
  const agency = await startTestAgency();
  const bank = await startTestBank(); // the paying kinds' scenarios (issue 23)
  const activities = realActivities({ url, prisma, drop: async () => undefined }, agency, bank);
  const save = async (name: string, workflowId: string, dir = OUT, prefix = PREFIX, runId?: string) => {
    const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    await saveHistory(dir, `${prefix}${name}`, history); // add-only: refuses to overwrite
    console.log(`recorded ${prefix}${name} (${history.events?.length} events)`);
  };
  const sleep = (ms: number) => env.sleep(ms);

  try {
    await withWorker(env, activities, async (tq) => {
      const scenario: Scenario = { client: env.client, tq, save, prisma, agency, bank, sleep, now: () => env.currentTimeMs() };
      if (ONLY) {
        for (const name of ONLY.split(',')) {
          if (!(name in SCENARIOS)) throw new Error(`no scenario ${name} (${Object.keys(SCENARIOS).join(', ')})`);
          await SCENARIOS[name as keyof typeof SCENARIOS](scenario);
        }
        return;
      }
      // enrolled: missing materials, supplement, verification, investigation, publicity, two approvals
      const family = poorFamily();
      const last = allMaterials(family.household).at(-1)!;
      const a = { ...family, materials: family.materials.filter((x) => x !== last) };
      const h = (await startApplication(env.client, a, tq)).handle;
      await h.executeUpdate(m.supplementMaterialsUpdate, { args: [{ actor: actors.caseworker, materials: [last] }] });
      await walkToDecision(h, a, sleep);
      await h.executeUpdate(m.approvalUpdate, { args: approve(actors.approver1) });
      await h.executeUpdate(m.approvalUpdate, { args: approve(actors.approver3) });
      await h.result();
      await save('enrolled', h.workflowId);

      // rejected: ineligible opinion, two rejections, the notice deadline lapses, then the notice
      const b = poorFamily();
      const hb = (await startApplication(env.client, b, tq)).handle;
      await waitForStep(hb, 'investigating');
      await hb.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(b)] });
      await hb.executeUpdate(m.townshipReviewUpdate, { args: review('ineligible') });
      for (const actor of [actors.approver1, actors.approver3]) {
        await hb.executeUpdate(m.approvalUpdate, { args: [{ actor, decision: 'reject', reason: '收入高于标准' }] });
      }
      await sleep(10 * DAY);
      const today = new Date((await env.currentTimeMs()) + 8 * 3_600_000).toISOString().slice(0, 10);
      await hb.executeUpdate(m.rejectionNoticeUpdate, { args: [{ actor: actors.caseworker, servedOn: today, method: 'post', ...noticeStatement }] });
      await hb.result();
      await save('rejected-late-notice', hb.workflowId);

      // objection during publicity, an extension, the deadline passing, then a withdrawal
      const c = poorFamily(); // the actors' own county: a command from outside it is refused (issue 16 API1)
      const hc = (await startApplication(env.client, c, tq)).handle;
      await waitForStep(hc, 'investigating');
      await hc.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(c)] });
      await hc.executeUpdate(m.townshipReviewUpdate, { args: review() });
      await waitForStep(hc, 'publicity');
      await sleep(DAY);
      await hc.executeUpdate(m.objectionUpdate, { args: [{ actor: actors.caseworker2, summary: '群众反映情况不实', raisedBy: '村民（匿名）' }] });
      await hc.executeUpdate(m.extensionUpdate, { args: [{ actor: actors.approver1, reason: '需复查' }] });
      await sleep(80 * DAY);
      await hc.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: '申请人撤回' }] });
      await hc.result();
      await save('objection-extension-overdue-withdrawn', hc.workflowId);
      for (const run of Object.values(SCENARIOS)) await run(scenario);
    });
  } finally {
    await env.teardown();
    await agency.close();
    await bank.close();
    await prisma.$disconnect();
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Issue 22 §2.4: one review from the roster to its decision (R-REV-02): `wages` the agency finds for the
 * head, `lapse` lets the major change's deadline pass first (R-REV-04). Saved under test/histories/review/.
 */
async function recordReview({ client, tq, save, prisma, agency, sleep, now }: Scenario, name: string, o: { wages?: number; lapse?: boolean } = {}): Promise<void> {
  const { householdId, members } = await rosterHousehold(prisma);
  if (o.wages) await agency.setPerson(members[0].idNumber, { incomes: [{ source: 'wages', monthlyFen: o.wages, payer: '某建材公司' }] });
  const h = await startReview(client, householdId, tq);
  let at = await waitForReviewStep(h, 'investigating');
  if (o.lapse) {
    await sleep(Date.parse(`${at.deadlines[0].dueOn}T23:59:59+08:00`) - (await now()) + 3_600_000);
    for (let i = 0; i < 100 && !at.flags.includes('overdue'); i++) at = await h.query(rm.reviewStateQuery);
  }
  const v = await sendReview(h, rm.reviewInvestigationUpdate, [reviewInvestigation(chinaDate(await now()))]);
  const { outcome, monthlyFen } = v.assessment!;
  const amount = outcome === 'stop' ? undefined : monthlyFen;
  await h.executeUpdate(rm.outcomeUpdate, { args: proposal(outcome, amount) });
  await h.executeUpdate(rm.outcomeUpdate, { args: vote(actors.approver1, outcome, amount) });
  await h.executeUpdate(rm.outcomeUpdate, { args: vote(actors.approver3, outcome, amount) });
  await h.result();
  await save(name, h.workflowId, REVIEW_OUT, process.env.RECORD_HISTORIES_PREFIX ?? '');
}

/**
 * Issue 23 §5: one death stop per branch (R-DTH-01…04), through the intake the API uses; saved under
 * test/histories/death-stop/. `confirm`: a larger household, recomputed and confirmed; else a single person.
 */
async function recordDeathStop({ client, tq, save, prisma }: Scenario, name: string, o: { programme?: 'DIBAO' | 'TEKUN'; dateOfDeath: string; larger?: boolean }): Promise<void> {
  const idNumber = o.larger ? (await rosterHousehold(prisma)).members[1].idNumber : (await singlePerson(prisma, { programme: o.programme })).person.idNumber;
  const { matched } = await reportDeaths(prisma, client, tq, 'civil_registry', [{ idNumber, dateOfDeath: o.dateOfDeath }]);
  const h = client.workflow.getHandle(matched[0].workflowId);
  await reportDeaths(prisma, client, tq, 'funeral', [{ idNumber, dateOfDeath: o.dateOfDeath }]); // a second source
  if (o.larger) {
    const at = await waitForDeathStep(h, 'confirming');
    await h.executeUpdate(confirmAmountUpdate, { args: [{ actor: actors.countyCaseworker, monthlyFen: at.recomputed!.monthlyFen, reason: '成员死亡，重新核算' }] });
  }
  for (let i = 0; i < 400 && (await h.describe()).status.name !== 'COMPLETED'; i++) await new Promise((r) => setTimeout(r, 50));
  // a TEKUN death's funeral payment (R-DTH-04) now runs in the same bundle and waits for its payee, with no
  // timer: it is left as it is (its own branches are recorded under test/histories/direct-payment/)
  await save(name, h.workflowId, DEATH_OUT, process.env.RECORD_HISTORIES_PREFIX ?? '');
}

/** Scenarios of later branches, each recordable alone (RECORD_HISTORIES_ONLY). */
const SCENARIOS = {
  // R-APP-10 (patch publicity-rounds-bounded): an objection in each of the national 3 rounds; after the
  // third the case goes to the county with the objections, which approves
  'objections-then-decided': async ({ client, tq, save }: Scenario) => {
    const d = poorFamily();
    const hd = (await startApplication(client, d, tq)).handle;
    for (const round of [1, 2, 3]) {
      await waitForStep(hd, 'investigating');
      await hd.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(d, { findings: `第${round}轮入户调查` })] });
      await hd.executeUpdate(m.townshipReviewUpdate, { args: review() });
      await waitForStep(hd, 'publicity');
      await hd.executeUpdate(m.objectionUpdate, { args: [{ actor: actors.caseworker2, summary: `第${round}轮：群众反映情况不实`, raisedBy: `村民${round}` }] });
    }
    await waitForStep(hd, 'county_decision');
    await hd.executeUpdate(m.approvalUpdate, { args: approve(actors.approver1) });
    await hd.executeUpdate(m.approvalUpdate, { args: approve(actors.approver3) });
    await hd.result();
    await save('objections-then-decided', hd.workflowId);
  },
  // R-APP-16, R-APP-12 (patch R-APP-12-township-accepts): a village assistant opens a case from a clue and hands
  // in the last paper; it waits in awaiting_materials until a township caseworker accepts it (an empty list)
  'village-hands-in-township-accepts': async ({ client, tq, save }: Scenario) => {
    const assistant = { id: 'wangfang', name: '王芳', role: 'village_assistant', jurisdiction: '140599100201' };
    const e = poorFamily({ actor: assistant });
    const last = allMaterials(e.household).at(-1)!;
    const he = (await startApplication(client, { ...e, materials: e.materials.filter((x) => x !== last) }, tq)).handle;
    await he.executeUpdate(m.supplementMaterialsUpdate, { args: [{ actor: assistant, materials: [last] }] });
    await waitForStep(he, 'awaiting_materials');
    await he.executeUpdate(m.supplementMaterialsUpdate, { args: [{ actor: actors.caseworker, materials: [] }] });
    await waitForStep(he, 'investigating');
    await he.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: '申请人撤回' }] });
    await he.result();
    await save('village-hands-in-township-accepts', he.workflowId);
  },
  // issue 22 §1.3 (patch signed-start): a start the API signed, checked first thing; the case then withdrawn
  'intake-withdrawn': async ({ client, tq, save }: Scenario) => {
    const input = poorFamily();
    const h = (await startApplication(client, input, tq)).handle; // the recorder's client signs as the API does
    await waitForStep(h, 'investigating');
    await h.executeUpdate(m.withdrawalUpdate, { args: [{ actor: actors.caseworker, reason: '申请人撤回' }] });
    await h.result();
    await save('intake-withdrawn', h.workflowId);
  },
  // issue 22 §1.3: a start nobody signed, straight to Temporal: failed with UnsignedStart, nothing done
  'unsigned-refused': async ({ client, tq, save }: Scenario) => {
    const direct = new Client({ connection: client.connection, dataConverter: dataConverterFromEnv() });
    const input = poorFamily();
    const h = await direct.workflow.start(application, { workflowId: `application-${input.caseId}`, taskQueue: tq, args: [input] });
    await h.result().then(
      () => Promise.reject(new Error('an unsigned start completed')),
      () => undefined,
    );
    await save('unsigned-refused', h.workflowId);
  },
  // issue 22 §2.4: each branch of the review workflow
  'review-continue': (sc: Scenario) => recordReview(sc, 'continue'),
  'review-decrease': (sc: Scenario) => recordReview(sc, 'decrease', { wages: 80000 }),
  'review-stop': (sc: Scenario) => recordReview(sc, 'stop', { wages: 200000 }),
  'review-overdue': (sc: Scenario) => recordReview(sc, 'overdue-then-decreased', { wages: 80000, lapse: true }),
  // issue 22: the recheck cycle's and the change reports' branches (scripts/record-kit-scenarios.ts)
  ...KIT_SCENARIOS,
  // issue 23 §5: the direct payment's branches (scripts/record-direct-payments.ts)
  ...DIRECT_PAYMENT_SCENARIOS,
  // issue 23 §5: each branch of the death stop
  'death-stop-closed-late': (sc: Scenario) => recordDeathStop(sc, 'closed-reported-late', { dateOfDeath: '2025-11-01' }),
  'death-stop-adjusted': (sc: Scenario) => recordDeathStop(sc, 'adjusted', { dateOfDeath: '2026-02-10', larger: true }),
  'death-stop-tekun-funeral': (sc: Scenario) => recordDeathStop(sc, 'tekun-funeral', { programme: 'TEKUN', dateOfDeath: '2026-02-25' }),
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
