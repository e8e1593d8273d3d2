// Issue 22 §1.3 (API1): every start is signed, and nothing acts on an unsigned one. Starts sent straight
// to Temporal by a client that holds the namespace's credentials and the payload key but not the API's
// signing key: unsigned, forged, or signed for another input. Each run fails at once with `UnsignedStart`
// and nothing done: no activity scheduled, no case row, no member lock, no audit event. Real Temporal
// (time-skipping server), real PostgreSQL.
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { actorSignerFromEnv } from '../../api/actor-signing';
import { newActorKeyPair, parseSigningKey } from '../../activities/crypto/actor-keys';
import { signStart, startSignerFromEnv } from '../../activities/crypto/start-signing';
import { application } from '../../workflows/application/application';
import type { ApplicationInput } from '../../workflows/application/state';
import { UNSIGNED_START } from '../../workflows/kit/start-signature';
import { startApplication, waitForStep } from '../helpers/application';
import { listen, token, TEST_JWT_SECRET } from '../helpers/http';
import { applicationBody, poorFamily } from '../helpers/people';
import { ActorSigner } from '../../api/actor-signing';
import { createApp } from '../../api/app';
import { trackWorkflow, workflowTestbed } from '../helpers/temporal';
import * as m from '../../workflows/application/messages';

const tb = workflowTestbed();
/** Reaches Temporal directly and signs nothing (the testbed's own client stands in for the API and signs). */

const caseworker = token('zhangmin', 'township_caseworker', '140599100', '张敏');
const workflowIdOf = (input: ApplicationInput) => `application-${input.caseId}`;

/** Starts `args` directly and expects the run to fail with UnsignedStart having done nothing. */
async function refusedStart(input: ApplicationInput, taskQueue: string, message: RegExp, workflowId = workflowIdOf(input)): Promise<void> {
  const handle = await tb.unsignedClient().workflow.start(application, { workflowId, taskQueue, args: [input] });
  trackWorkflow(taskQueue, workflowId);
  const failure = await handle.result().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  const cause = (failure as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect((cause as ApplicationFailure).type).toBe(UNSIGNED_START);
  expect((cause as ApplicationFailure).nonRetryable).toBe(true);
  expect((cause as ApplicationFailure).message).toMatch(message);
  // nothing done: no activity, timer or child in history; no row, lock or audit entry in the database
  const { events } = await handle.fetchHistory();
  // (the SDK's own upsert of TemporalChangeVersion, which records the patch, publishes nothing of the case)
  const published = (e: (typeof events & object)[number]) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).some((k) => k !== 'TemporalChangeVersion');
  const acted = (events ?? []).filter((e) => e.activityTaskScheduledEventAttributes || e.timerStartedEventAttributes || e.startChildWorkflowExecutionInitiatedEventAttributes || published(e));
  expect(acted).toEqual([]);
  const { prisma } = tb.db;
  const ids = input.household.members.map((x) => x.idNumber);
  expect(await prisma.case.findUnique({ where: { caseId: input.caseId } })).toBeNull();
  expect(await prisma.openApplication.findMany({ where: { idNumber: { in: ids } } })).toEqual([]);
  expect(await prisma.auditEvent.count({ where: { workflowId } })).toBe(0);
}

describe('issue 22 §1.3: a start sent straight to Temporal', () => {
  it('API1: an unsigned start of an application fails with UnsignedStart, nothing done (no case, no lock, no audit event)', async () => {
    await tb.run(async (tq) => {
      await refusedStart(poorFamily(), tq, /not signed/);
    });
  });

  it('API1: a start forged with a key the workers do not trust, under the API\'s own key id, fails with UnsignedStart, nothing done', async () => {
    await tb.run(async (tq) => {
      const input = poorFamily();
      const apiKeyId = parseSigningKey(process.env.ACTOR_SIGNING_KEY!).keyId;
      const forger = parseSigningKey(newActorKeyPair(apiKeyId).signingKey);
      await refusedStart(signStart(forger, { workflowType: 'application', workflowId: workflowIdOf(input) }, input), tq, /signature does not match/);
    });
  });

  it('API1: a start signed with an unknown key id fails with UnsignedStart, nothing done', async () => {
    await tb.run(async (tq) => {
      const input = poorFamily();
      const stranger = parseSigningKey(newActorKeyPair('stranger').signingKey);
      await refusedStart(signStart(stranger, { workflowType: 'application', workflowId: workflowIdOf(input) }, input), tq, /unknown key "stranger"/);
    });
  });

  it('API1: a start whose input is not the one signed (the actor changed after signing: a case in another\'s name) fails with UnsignedStart, nothing done', async () => {
    await tb.run(async (tq) => {
      const input = poorFamily();
      const signed = actorSignerFromEnv().signStart({ workflowType: 'application', workflowId: workflowIdOf(input) }, input);
      await refusedStart({ ...signed, actor: { ...signed.actor, id: 'someone-else' } }, tq, /signature does not match/);
    });
  });

  it('API1: a start signed for another workflow id (a captured signed start replayed under another id) fails with UnsignedStart, nothing done', async () => {
    await tb.run(async (tq) => {
      const input = poorFamily();
      const signed = actorSignerFromEnv().signStart({ workflowType: 'application', workflowId: workflowIdOf(input) }, input);
      await refusedStart(signed, tq, /signature does not match/, `${workflowIdOf(input)}-again`);
    });
  });

  it('API1: a properly signed start (the system signer, as the scheduler would use it) opens the case', async () => {
    await tb.run(async (tq) => {
      const input = poorFamily();
      const workflowId = workflowIdOf(input);
      const signed = startSignerFromEnv().sign({ workflowType: 'application', workflowId }, input);
      const handle = await tb.unsignedClient().workflow.start(application, { workflowId, taskQueue: tq, args: [signed] });
      trackWorkflow(tq, workflowId);
      await handle.executeUpdate(m.intakeReceiptUpdate);
      const view = await handle.query(m.stateQuery);
      expect(view.status).toBe('open');
      expect(JSON.stringify(view)).not.toContain('"auth"');
      expect(await tb.db.prisma.case.findUnique({ where: { caseId: input.caseId } })).not.toBeNull();
    });
  });

  it('API1: the testbed\'s client, standing in for the API, signs its starts: a case walks on as before', async () => {
    await tb.run(async (tq) => {
      const { handle, receipt } = await startApplication(tb.env.client, poorFamily(), tq);
      expect(receipt.status).toBe('open');
      await waitForStep(handle, 'investigating');
    });
  });

  it('API1: the API signs the intake\'s start itself: over a Temporal client that signs nothing, POST /v1/applications opens the case (201)', async () => {
    await tb.run(async (tq) => {
      const http = await listen(createApp({ prisma: tb.db.prisma, client: tb.unsignedClient(), taskQueue: tq, jwt: { secret: TEST_JWT_SECRET } }));
      try {
        const r = await http.request('POST', '/v1/applications', { token: caseworker, body: applicationBody() });
        expect(r.status).toBe(201);
        trackWorkflow(tq, `application-${r.body.caseId}`);
        expect(r.body.status).toBe('open');
      } finally {
        await http.close();
      }
    });
  });

  it('API1: an API whose signing key the workers do not trust answers the intake 503 problem+json (its own misconfiguration, not the caller\'s), and no case is opened', async () => {
    await tb.run(async (tq) => {
      const untrusted = new ActorSigner(parseSigningKey(newActorKeyPair('not-in-the-ring').signingKey));
      const http = await listen(createApp({ prisma: tb.db.prisma, client: tb.unsignedClient(), taskQueue: tq, jwt: { secret: TEST_JWT_SECRET }, actorSigner: untrusted }));
      try {
        const body = applicationBody();
        const r = await http.request('POST', '/v1/applications', { token: caseworker, body });
        expect(r.status).toBe(503);
        expect(r.type).toContain('application/problem+json');
        expect(r.body.detail).toMatch(/signing key/);
        const ids = body.household.members.map((x: { idNumber: string }) => x.idNumber);
        expect(await tb.db.prisma.caseMember.count({ where: { idNumber: { in: ids } } })).toBe(0);
        expect(await tb.db.prisma.openApplication.count({ where: { idNumber: { in: ids } } })).toBe(0);
      } finally {
        await http.close();
      }
    });
  });
});
