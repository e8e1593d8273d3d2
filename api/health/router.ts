// GET /healthz: is the API able to reach Temporal and PostgreSQL?
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Prisma } from '../../activities/db';
import type { ApiRoutes } from '../route';

const healthSchema = z
  .object({ status: z.enum(['ok', 'degraded']), temporal: z.enum(['ok', 'down']), database: z.enum(['ok', 'down']) })
  .openapi('Health');

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

export function registerHealthRoutes(routes: ApiRoutes, deps: { prisma: Prisma; client: Client }): void {
  routes.add({
    method: 'get',
    path: '/healthz',
    tag: 'Health',
    summary: 'Dependencies reachable',
    roles: 'public',
    responses: { 200: { description: 'all dependencies answer', schema: healthSchema }, 503: { description: 'a dependency is down', schema: healthSchema } },
    handler: async () => {
      const [temporal, database] = await Promise.all([
        within(deps.client.connection.workflowService.getSystemInfo({}), 3_000).then(() => 'ok' as const, () => 'down' as const),
        within(deps.prisma.$queryRaw`SELECT 1 AS ok`, 3_000).then(() => 'ok' as const, () => 'down' as const),
      ]);
      const ok = temporal === 'ok' && database === 'ok';
      return { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'degraded', temporal, database } };
    },
  });
}
