// Replay: the recorded histories of real runs (test/histories/application, written by
// `npm run record-histories`) must replay against the current workflow code. A change that would break
// running cases fails here; such a change goes behind patched() (STYLE "Versioning").
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { dataConverterFromEnv } from '../../activities/crypto/data-converter';

const ROOT = path.join(__dirname, '..', 'histories');
/** one folder per workflow kind (issue 22: application, review, …) */
const read = (kind: string) =>
  fs
    .readdirSync(path.join(ROOT, kind))
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(ROOT, kind, f), 'utf8'))) }));
const histories = () => read('application');
/** every recorded history of every kind, named `<kind>/<case>` */
const everyKind = () =>
  fs
    .readdirSync(ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => read(d.name).map((h) => ({ ...h, workflowId: `${d.name}/${h.workflowId}` })));

/** Whether a history recorded the marker of patch `id`. */
function hasPatch(h: ReturnType<typeof histories>[number], id: string): boolean {
  return (h.history.events ?? []).some((e) => {
    const marker = e.markerRecordedEventAttributes;
    const data = marker?.details?.['patch-data']?.payloads?.[0]?.data;
    return marker?.markerName === 'core_patch' && data && Buffer.from(data).toString('utf8').includes(`"${id}"`);
  });
}

describe('replay of recorded application histories', () => {
  it('Versioning: every recorded history of every kind (each folder under test/histories) replays against the current workflow code without a determinism error', async () => {
    const all = everyKind();
    expect(histories().length).toBeGreaterThanOrEqual(7);
    // R-REV-02, R-REV-04: a history for each branch of the review workflow
    expect(all.map((h) => h.workflowId)).toEqual(expect.arrayContaining(['review/continue', 'review/decrease', 'review/stop', 'review/overdue-then-decreased']));
    // issue 22: each branch of the recheck cycle (R-REV-06) and of the change reports (R-REV-03, R-REV-04)
    expect(all.map((h) => h.workflowId)).toEqual(
      expect.arrayContaining([
        'review-cycle/starts-reviews-and-finishes',
        'review-cycle/continues-as-new',
        'change-reports/month-on-time',
        'change-reports/missed-deadlines-then-late',
        'change-reports/report-opens-review',
        'change-reports/opening-month-already-started',
        'change-reports/report-death-opens-death-stop',
      ]),
    );
    const results = [];
    for await (const r of Worker.runReplayHistories({ workflowBundle: { codePath: process.env.JIUZHU_TEST_WORKFLOW_BUNDLE! }, dataConverter: dataConverterFromEnv() }, all)) results.push(r);
    expect(results.map((r) => [r.workflowId, r.error?.message ?? null])).toEqual(all.map((h) => [h.workflowId, null]));
  });

  it('Versioning: every recorded history carries the kit-v2 marker: the pre-kit version and its three histories were retired together (issue 22 §1.8), and deprecatePatch keeps these replaying', () => {
    const all = histories();
    expect(all.filter((h) => !hasPatch(h, 'kit-v2')).map((h) => h.workflowId)).toEqual([]);
    expect(all.map((h) => h.workflowId).sort()).toEqual(
      expect.arrayContaining([
        // issue 16 API1: commands signed by the API (`auth` beside `actor`), checked by the validators only
        'api1-signed-enrolled',
        'api1-signed-rejected-late-notice',
        'kit-v2-e2e-dev-server',
        'kit-v2-enrolled',
        'kit-v2-objection-extension-overdue-withdrawn',
        'kit-v2-rejected-late-notice',
        'publicity-rounds-bounded-objections-then-decided',
        // issue 22 §1.3: a start signed by the API, and one nobody signed (failed UnsignedStart, nothing done)
        'signed-start-intake-withdrawn',
        'signed-start-unsigned-refused',
      ]),
    );
  });

  it('Versioning, R-APP-10: only the history of the bounded rounds carries the publicity-rounds-bounded patch; the older ones never reach that branch', () => {
    expect(histories().filter((h) => hasPatch(h, 'publicity-rounds-bounded')).map((h) => h.workflowId)).toEqual(['publicity-rounds-bounded-objections-then-decided']);
  });

  it('Versioning, API1 (issue 22 §1.3): only the histories recorded since carry the signed-start patch; the older ones, started unsigned, never reach the check; only the refused start carries the recorded refusal', () => {
    expect(histories().filter((h) => hasPatch(h, 'signed-start')).map((h) => h.workflowId).sort()).toEqual(['signed-start-intake-withdrawn', 'signed-start-unsigned-refused']);
    // signed-start-intake-withdrawn was signed with the recorder's throwaway key, which this run's bundle does
    // not trust, and still replays above: the verdict is read from history on replay (a rotated ring is safe)
    expect(histories().filter((h) => hasPatch(h, 'unsigned-start')).map((h) => h.workflowId)).toEqual(['signed-start-unsigned-refused']);
  });

  it('Versioning, API1 (issue 22 §1.3): the recorded unsigned start failed with UnsignedStart and scheduled nothing', () => {
    const refused = histories().find((h) => h.workflowId === 'signed-start-unsigned-refused')!;
    const events = refused.history.events ?? [];
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes || e.timerStartedEventAttributes)).toEqual([]);
    expect(events.at(-1)?.workflowExecutionFailedEventAttributes?.failure?.applicationFailureInfo?.type).toBe('UnsignedStart');
  });

  it('Versioning, R-REV-03…06 (issue 22), R-DTH-01: the recorded kit histories hold the branch each is named for', () => {
    const kit = everyKind();
    const last = (id: string) => kit.find((h) => h.workflowId === id)!.history.events!.at(-1)!;
    const types = (id: string) => (kit.find((h) => h.workflowId === id)!.history.events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : []));
    expect(last('review-cycle/continues-as-new').workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    expect(last('review-cycle/starts-reviews-and-finishes').workflowExecutionCompletedEventAttributes).toBeTruthy();
    // the missed month's timers fired (village report by the 20th, check by month end); the on-time month's did not
    const fired = (id: string) => (kit.find((h) => h.workflowId === id)!.history.events ?? []).filter((e) => e.timerFiredEventAttributes).length;
    expect(fired('change-reports/missed-deadlines-then-late')).toBeGreaterThanOrEqual(2);
    expect(fired('change-reports/month-on-time')).toBe(0);
    expect(types('change-reports/report-opens-review')).toContain('openReview');
    expect(types('change-reports/opening-month-already-started')).toEqual(['openChangeReportMonths']);
    // issue 23 §3 (patch R-REV-03-death-stop): a reported death opens the death stop; the older months never reach it
    expect(types('change-reports/report-death-opens-death-stop')).toContain('openDeathStop');
    expect(kit.filter((h) => hasPatch(h, 'R-REV-03-death-stop')).map((h) => h.workflowId)).toEqual(['change-reports/report-death-opens-death-stop']);
  });

  it('Versioning, R-PAY-09 (issue 23): only the escalated-then-resumed direct payment carries the R-PAY-09-escalate-stuck-payment patch; it was resumed by resumePayment and ended paid', () => {
    const all = everyKind();
    const id = 'direct-payment/escalated-resumed-paid';
    expect(all.map((h) => h.workflowId)).toEqual(expect.arrayContaining(['direct-payment/funeral-paid', 'direct-payment/account-rejected-corrected-paid', id]));
    expect(all.filter((h) => hasPatch(h, 'R-PAY-09-escalate-stuck-payment')).map((h) => h.workflowId)).toEqual([id]);
    const events = all.find((h) => h.workflowId === id)!.history.events ?? [];
    const updates = events.flatMap((e) => (e.workflowExecutionUpdateAcceptedEventAttributes ? [e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name] : []));
    expect(updates).toEqual(['requestPayment', 'approval', 'approval', 'resumePayment']);
    // the bank down: 7 calls of payOnce, each a bankTransfer that gave up, before the escalation; then paid on the same line
    expect(events.filter((e) => e.activityTaskFailedEventAttributes).length).toBe(7);
    expect(events.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
  });

  it('Versioning: an incompatible change to the workflow is caught by replay (DeterminismViolationError)', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('./fixtures/changed-workflows'),
      logger: { info: () => undefined, warn: () => undefined, error: console.error, debug: () => undefined, trace: () => undefined, log: () => undefined },
    });
    const [first] = histories();
    const results = [];
    for await (const r of Worker.runReplayHistories({ workflowBundle: { code } }, [first])) results.push(r);
    expect(results[0].error).toBeInstanceOf(DeterminismViolationError);
  });
});
