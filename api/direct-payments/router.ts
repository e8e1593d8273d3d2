// Routes of "Direct payments" in API.md: the request (a medical payment, or a funeral payment's payee), the
// deciding body's votes, the payee's correction after the bank rejected the account, the list and a payment.
import type { ApiRoutes } from '../route';
import { CASE_STAFF, READERS } from '../roles';
import * as m from '../../workflows/direct-payment/messages';
import type { CommandPath } from '../kind-commands';
import type { DirectPaymentService } from './service';
import * as s from './schemas';

export function registerDirectPaymentRoutes(routes: ApiRoutes, payments: DirectPaymentService, path: CommandPath): void {
  routes.add({
    method: 'post',
    path: '/v1/direct-payments',
    tag: 'Direct payments',
    summary: 'A TEKUN person’s funeral (the payee and amount of the payment the death stop started) or medical costs (a new payment), paid by bank transfer to the undertaker, institution or hospital (R-DIR-01, R-DIR-02)',
    roles: ['township_caseworker', 'county_caseworker'],
    body: s.createDirectPaymentSchema,
    command: true,
    // R-PAY-09: without a key each request would be a new payment: a double click would pay a bill twice
    idempotencyKeyRequired: true,
    responses: { 201: { description: 'the payment, waiting for the decision', schema: s.directPaymentViewSchema } },
    handler: async ({ user, body, req, resumed }) => {
      const view = await payments.create(user, body, req.get('idempotency-key')!, resumed);
      return { status: 201, body: view };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/direct-payments',
    tag: 'Direct payments',
    summary: 'Open direct payments in the caller’s jurisdiction, by kind, step and due date',
    roles: [...CASE_STAFF, ...READERS],
    query: s.directPaymentListQuery,
    responses: { 200: { description: 'a page of open direct payments', schema: s.directPaymentListSchema } },
    handler: async ({ user, query }) => ({ status: 200, body: await payments.list(user, query) }),
  });

  routes.add({
    method: 'get',
    path: '/v1/direct-payments/{paymentId}',
    tag: 'Direct payments',
    summary: 'A direct payment: step, decision, the bank’s lines with their references, and its timeline',
    roles: [...CASE_STAFF, ...READERS],
    params: s.paymentIdParams,
    responses: { 200: { description: 'the payment', schema: s.directPaymentViewSchema } },
    handler: async ({ user, params }) => ({ status: 200, body: await payments.get(user, params.paymentId) }),
  });

  routes.add({
    method: 'post',
    path: '/v1/direct-payments/{paymentId}/approvals',
    tag: 'Direct payments',
    summary: 'A vote of the deciding body (the county’s approvers, or the township’s leaders where the county authorised them): decided when minApprovers agree (R-DIR-01, R-APP-11)',
    roles: ['county_approver', 'township_leader'],
    params: s.paymentIdParams,
    body: s.directPaymentApprovalSchema,
    command: true,
    authorize: async ({ user, params }) => void (await payments.visible(user, params.paymentId)),
    responses: { 200: { description: 'the payment after the vote', schema: s.directPaymentViewSchema } },
    handler: async ({ user, params, body, req, resumed }) => {
      const view = await path.send(payments, user, params.paymentId, m.directPaymentApprovalUpdate, body, { idempotencyKey: req.get('idempotency-key'), resumed });
      return { status: 200, body: view };
    },
  });

  routes.add({
    method: 'post',
    path: '/v1/direct-payments/{paymentId}/payee',
    tag: 'Direct payments',
    summary: 'After the bank rejected the account: the corrected payee, paid on a new line under a new reference (R-PAY-09)',
    roles: ['township_caseworker', 'county_caseworker'],
    params: s.paymentIdParams,
    body: s.payeeCorrectionSchema,
    command: true,
    authorize: async ({ user, params }) => void (await payments.visible(user, params.paymentId)),
    responses: { 200: { description: 'the payment, paying the new line', schema: s.directPaymentViewSchema } },
    handler: async ({ user, params, body, req, resumed }) => {
      const view = await path.send(payments, user, params.paymentId, m.correctPayeeUpdate, body, { idempotencyKey: req.get('idempotency-key'), resumed });
      return { status: 200, body: view };
    },
  });

  routes.add({
    method: 'post',
    path: '/v1/direct-payments/{paymentId}/resume',
    tag: 'Direct payments',
    summary: 'After the payment was escalated (a final error, or no final answer from the bank after the retries): pay the same line again under the same reference, never a second transfer (R-PAY-09)',
    roles: ['township_caseworker', 'county_caseworker'],
    params: s.paymentIdParams,
    body: s.paymentResumptionSchema,
    command: true,
    authorize: async ({ user, params }) => void (await payments.visible(user, params.paymentId)),
    responses: { 200: { description: 'the payment, paying again', schema: s.directPaymentViewSchema } },
    handler: async ({ user, params, body, req, resumed }) => {
      const view = await path.send(payments, user, params.paymentId, m.resumePaymentUpdate, body, { idempotencyKey: req.get('idempotency-key'), resumed });
      return { status: 200, body: view };
    },
  });
}
