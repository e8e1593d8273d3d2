// R-REV-03: monthly change reports (API.md "Roster and households"; the village's and township's routes extend it).
import type { ApiRoutes } from '../route';
import { CASE_STAFF, READERS } from '../roles';
import type { ChangeReportService } from './service';
import * as s from './schemas';

export function registerChangeReportRoutes(routes: ApiRoutes, service: ChangeReportService): void {
  const answer = { 200: { description: 'the month after the report: villages reported and missing, and what each household’s report opened', schema: s.changeReportsAnswerSchema } };

  routes.add({
    method: 'post',
    path: '/v1/households/{householdId}/change-reports',
    tag: 'Change reports',
    summary: 'One household’s monthly change report (R-REV-03); a major change opens a review now (R-REV-04), a death is recorded for the death stop',
    roles: ['village_assistant', 'township_caseworker'],
    params: s.householdParams,
    body: s.householdReportBody,
    command: true,
    authorize: async ({ user, params }) => void (await service.visibleHousehold(user, params.householdId)),
    responses: answer,
    handler: async ({ user, params, body, req }) => ({ status: 200, body: await service.reportHousehold(user, params.householdId, body, req.get('idempotency-key')) }),
  });

  routes.add({
    method: 'post',
    path: '/v1/villages/{villageCode}/change-reports',
    tag: 'Change reports',
    summary: 'A village’s whole monthly report: every recipient household (empty changes: no change); closes the village’s deadline of the 20th (R-REV-03)',
    roles: ['village_assistant', 'township_caseworker'],
    params: s.villageParams,
    body: s.villageReportBody,
    command: true,
    authorize: ({ user, params }) => service.visibleDivision(user, params.villageCode, 'village'),
    responses: answer,
    handler: async ({ user, params, body, req }) => ({ status: 200, body: await service.reportVillage(user, params.villageCode, body, req.get('idempotency-key')) }),
  });

  routes.add({
    method: 'post',
    path: '/v1/townships/{townshipCode}/change-reports/{month}/check',
    tag: 'Change reports',
    summary: 'The township’s check of the month’s reports, due by month end (R-REV-03)',
    roles: ['township_caseworker'],
    params: s.townshipMonthParams,
    body: s.townshipCheckBody,
    command: true,
    authorize: ({ user, params }) => service.visibleDivision(user, params.townshipCode, 'township'),
    responses: answer,
    handler: async ({ user, params, body, req }) => ({ status: 200, body: await service.checkTownship(user, params.townshipCode, params.month, body, req.get('idempotency-key')) }),
  });

  routes.add({
    method: 'get',
    path: '/v1/townships/{townshipCode}/change-reports/{month}',
    tag: 'Change reports',
    summary: 'The month’s change reports: villages reported, due and overdue, households, deaths recorded, the check (R-REV-03)',
    roles: [...CASE_STAFF, ...READERS],
    params: s.townshipMonthParams,
    responses: { 200: { description: 'the month', schema: s.changeReportsViewSchema } },
    handler: async ({ user, params }) => ({ status: 200, body: await service.view(user, params.townshipCode, params.month) }),
  });
}
