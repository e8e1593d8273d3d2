// Issue 22 §1.7: the agency's idempotency key (workflow id / execution chain / check / round) is unique per
// execution chain: a run continued as new asks for the same check under the same key (the agency answers
// the first check), a workflow id reused by a new execution asks under a new key (a new check). Real
// Temporal (time-skipping server), the sandbox agency over HTTP, the kit's agency proxy on its own queue.
import crypto from 'node:crypto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { dataConverterFromEnv, FAILURE_CONVERTER_PATH } from '../../activities/crypto/data-converter';
import { createVerificationActivities } from '../../activities/verification';
import { externalTaskQueue } from '../../workflows/kit/external-systems';
import { checkDigit } from '../../workflows/rules/id-number';
import { createTimeSkippingEnv, startTestAgency, type TestAgency } from '../helpers/temporal';
import { agencyChain } from './fixtures/agency-chain';

let env: TestWorkflowEnvironment;
let agency: TestAgency;
let code: string;
beforeAll(async () => {
  [env, agency, { code }] = await Promise.all([
    createTimeSkippingEnv(),
    startTestAgency(),
    bundleWorkflowCode({ workflowsPath: require.resolve('./fixtures/agency-chain'), failureConverterPath: FAILURE_CONVERTER_PATH, logger: { info: () => undefined, warn: () => undefined, error: console.error, debug: () => undefined, trace: () => undefined, log: () => undefined } }),
  ]);
});
afterAll(async () => {
  await env?.teardown();
  await agency?.close();
});

const idNumber = () => {
  const first17 = `140521${crypto.randomInt(1940, 2000)}0512${String(crypto.randomInt(0, 1000)).padStart(3, '0')}`;
  return first17 + checkDigit(first17);
};

async function keysOf(workflowId: string): Promise<string[]> {
  const checks = (await agency.checks()) as { idempotencyKey: string }[];
  return checks.map((c) => c.idempotencyKey).filter((k) => k.startsWith(`${workflowId}/`));
}

it('R-APP-03, issue 22 §1.7: within one execution chain the key stays the same across continue-as-new (one check); a new execution under the same workflow id gets a new key (a new check)', async () => {
  const taskQueue = `agency-chain-${crypto.randomUUID()}`;
  const dataConverter = dataConverterFromEnv();
  const main = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: { code }, dataConverter });
  const agencyWorker = await Worker.create({ connection: env.nativeConnection, taskQueue: externalTaskQueue(taskQueue, 'agency'), activities: createVerificationActivities(agency.agency), dataConverter });
  const workflowId = `agency-chain-${crypto.randomUUID()}`;
  const person = idNumber();
  await main.runUntil(
    agencyWorker.runUntil(async () => {
      const first = await env.client.workflow.start(agencyChain, { workflowId, taskQueue, args: [{ continues: 2, idNumber: person }] });
      const firstChain = await first.result();
      expect(firstChain).toHaveLength(3);
      expect(new Set(firstChain).size).toBe(1); // three runs, one check
      const again = await env.client.workflow.start(agencyChain, { workflowId, taskQueue, args: [{ continues: 0, idNumber: person }] });
      const secondChain = await again.result();
      expect(secondChain[0]).not.toBe(firstChain[0]);
      // the keys the agency saw: one per chain, each naming the chain's first run
      const keys = await keysOf(workflowId);
      expect(keys.sort()).toEqual([`${workflowId}/${first.firstExecutionRunId}/check/1`, `${workflowId}/${again.firstExecutionRunId}/check/1`].sort());
    }),
  );
});
