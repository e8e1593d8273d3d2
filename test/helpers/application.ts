// Drives an application workflow in tests: start it, wait for a step, send the human steps.
import type { Client, WorkflowHandle } from '@temporalio/client';
import { application } from '../../workflows/application';
import type { ApplicationInput } from '../../workflows/application-state';
import type { ApplicationView } from '../../workflows/application-state';
import * as m from '../../workflows/messages';
import { actors } from './people';
import { TASK_QUEUE } from './temporal';

export type AppHandle = WorkflowHandle<typeof application>;

export async function startApplication(client: Client, input: ApplicationInput, taskQueue = TASK_QUEUE): Promise<{ handle: AppHandle; receipt: ApplicationView }> {
  const handle = await client.workflow.start(application, { args: [input], workflowId: `application-${input.caseId}`, taskQueue });
  const receipt = await handle.executeUpdate(m.intakeReceiptUpdate);
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

export function investigation(input: ApplicationInput, overrides: Partial<m.InvestigationInput> = {}): m.InvestigationInput {
  const head = input.household.members[0];
  return {
    actor: actors.caseworker,
    investigators: ['zhangmin', 'liqiang'],
    visitedOn: new Date().toISOString().slice(0, 10),
    findings: '入户调查：家中有重病患者，无稳定收入。邻里走访情况属实。',
    incomes: [{ memberIdNumber: head.idNumber, monthlyFen: 50_000, source: 'wages' }],
    expenditures: [{ kind: 'illness', monthlyFen: 30_000 }],
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
