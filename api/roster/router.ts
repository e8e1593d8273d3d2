// Routes of "Roster and households (花名册)" in API.md: the import of a legacy roster (issue 22 §2.1),
// the roster with next review dates, one household.
import type { ApiRoutes } from '../route';
import { CASE_STAFF, READERS } from '../roles';
import type { RosterService } from './service';
import * as s from './schemas';

export function registerRosterRoutes(routes: ApiRoutes, service: RosterService): void {
  routes.add({
    method: 'post',
    path: '/v1/roster/import',
    tag: 'Roster',
    summary: 'Import existing recipients from the legacy system (R-APP-14 roster, R-REV-01 next review)',
    description: [
      `At most ${s.MAX_IMPORT_ROWS} households per request (larger files: \`npm run import\`). Each row is checked on its own`,
      '(an `ImportHousehold`): bad rows are listed in `rejected` by index with every field error, the good ones are written',
      'in chunks of 1,000, each chunk whole or not at all. A household whose covered members are already an active household',
      'counts in `alreadyPresent` (importing a file again adds nothing); one sharing a member with another household, or with',
      'an open application, is rejected. Villages must be registered and inside the caller’s jurisdiction.',
    ].join(' '),
    roles: ['county_caseworker'],
    body: s.importRequestSchema,
    command: true,
    responses: { 200: { description: 'what was imported and what was not', schema: s.importResultSchema } },
    handler: async ({ user, body }) => ({ status: 200, body: await service.import(user, body) }),
  });

  routes.add({
    method: 'get',
    path: '/v1/roster',
    tag: 'Roster',
    summary: 'Households on the roster in the caller’s subtree, with monthly amounts and next review dates (R-REV-01)',
    roles: [...CASE_STAFF, ...READERS],
    query: s.rosterQuerySchema,
    responses: { 200: { description: 'a page of households', schema: s.rosterListSchema } },
    handler: async ({ user, query }) => ({ status: 200, body: await service.list(user, query) }),
  });

  routes.add({
    method: 'get',
    path: '/v1/households/{householdId}',
    tag: 'Roster',
    summary: 'A household: members, programme, amount, review class and next review, masked account',
    roles: [...CASE_STAFF, ...READERS],
    params: s.householdIdParams,
    responses: { 200: { description: 'the household', schema: s.householdViewSchema } },
    handler: async ({ user, params }) => ({ status: 200, body: await service.get(user, params.householdId) }),
  });
}
