// Routes of "Deaths" in API.md: death records in (JSON, text/csv, XLSX), the death stops' list and page, and
// the county caseworker's confirmation of a larger household's amount.
import type { ApiRoutes } from '../route';
import { CASE_STAFF, READERS } from '../roles';
import * as dm from '../../workflows/death-stop/messages';
import type { CommandPath } from '../kind-commands';
import type { DeathService, DeathStopReadModel } from './service';
import * as s from './schemas';
import { confirmAmount, retry } from '../../workflows/death-stop/payloads';
import { XLSX_TYPE } from './files';

export function registerDeathRoutes(routes: ApiRoutes, deaths: DeathService, stops: DeathStopReadModel, path: CommandPath): void {
  routes.add({
    method: 'post',
    path: '/v1/death-records',
    tag: 'Deaths',
    summary: 'Death records (殡葬/公安/民政 data, R-DTH-01): each matched recipient gets one death stop, however many sources report the death',
    description: 'Also `text/csv` or XLSX with the columns idNumber,name,dateOfDeath and `?source=`. Bad rows are in `rejected` with their index and fields; people not on the roster (or outside the caller’s subtree) in `unmatched`; a re-post starts nothing new. County caseworkers post, and system partners (role `partner`: civil registry, funeral home, police), whose records match only inside their token’s jurisdiction and who may not post `report`.',
    roles: ['county_caseworker', 'partner'],
    body: s.deathRecordsBody,
    bodyFiles: { 'text/csv': 'UTF-8 (BOM allowed), header idNumber,name,dateOfDeath; the source in ?source=', [XLSX_TYPE]: 'the first sheet, the same columns; the source in ?source=' },
    command: true,
    responses: { 200: { description: 'received, matched (with the death stop’s workflow id), unmatched, rejected', schema: s.deathRecordsAnswer } },
    handler: async ({ user, body }) => ({ status: 200, body: await deaths.receive(user, body) }),
  });

  routes.add({
    method: 'get',
    path: '/v1/death-stops',
    tag: 'Deaths',
    summary: 'Death stops in the caller’s jurisdiction, by step and due date (R-DTH-02)',
    roles: [...CASE_STAFF, ...READERS],
    query: s.deathStopListQuery,
    responses: { 200: { description: 'a page of death stops', schema: s.deathStopListSchema } },
    handler: async ({ user, query }) => ({ status: 200, body: await stops.list(user, query) }),
  });

  routes.add({
    method: 'get',
    path: '/v1/death-stops/{workflowId}',
    tag: 'Deaths',
    summary: 'A death stop: state, payments held, recovery due, deadline (date of death + deathReviewMonths), timeline',
    roles: [...CASE_STAFF, ...READERS],
    params: s.deathStopParams,
    responses: { 200: { description: 'the death stop', schema: s.deathStopViewSchema } },
    handler: async ({ user, params }) => ({ status: 200, body: await stops.get(user, params.workflowId) }),
  });

  routes.add({
    method: 'post',
    path: '/v1/death-stops/{workflowId}/confirmation',
    tag: 'Deaths',
    summary: 'A county caseworker confirms the remaining members’ amount the accounting gives (R-DTH-02/03, R-APP-05)',
    roles: ['county_caseworker'],
    params: s.deathStopParams,
    body: confirmAmount.body,
    command: true,
    authorize: async ({ user, params }) => void (await stops.visible(user, params.workflowId)),
    responses: { 200: { description: 'the death stop after the confirmation', schema: s.deathStopViewSchema } },
    handler: async ({ user, params, body, req, resumed }) => ({ status: 200, body: await path.send(stops, user, params.workflowId, dm.confirmAmountUpdate, body, { idempotencyKey: req.get('idempotency-key'), resumed }) }),
  });

  routes.add({
    method: 'post',
    path: '/v1/death-stops/{workflowId}/verification-retry',
    tag: 'Deaths',
    summary: 'A new verification attempt after the agency refused the check three times or left it unanswered',
    roles: ['county_caseworker'],
    params: s.deathStopParams,
    body: retry.body,
    command: true,
    authorize: async ({ user, params }) => void (await stops.visible(user, params.workflowId)),
    responses: { 200: { description: 'the death stop', schema: s.deathStopViewSchema } },
    handler: async ({ user, params, body, req, resumed }) => ({ status: 200, body: await path.send(stops, user, params.workflowId, dm.deathStopRetryVerificationUpdate, body, { idempotencyKey: req.get('idempotency-key'), resumed }) }),
  });
}
