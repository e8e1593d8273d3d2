// Routes of "Applications (低保/特困)" in API.md, plus the list and the rejection notice (R-APP-13).
import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import type { ApiRoutes } from '../route';
import type { Role } from '../roles';
import { CASE_STAFF, READERS } from '../roles';
import * as m from '../../workflows/application/messages';
import type { ApplicationService } from './service';
import { ServerTiming } from '../server-timing';
import * as s from './schemas';

export function registerApplicationRoutes(routes: ApiRoutes, service: ApplicationService): void {
  routes.add({
    method: 'post',
    path: '/v1/applications',
    tag: 'Applications',
    summary: 'Receive an application (受理): R-APP-01, R-APP-02, R-APP-16',
    description: 'Tells every missing material once. Starts the application workflow `application-{caseId}`.',
    // R-APP-16 (active discovery): a village assistant may open the case from a clue on a household's behalf
    roles: ['township_caseworker', 'village_assistant'],
    body: s.createApplicationSchema,
    command: true,
    rateLimit: 'intake',
    authorize: ({ user, body }) => service.authorizeCreate(user, body),
    responses: { 201: { description: 'the case as received', schema: s.applicationViewSchema } },
    handler: async ({ user, body, req }) => {
      const timing = new ServerTiming();
      const view = await service.create(user, body, req.get('idempotency-key'), timing);
      return { status: 201, body: view, headers: { 'Server-Timing': timing.header() } };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/applications',
    tag: 'Applications',
    summary: 'Cases in the caller’s jurisdiction, by step and overdue flag',
    roles: [...CASE_STAFF, ...READERS],
    query: s.listQuerySchema,
    responses: { 200: { description: 'a page of cases', schema: s.applicationListSchema } },
    handler: async ({ user, query }) => ({ status: 200, body: await service.list(user, query) }),
  });

  routes.add({
    method: 'get',
    path: '/v1/applications/{caseId}',
    tag: 'Applications',
    summary: 'A case: step, flags, deadlines, decisions and its history',
    roles: [...CASE_STAFF, ...READERS],
    params: s.caseIdParams,
    responses: { 200: { description: 'the case', schema: s.applicationViewSchema } },
    handler: async ({ user, params }) => ({ status: 200, body: await service.get(user, params.caseId) }),
  });

  /** One command route: validate, check what needs the database, send the Update. */
  function command<B extends z.ZodType, I extends m.Command>(spec: {
    path: string;
    summary: string;
    roles: Role[];
    body: B;
    update: UpdateDefinition<m.UpdateAnswer, [I]>;
    staffField?: 'investigators' | 'visitors';
  }): void {
    routes.add({
      method: 'post',
      path: `/v1/applications/{caseId}/${spec.path}`,
      tag: 'Applications',
      summary: spec.summary,
      roles: spec.roles,
      params: s.caseIdParams,
      body: spec.body,
      command: true,
      // a replay under an Idempotency-Key answers only while the caller may still see the case (API1)
      authorize: async ({ user, params }) => void (await service.visibleCase(user, params.caseId)),
      responses: { 200: { description: 'the case after the command', schema: s.applicationViewSchema } },
      handler: async ({ user, params, body, req, resumed }) => {
        const staff = spec.staffField ? { field: spec.staffField, ids: (body as Record<string, string[]>)[spec.staffField] } : undefined;
        const view = await service.command(user, params.caseId, spec.update, body as Omit<I, 'actor'>, req.get('idempotency-key'), staff, resumed);
        return { status: 200, body: view };
      },
    });
  }

  command({ path: 'materials', summary: 'Supplement missing materials (R-APP-01): a village assistant hands papers in; a township caseworker accepts them (an empty list: only what was handed in), which starts the clock (R-APP-12, R-APP-16)', roles: ['township_caseworker', 'village_assistant'], body: s.materialsSchema, update: m.supplementMaterialsUpdate });
  command({
    path: 'investigation',
    summary: 'Record the home investigation by ≥2 distinct staff (R-APP-04, R-APP-09)',
    roles: ['township_caseworker'],
    body: s.investigationSchema,
    update: m.recordInvestigationUpdate,
    staffField: 'investigators',
  });
  command({
    path: 'county-visit',
    summary: 'Record the county’s own home visit of a specially filed case by ≥2 county civil-affairs staff (R-APP-08)',
    roles: ['county_caseworker'],
    body: s.countyVisitSchema,
    update: m.recordCountyVisitUpdate,
    staffField: 'visitors',
  });
  command({
    path: 'township-review',
    summary: 'The township’s review opinion; starts publicity when eligible (R-APP-05…07, R-APP-10)',
    roles: ['township_caseworker', 'township_leader'],
    body: s.townshipReviewSchema,
    update: m.townshipReviewUpdate,
  });
  command({
    path: 'objections',
    summary: 'An objection during publicity, recorded by township staff on behalf of whoever raised it: back to investigation, or to the decision with every objection once the policy’s maxPublicityRounds are spent (R-APP-10)',
    roles: ['township_caseworker', 'township_leader'],
    body: s.objectionSchema,
    update: m.objectionUpdate,
  });
  // R-APP-15: approvals happen in the system: each vote is an Update on the case, recorded in its history
  command({
    path: 'approvals',
    summary: 'One approver’s vote; decided when minApprovers distinct approvers of one body agree: the county’s approvers, or the township’s leaders where the county delegated (R-APP-11)',
    roles: ['county_approver', 'township_leader'],
    body: s.approvalSchema,
    update: m.approvalUpdate,
  });
  command({ path: 'extension', summary: 'Extend the decision deadline once, with a reason (R-APP-12)', roles: ['county_approver'], body: s.reasonSchema, update: m.extensionUpdate });
  command({ path: 'withdrawal', summary: 'Withdraw the application', roles: ['township_caseworker'], body: s.reasonSchema, update: m.withdrawalUpdate });
  command({
    path: 'verification-retry',
    summary: 'Ask the verification agency again after it refused three rounds or left a check unanswered: the case is flagged verification_stalled (R-APP-03)',
    roles: ['township_caseworker', 'county_caseworker'],
    body: s.reasonSchema,
    update: m.retryVerificationUpdate,
  });
  command({
    path: 'rejection-notice',
    summary: 'Record the written rejection notice served: the reasons given to the applicant and the route of appeal (R-APP-13)',
    roles: ['township_caseworker', 'county_caseworker', 'county_approver'],
    body: s.rejectionNoticeSchema,
    update: m.rejectionNoticeUpdate,
  });
}
