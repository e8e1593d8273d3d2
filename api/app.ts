// Builds the HTTP application from its dependencies, without listening (tests drive it directly).
import express from 'express';
import type { Client } from '@temporalio/client';
import type { Prisma } from '../activities/db';
import { authenticate, type JwtSettings } from './auth';
import { IdempotencyStore } from './idempotency';
import { createRegistry, openApiDocument } from './openapi';
import { notFound, problemHandler } from './problems';
import { ApiRoutes } from './route';
import { ApplicationService } from './applications/service';
import { registerApplicationRoutes } from './applications/router';
import { registerAuditRoutes } from './audit/router';
import { registerHealthRoutes } from './health/router';

export interface AppDependencies {
  prisma: Prisma;
  client: Client;
  taskQueue: string;
  jwt: JwtSettings;
  commandTimeoutMs?: number;
  log?: (line: string) => void;
}

export function createApp(deps: AppDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (deps.log) {
    const log = deps.log;
    // method, path, status, time and who: never bodies (they carry ID numbers)
    app.use((req, res, next) => {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        log(`${req.method} ${req.path} ${res.statusCode} ${ms.toFixed(0)}ms ${res.locals.user?.sub ?? '-'}`);
      });
      next();
    });
  }
  app.use(express.json({ limit: '1mb' }));

  const registry = createRegistry();
  const router = express.Router();
  const routes = new ApiRoutes(router, registry, authenticate(deps.jwt), new IdempotencyStore(deps.prisma));
  const applications = new ApplicationService({ prisma: deps.prisma, client: deps.client, taskQueue: deps.taskQueue, commandTimeoutMs: deps.commandTimeoutMs });
  registerHealthRoutes(routes, deps);
  registerApplicationRoutes(routes, applications);
  registerAuditRoutes(routes, { prisma: deps.prisma, applications });

  const document = openApiDocument(registry);
  app.get('/openapi.json', (_req, res) => res.json(document));
  app.use(router);
  app.use((req, _res, next) => next(notFound(`no endpoint ${req.method} ${req.path}`)));
  app.use(problemHandler);
  return app;
}
