// OWASP API1:2023 Broken Object Level Authorization (issue 16): a workflow takes a command only as the API
// signed it. Updates sent straight to Temporal, by a client holding the payload key but not the API's
// signing key, with a plausible actor of the case's own township, are refused by the validator (nothing
// in history), however the signature is missing, forged or misused. Real Temporal (time-skipping server),
// real PostgreSQL, the real API.
import crypto from 'node:crypto';
import type { UpdateDefinition } from '@temporalio/common';
import { ActorSigner, actorSignerFromEnv } from '../../api/actor-signing';
import { createApp } from '../../api/app';
import { actorSigningKeyFromEnv, newActorKeyPair, parseSigningKey } from '../../activities/crypto/actor-keys';
import * as m from '../../workflows/application/messages';
import { expectRefused, startApplication, waitForStep, type AppHandle } from '../helpers/application';
import { listen, token, TEST_JWT_SECRET } from '../helpers/http';
import { actors, allMaterials, poorFamily } from '../helpers/people';
import { workflowTestbed } from '../helpers/temporal';

const tb = workflowTestbed();
/** Reaches Temporal directly, as anyone with the namespace's credentials and the payload key could: it signs nothing. */

const withdraw: m.ReasonInput = { actor: actors.caseworker, reason: '申请人自愿撤回' };
/** The API's own key: what a signed command captured on its way to Temporal carries. */
const api = () => actorSignerFromEnv();

function send<I>(handle: AppHandle, update: UpdateDefinition<m.UpdateAnswer, [I]>, input: I, updateId: string = crypto.randomUUID()) {
  return tb.unsignedClient().workflow.getHandle(handle.workflowId).executeUpdate(update, { args: [input], updateId });
}

const signedFor = <I extends object>(handle: AppHandle, update: string, updateId: string, input: I, signer = api()) => signer.sign({ workflowId: handle.workflowId, update, updateId }, input);

/** Commands the workflow accepted (the intake's receipt aside): a refused one is never in history. */
async function acceptedUpdates(handle: AppHandle): Promise<string[]> {
  const { events } = await handle.fetchHistory();
  const names = (events ?? []).flatMap((e) => (e.workflowExecutionUpdateAcceptedEventAttributes ? [e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name ?? '?'] : []));
  return names.filter((n) => n !== m.intakeReceiptUpdate.name);
}

async function refusedAndStillOpen(handle: AppHandle, attempt: Promise<unknown>, message: RegExp): Promise<void> {
  expect(await expectRefused(attempt, 'Forbidden')).toMatch(message);
  expect(await acceptedUpdates(handle)).toEqual([]);
  expect((await handle.query(m.stateQuery)).status).toBe('open');
}

/** A case at investigation on its own worker; the API's own withdrawal ends it afterwards. */
function onOpenCase(fn: (handle: AppHandle) => Promise<void>): Promise<void> {
  return tb.run(async (tq) => {
    const { handle } = await startApplication(tb.env.client, poorFamily(), tq);
    await waitForStep(handle, 'investigating');
    await fn(handle);
    await handle.executeUpdate(m.withdrawalUpdate, { args: [{ ...withdraw, reason: 'test done' }] });
  });
}

/** A withdrawal signed (by `signer`, the API's key by default) and sent as signed. */
function signedWithdrawal(handle: AppHandle, signer?: ActorSigner) {
  const id = crypto.randomUUID();
  return send(handle, m.withdrawalUpdate, signedFor(handle, 'withdrawal', id, withdraw, signer), id);
}

describe('API1 (issue 16): the workflow takes only commands the API signed', () => {
  it('API1: a withdrawal sent straight to Temporal by a plausible actor of the case\'s own township, without the API\'s signature, is refused by the validator and leaves nothing in the history', async () => {
    await onOpenCase(async (handle) => {
      await refusedAndStillOpen(handle, send(handle, m.withdrawalUpdate, withdraw), /not signed by the API/);
      // a signature-shaped field that is not one
      await refusedAndStillOpen(handle, send(handle, m.withdrawalUpdate, { ...withdraw, auth: { keyId: 'x' } } as unknown as m.ReasonInput), /not signed by the API/);
    });
  });

  it('API1: a signature by a key the workflow does not trust is refused: an unknown key id, and a forger\'s own key under the API\'s key id', async () => {
    await onOpenCase(async (handle) => {
      const stranger = new ActorSigner(parseSigningKey(newActorKeyPair('stranger').signingKey));
      await refusedAndStillOpen(handle, signedWithdrawal(handle, stranger), /unknown actor signing key "stranger"/);
      const impostor = new ActorSigner(parseSigningKey(newActorKeyPair(actorSigningKeyFromEnv().keyId).signingKey));
      await refusedAndStillOpen(handle, signedWithdrawal(handle, impostor), /signature does not match/);
    });
  });

  it('API1: a command the API signed is good only for its workflow, Update name, Update id, actor and payload: replayed to another case, as another Update, under another id, or changed, it is refused; as signed it is taken', async () => {
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, poorFamily(), tq);
      const { handle: other } = await startApplication(tb.env.client, poorFamily(), tq);
      await Promise.all([waitForStep(handle, 'investigating'), waitForStep(other, 'investigating')]);
      const id = crypto.randomUUID();
      const signed = signedFor(handle, 'withdrawal', id, withdraw);
      const mismatch = /signature does not match/;
      await refusedAndStillOpen(other, send(other, m.withdrawalUpdate, signed, id), mismatch);
      await refusedAndStillOpen(handle, send(handle, m.withdrawalUpdate, signedFor(handle, 'extension', id, withdraw), id), mismatch);
      await refusedAndStillOpen(handle, send(handle, m.withdrawalUpdate, signed, crypto.randomUUID()), mismatch);
      await refusedAndStillOpen(handle, send(handle, m.withdrawalUpdate, { ...signed, reason: '被他人撤回' }, id), mismatch);
      await refusedAndStillOpen(handle, send(handle, m.withdrawalUpdate, { ...signed, actor: actors.caseworker2 }, id), mismatch);
      await refusedAndStillOpen(handle, send(handle, m.withdrawalUpdate, { ...signed, actor: { ...actors.caseworker, jurisdiction: '140599' } }, id), mismatch);
      await refusedAndStillOpen(handle, send(handle, m.withdrawalUpdate, { ...signed, auth: { ...signed.auth, issuedAt: signed.auth.issuedAt + 1 } }, id), mismatch);
      // untouched, it is the API's command: taken, and the signature never reaches the case's state
      const done = await send(handle, m.withdrawalUpdate, signed, id);
      expect(done.step).toBe('withdrawn');
      expect(JSON.stringify(done)).not.toContain(signed.auth.signature);
      expect(await acceptedUpdates(handle)).toEqual(['withdrawal']);
      await other.executeUpdate(m.withdrawalUpdate, { args: [{ ...withdraw, reason: 'test done' }] });
    });
  });

  it('API1: a captured signed command sent again under its own Update id is answered once and applied once (Temporal runs an Update id once)', async () => {
    await tb.run(async (tq) => {
      const family = poorFamily();
      const last = allMaterials(family.household).at(-1)!;
      const { handle } = await startApplication(tb.env.client, { ...family, materials: family.materials.filter((x) => x !== last) }, tq);
      const id = crypto.randomUUID();
      const supplement = signedFor(handle, 'supplementMaterials', id, { actor: actors.caseworker, materials: [last] });
      const first = await send(handle, m.supplementMaterialsUpdate, supplement, id);
      const again = await send(handle, m.supplementMaterialsUpdate, supplement, id);
      expect(again.revision).toBe(first.revision);
      expect(await acceptedUpdates(handle)).toEqual(['supplementMaterials']);
      await handle.executeUpdate(m.withdrawalUpdate, { args: [{ ...withdraw, reason: 'test done' }] });
    });
  });

  it('API1 (national cryptography): with an SM2 key (keyId:sm2:…) the API signs with SM2 over SM3 and the workflow verifies it in the sandbox: taken; the same with its payload changed is refused', async () => {
    await tb.run(async (tq) => {
      const { handle } = await startApplication(tb.env.client, poorFamily(), tq);
      await waitForStep(handle, 'investigating');
      const sm2 = new ActorSigner(parseSigningKey(process.env.JIUZHU_TEST_ACTOR_SM2_KEY!));
      const id = crypto.randomUUID();
      const signed = signedFor(handle, 'withdrawal', id, withdraw, sm2);
      await refusedAndStillOpen(handle, send(handle, m.withdrawalUpdate, { ...signed, reason: '被他人撤回' }, id), /signature does not match/);
      expect((await send(handle, m.withdrawalUpdate, signed, id)).step).toBe('withdrawn');
    });
  });

  it('API1: the API signs the commands it sends: through HTTP, over a Temporal client that signs nothing, the caseworker\'s withdrawal is taken', async () => {
    await tb.run(async (tq) => {
      const { handle, receipt } = await startApplication(tb.env.client, poorFamily(), tq);
      await waitForStep(handle, 'investigating');
      const http = await listen(createApp({ prisma: tb.db.prisma, client: tb.unsignedClient(), taskQueue: tq, jwt: { secret: TEST_JWT_SECRET } }));
      try {
        const res = await http.request('POST', `/v1/applications/${receipt.caseId}/withdrawal`, { token: token('zhangmin', 'township_caseworker', '140599100', '张敏'), body: { reason: '申请人自愿撤回' } });
        expect(res.status).toBe(200);
        expect(res.body.step).toBe('withdrawn');
        expect(await acceptedUpdates(handle)).toEqual(['withdrawal']);
      } finally {
        await http.close();
      }
    });
  });
});
