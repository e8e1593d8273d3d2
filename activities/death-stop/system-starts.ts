// What the death stop's flow and the change reports start from an activity, signed with the system's key
// (START_SIGNING_KEY, else ACTOR_SIGNING_KEY), so the signature, not the key, enters the history:
//   - R-DTH-04: a TEKUN recipient's funeral subsidy, the `directPayment` workflow (its contract:
//     workflows/direct-payment/start-input.ts); one per death stop, a second run starts nothing new;
//   - R-REV-03 (issue 22 §2.5): a reported death opens the death stop through the death records' own path.
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
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

    /** R-REV-03: a death a village reported opens (or reaches) the person's death stop, source `report`. */
    async openDeathStop(r: { idNumber: string; dateOfDeath: string; actor: Actor; taskQueue: string }): Promise<{ workflowId?: string }> {
      signs ??= systemSignerFromEnv();
      const { matched } = await intakeDeathRows({ prisma, client: client(), taskQueue: r.taskQueue, signer: signs }, r.actor, 'report', [{ index: 0, idNumber: r.idNumber, dateOfDeath: r.dateOfDeath }], '');
      return { workflowId: matched[0]?.workflowId };
    },
  };
}
