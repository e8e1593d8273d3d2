// What the death stop's flow and the change reports start from an activity, signed with the system's key
// (START_SIGNING_KEY, else ACTOR_SIGNING_KEY), so the signature, not the key, enters the history:
//   - R-DTH-04: a TEKUN recipient's funeral subsidy, the `directPayment` workflow (its contract:
//     workflows/direct-payment/start-input.ts); one per death stop, a second run starts nothing new;
//   - R-REV-03 (issue 22 §2.5): a reported death opens the death stop through the death records' own path;
//   - issue 23 §4: the person's open application or review is told (the kit's signed `notice` Update).
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { noticeUpdate, SYSTEM_ROLE, type NoticeInput } from '../../workflows/kit/notices';
import type { Prisma } from '../db';
import { systemSignerFromEnv, type SystemSigner } from '../crypto/start-signing';
import { DIRECT_PAYMENT_WORKFLOW_TYPE, directPaymentWorkflowId, funeralPaymentId, type DirectPaymentStartInput } from '../../workflows/direct-payment/start-input';
import type { Actor } from '../../workflows/rules/types';
import { intakeDeathRows } from './intake';

export function createDeathStopStartActivities(prisma: Prisma, temporal: () => Client | undefined, signer?: SystemSigner) {
  let signs = signer;
  const client = () => {
    const c = temporal() ?? Context.current().client;
    if (!c) throw new Error('no Temporal client in this context');
    return c;
  };
  return {
    /** R-DTH-04: the funeral direct payment, started once (REJECT_DUPLICATE; "already started" is the same payment). */
    async startFuneralPayment(r: { deathStopId: string; deathStopWorkflowId: string; idNumber: string; householdId: string; villageCode: string; dateOfDeath: string }): Promise<{ workflowId: string; started: boolean }> {
      const paymentId = funeralPaymentId(r.deathStopId);
      const workflowId = directPaymentWorkflowId(paymentId);
      const input: DirectPaymentStartInput = { paymentId, kind: 'funeral', personIdNumber: r.idNumber, householdId: r.householdId, villageCode: r.villageCode, origin: { by: 'death-stop', deathStopWorkflowId: r.deathStopWorkflowId, dateOfDeath: r.dateOfDeath } };
      signs ??= systemSignerFromEnv();
      try {
        await client().workflow.start(DIRECT_PAYMENT_WORKFLOW_TYPE, { workflowId, taskQueue: Context.current().info.taskQueue, args: [signs.signStart({ workflowType: DIRECT_PAYMENT_WORKFLOW_TYPE, workflowId }, input)], workflowIdReusePolicy: 'REJECT_DUPLICATE' });
        return { workflowId, started: true };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
        throw err;
      }
    },

    /** Issue 23 §4: tells each open case of the deceased (once: the Update id is the stop's); a case that has ended meanwhile is not told. */
    async tellOpenCases(r: { deathStopWorkflowId: string; countyCode: string; dateOfDeath: string; cases: { workflowId: string; kind: string }[] }): Promise<{ workflowId: string; kind: string; told: boolean }[]> {
      signs ??= systemSignerFromEnv();
      const told: { workflowId: string; kind: string; told: boolean }[] = [];
      for (const c of r.cases) {
        const updateId = `notice-${r.deathStopWorkflowId}`;
        const input: NoticeInput = { actor: { id: 'death-stop', name: '死亡停发', role: SYSTEM_ROLE, jurisdiction: r.countyCode }, kind: 'death', from: r.deathStopWorkflowId, summary: `a member died on ${r.dateOfDeath} (R-DTH): the death stop holds the payments`, data: { dateOfDeath: r.dateOfDeath } };
        try {
          await client().workflow.getHandle(c.workflowId).executeUpdate(noticeUpdate, { updateId, args: [signs.sign({ workflowId: c.workflowId, update: noticeUpdate.name, updateId }, input)] });
          told.push({ ...c, told: true });
        } catch (err) {
          // ended meanwhile, or refused (closed): nothing to tell; anything else (Temporal unreachable) is retried
          if (!(err instanceof WorkflowNotFoundError || err instanceof WorkflowUpdateFailedError || (err as { code?: number })?.code === 5)) throw err;
          told.push({ ...c, told: false });
        }
      }
      return told;
    },

    /** R-REV-03: a death a village reported opens (or reaches) the person's death stop, source `report`. */
    async openDeathStop(r: { idNumber: string; dateOfDeath: string; actor: Actor; taskQueue: string }): Promise<{ workflowId?: string }> {
      signs ??= systemSignerFromEnv();
      const { matched } = await intakeDeathRows({ prisma, client: client(), taskQueue: r.taskQueue, signer: signs }, r.actor, 'report', [{ index: 0, idNumber: r.idNumber, dateOfDeath: r.dateOfDeath }], '');
      return { workflowId: matched[0]?.workflowId };
    },
  };
}
