// PLACEHOLDER until the bank's branch lands on main (issue 23): the kit's exactly-once payment is theirs;
// this file only fixes the signature the direct payments call, and is replaced by theirs at the merge.
import { ApplicationFailure, type Duration } from '@temporalio/common';
import type { PaymentOrder, TransferState } from './payment-order';

export async function payOnce(order: PaymentOrder, _o: { pollEvery: Duration; giveUpAfter: Duration }): Promise<TransferState> {
  throw ApplicationFailure.create({ type: 'NotImplemented', message: `payOnce is not merged yet (${order.reference})`, nonRetryable: true });
}
