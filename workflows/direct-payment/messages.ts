// Every message the direct-payment workflow accepts, defined once for the workflow and the API (API.md
// "Direct payments"): the request (payee and amount: the API's POST, or a caseworker's payee for a funeral
// the death stop started), each vote of the deciding body, the payee's correction after the bank
// rejected the account, and the resumption of a payment escalated to a person (R-PAY-09).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Command, NamingStaff, UpdateAnswer } from '../kit/command';
import type { Payee } from '../kit/payment-order';
import type { DirectPaymentView } from './state';

export type { UpdateAnswer };

export type DirectPayee = Payee & { type: 'undertaker' | 'institution' | 'hospital' };

export interface PaymentRequestInput extends Command {
  payee: DirectPayee;
  amountFen: number;
  totalCostFen?: number;
  insurancePaidFen?: number;
  medicalAssistancePaidFen?: number;
  reason?: string;
}

export interface DirectPaymentApprovalInput extends NamingStaff {
  decision: 'approve' | 'reject';
  reason: string;
  meeting?: string;
  meetingDate?: string;
  attendees?: string[];
}

export interface PayeeCorrectionInput extends Command {
  payee: DirectPayee;
  reason: string;
}

/** R-PAY-09: after the escalation (a final error, or no final answer after the retries): pay the same line again. */
export interface PaymentResumptionInput extends Command {
  reason: string;
}

export const directPaymentStateQuery = defineQuery<DirectPaymentView>('state');
export const requestPaymentUpdate = defineUpdate<UpdateAnswer, [PaymentRequestInput]>('requestPayment');
/** Named `approval` as the application's vote, so the register's facts of the voter and attendees are resolved the same way (steps/staff.ts namedStaff). */
export const directPaymentApprovalUpdate = defineUpdate<UpdateAnswer, [DirectPaymentApprovalInput]>('approval');
export const correctPayeeUpdate = defineUpdate<UpdateAnswer, [PayeeCorrectionInput]>('correctPayee');
export const resumePaymentUpdate = defineUpdate<UpdateAnswer, [PaymentResumptionInput]>('resumePayment');
