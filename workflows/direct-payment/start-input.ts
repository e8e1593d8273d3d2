// R-DIR-01/02, R-DTH-04: what starts a direct payment, shared by its two starters: the API
// (POST /v1/direct-payments, signed by the API) and a TEKUN recipient's death stop (the funeral subsidy,
// signed by the system's start signer). One funeral payment per person: its payment id comes from the
// death stop (`funeral-<deathStopId>`), so the death stop and a caseworker's request reach the same workflow.
// No ID number appears in a workflow id (ids are not encrypted: Temporal's visibility shows them).

export const DIRECT_PAYMENT_WORKFLOW_TYPE = 'directPayment';

export type DirectPaymentKind = 'funeral' | 'medical';

export interface DirectPaymentStartInput {
  paymentId: string;
  kind: DirectPaymentKind;
  /** the TEKUN person the payment is for (encrypted in payloads like every input) */
  personIdNumber: string;
  householdId?: string;
  /** the person's village code: jurisdiction */
  villageCode: string;
  /** who asked: a caseworker through the API, or the death stop */
  origin: { by: 'api'; actor: string } | { by: 'death-stop'; deathStopWorkflowId: string; dateOfDeath: string };
}

export function directPaymentWorkflowId(paymentId: string): string {
  return `direct-payment-${paymentId}`;
}

export function funeralPaymentId(deathStopId: string): string {
  return `funeral-${deathStopId}`;
}
