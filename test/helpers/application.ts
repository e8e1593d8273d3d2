// Drives an application workflow in tests: start it, wait for a step, send the human steps.
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { application } from '../../workflows/application/application';
import type { ApplicationInput } from '../../workflows/application/state';
import type { ApplicationView } from '../../workflows/application/state';
import * as m from '../../workflows/application/messages';
import { actors, qsActors } from './people';
import { TASK_QUEUE, trackWorkflow } from './temporal';

type RawHandle = WorkflowHandle<typeof application>;

/**
 * A case's handle whose `executeUpdate` answers the case as the `state` query shows it right after the
 * update: updates answer compactly (issue 16 API4), and the tests read the case the update left. `raw`
 * is the plain handle, whose updates answer what Temporal records.
 */
export interface AppHandle extends Omit<RawHandle, 'executeUpdate'> {
  executeUpdate<Args extends unknown[]>(def: UpdateDefinition<m.UpdateAnswer, Args>, options?: { args?: Args; updateId?: string }): Promise<ApplicationView>;
  raw: RawHandle;
}

function caseHandle(raw: RawHandle): AppHandle {
  const handle = Object.create(raw) as AppHandle;
  handle.raw = raw;
  handle.executeUpdate = async (def, options) => {
    await raw.executeUpdate(def as never, options as never);
    return raw.query(m.stateQuery);
  };
  return handle;
}

/**
 * The workflow's own date at intake, per case: the server's clock (TEST_EPOCH onwards, skipped ahead by
 * env.sleep), never this machine's date.
 */
const enteredOn = new Map<string, string>();

export async function startApplication(client: Client, input: ApplicationInput, taskQueue = TASK_QUEUE): Promise<{ handle: AppHandle; receipt: ApplicationView }> {
  const handle = caseHandle(await client.workflow.start(application, { args: [input], workflowId: `application-${input.caseId}`, taskQueue }));
  trackWorkflow(taskQueue, handle.workflowId);
  const receipt = await handle.executeUpdate(m.intakeReceiptUpdate);
  enteredOn.set(input.caseId, receipt.enteredOn);
  return { handle, receipt };
}

/** Queries until the case reaches `step` (activities run in real time, so this is a short wait). */
export async function waitForStep(handle: AppHandle, step: string, timeoutMs = 30_000): Promise<ApplicationView> {
  const started = Date.now();
  for (;;) {
    const v = await handle.query(m.stateQuery);
    if (v.step === step) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`case stayed in step ${v.step}, expected ${step}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The home investigation of a test household: the head declares 500 yuan of wages, and the illness
 * spending (300 yuan) is that of the severely ill member, named (R-APP-05: a deduction belongs to a member
 * with that condition). A household without an ill member declares no illness spending. The investigators
 * are township staff of the case's township (R-APP-04), the recorder among them.
 */
export function investigation(input: ApplicationInput, overrides: Partial<m.InvestigationInput> = {}): m.InvestigationInput {
  const head = input.household.members[0];
  const ill = input.household.members.find((x) => x.severeIllness);
  const visitedOn = overrides.visitedOn ?? enteredOn.get(input.caseId);
  if (!visitedOn) throw new Error(`case ${input.caseId} was not started by startApplication: give the investigation a visitedOn from the case's own clock`);
  // R-APP-04: staff of the case's own township (a 沁水县 case is investigated by the seed's qs-* staff)
  const qs = input.villageCode.startsWith('140521100');
  return {
    actor: qs ? qsActors.caseworker : actors.caseworker,
    investigators: qs ? ['qs-tw1', 'qs-tw2'] : ['zhangmin', 'liqiang'],
    visitedOn,
    findings: '入户调查：家中有重病患者，无稳定收入。邻里走访情况属实。',
    incomes: [{ memberIdNumber: head.idNumber, monthlyFen: 50_000, source: 'wages' }],
    expenditures: ill ? [{ kind: 'illness', monthlyFen: 30_000, memberIdNumber: ill.idNumber }] : [],
    assets: [],
    ...overrides,
  };
}

/** From intake to the county decision step: verification, investigation, review, publicity. */
export async function walkToDecision(handle: AppHandle, input: ApplicationInput, sleep: (ms: number) => Promise<void>): Promise<ApplicationView> {
  await waitForStep(handle, 'investigating');
  await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input)] });
  await handle.executeUpdate(m.townshipReviewUpdate, { args: [{ actor: actors.caseworker, opinion: 'eligible', reason: '符合条件' }] });
  await waitForStep(handle, 'publicity');
  await sleep(8 * 86_400_000);
  return waitForStep(handle, 'county_decision');
}

export const approve = (actor: (typeof actors)[keyof typeof actors], monthlyFen?: number): [m.ApprovalInput] => [
  { actor, decision: 'approve', reason: '经集体审批，符合低保条件', monthlyFen },
];

/** Expects an update to be refused with this failure type (and rule, if given). */
export async function expectRefused(p: Promise<unknown>, type: string, rule?: string): Promise<string> {
  const { WorkflowUpdateFailedError } = await import('@temporalio/client');
  const { ApplicationFailure } = await import('@temporalio/common');
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as InstanceType<typeof WorkflowUpdateFailedError>).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    const failure = cause as InstanceType<typeof ApplicationFailure>;
    expect(failure.type).toBe(type);
    if (rule) expect((failure.details?.[0] as { rule?: string }).rule).toBe(rule);
    return failure.message;
  }
  throw new Error(`expected the update to be refused with ${type}`);
}

export const review = (opinion: 'eligible' | 'ineligible' = 'eligible', extra: Partial<m.TownshipReviewInput> = {}): [m.TownshipReviewInput] => [
  { actor: actors.caseworker, opinion, reason: opinion === 'eligible' ? '符合条件' : '家庭人均收入高于标准', ...extra },
];

/** R-APP-13: what a rejection notice states: the reasons given to the applicant and the route of appeal. */
export const noticeStatement = {
  reasons: ['家庭人均收入高于当地低保标准'],
  appeal: { reconsideration: { body: '培训演示县人民政府' }, litigation: { court: '培训演示县人民法院' } },
} satisfies Pick<m.RejectionNoticeInput, 'reasons' | 'appeal'>;
