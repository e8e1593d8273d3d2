// Routes of "Reviews" in API.md: the list of open reviews, a review, the township's home visit and the
// outcome (the township caseworker's proposal, then each vote of the deciding body).
import type { ApiRoutes } from '../route';
import { CASE_STAFF, READERS } from '../roles';
import * as rm from '../../workflows/review/messages';
import type { CommandPath } from '../kind-commands';
import type { ReviewReadModel } from './service';
import * as s from './schemas';

export function registerReviewRoutes(routes: ApiRoutes, reviews: ReviewReadModel, path: CommandPath): void {
  routes.add({
    method: 'get',
    path: '/v1/reviews',
    tag: 'Reviews',
    summary: 'Open reviews in the caller’s jurisdiction, by step and due date (R-REV-06)',
    roles: [...CASE_STAFF, ...READERS],
    query: s.reviewListQuery,
    responses: { 200: { description: 'a page of open reviews', schema: s.reviewListSchema } },
    handler: async ({ user, query }) => ({ status: 200, body: await reviews.list(user, query) }),
  });

  routes.add({
    method: 'get',
    path: '/v1/reviews/{reviewId}',
    tag: 'Reviews',
    summary: 'A review: step, deadlines, decisions and its timeline',
    roles: [...CASE_STAFF, ...READERS],
    params: s.reviewIdParams,
    responses: { 200: { description: 'the review', schema: s.reviewViewSchema } },
    handler: async ({ user, params }) => ({ status: 200, body: await reviews.get(user, params.reviewId) }),
  });

  routes.add({
    method: 'post',
    path: '/v1/reviews/{reviewId}/investigation',
    tag: 'Reviews',
    summary: 'The township’s home visit of a review by ≥2 distinct staff, with incomes, expenditures and assets (R-APP-04, R-APP-09, R-REV-02)',
    roles: ['township_caseworker'],
    params: s.reviewIdParams,
    body: s.reviewInvestigationSchema,
    command: true,
    authorize: async ({ user, params }) => void (await reviews.visible(user, params.reviewId)),
    responses: { 200: { description: 'the review after the visit', schema: s.reviewViewSchema } },
    handler: async ({ user, params, body, req, resumed }) => {
      const b = body as Omit<rm.InvestigationInput, 'actor'>;
      const view = await path.send(reviews, user, params.reviewId, rm.reviewInvestigationUpdate, b, { idempotencyKey: req.get('idempotency-key'), staff: { field: 'investigators', ids: b.investigators }, resumed });
      return { status: 200, body: view };
    },
  });

  routes.add({
    method: 'post',
    path: '/v1/reviews/{reviewId}/outcome',
    tag: 'Reviews',
    summary: 'The outcome (continue / increase / decrease / stop): the township caseworker proposes, then minApprovers of the deciding body agree (R-REV-02, R-APP-11)',
    roles: ['township_caseworker', 'township_leader', 'county_approver'],
    params: s.reviewIdParams,
    body: s.outcomeSchema,
    command: true,
    authorize: async ({ user, params }) => void (await reviews.visible(user, params.reviewId)),
    responses: { 200: { description: 'the review after the outcome', schema: s.reviewViewSchema } },
    handler: async ({ user, params, body, req, resumed }) => {
      const view = await path.send(reviews, user, params.reviewId, rm.outcomeUpdate, body as Omit<rm.OutcomeInput, 'actor'>, { idempotencyKey: req.get('idempotency-key'), resumed });
      return { status: 200, body: view };
    },
  });
}
