// R-REV-05: POST /v1/alerts (partner agencies' alerts, posted by the agency itself or by the county).
import type { ApiRoutes } from '../route';
import type { AlertService } from './service';
import * as s from './schemas';

export function registerAlertRoutes(routes: ApiRoutes, service: AlertService): void {
  routes.add({
    method: 'post',
    path: '/v1/alerts',
    tag: 'Reviews',
    summary: 'Partner alerts (car purchase, air travel, large consumption) by ID number: each recipient’s household gets a verification review (R-REV-05)',
    description: 'Unknown people are listed in `unknown`, malformed records in `rejected` with their index and fields; a re-post opens nothing new (`alreadyOpen`). A system partner’s alerts reach only recipients inside its token’s jurisdiction.',
    // R-REV-05: the partner agencies post their own alerts; a county caseworker posts them on their behalf
    roles: ['county_caseworker', 'partner'],
    body: s.alertsBody,
    command: true,
    responses: { 200: { description: 'what was opened, who is unknown, which records were refused', schema: s.alertsAnswerSchema } },
    handler: async ({ user, body }) => ({ status: 200, body: await service.receive(user, body) }),
  });
}
