// Builds the HTTP application from its dependencies, without listening (tests drive it directly).
import express from 'express';
import helmet from 'helmet';
import type { Client } from '@temporalio/client';
import type { Prisma } from '../activities/db';
import { authenticate, deactivatedStaff, type JwtSettings } from './auth';
import { IdempotencyStore } from './idempotency';
import { RateLimits } from './rate-limit';
import type { RateLimitSettings } from '../activities/config';
import { createRegistry, openApiDocument } from './openapi';
import { notFound, problemHandler } from './problems';
import { ApiRoutes } from './route';
import { ApplicationService } from './applications/service';
import { registerApplicationRoutes } from './applications/router';
import { registerAuditRoutes } from './audit/router';
import { registerHealthRoutes } from './health/router';
import { registerSpecialFilingRoutes } from './special-filings/router';
import { registerRosterRoutes } from './roster/router';
import { RosterService } from './roster/service';
import { IMPORT_BODY_LIMIT, importHouseholdSchema } from './roster/schemas';
import { ChangeReportService } from './change-reports/service';
import { registerChangeReportRoutes } from './change-reports/router';
import { AlertService } from './alerts/service';
import { registerAlertRoutes } from './alerts/router';
import { actorSignerFromEnv, type ActorSigner } from './actor-signing';
import { ReviewReadModel } from './reviews/service';
import { registerReviewRoutes } from './reviews/router';
import { DirectPaymentService } from './direct-payments/service';
import { registerDirectPaymentRoutes } from './direct-payments/router';
import { DeathService, DeathStopReadModel } from './deaths/service';
import { registerDeathRoutes } from './deaths/router';
import { deathRecordFiles } from './deaths/files';

export interface AppDependencies {
  prisma: Prisma;
  client: Client;
  taskQueue: string;
  jwt: JwtSettings;
  commandTimeoutMs?: number;
  log?: (line: string) => void;
  /**
   * API4 limits, counted in PostgreSQL. api/server.ts always sets them (activities/config.ts defaults);
   * an app built without them (tests of other behaviour) does not throttle.
   */
  rateLimits?: RateLimitSettings;
  /** stored Idempotency-Key answers expire after this (default 72) */
  idempotencyTtlHours?: number;
  /** Express `trust proxy` (the client address behind a reverse proxy, for per-address limits) */
  trustProxy?: string | false;
  /** API1: signs the commands sent to workflows (default: ACTOR_SIGNING_KEY from the environment) */
  actorSigner?: ActorSigner;
}

export function createApp(deps: AppDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (deps.trustProxy) app.set('trust proxy', deps.trustProxy);
  // issue 21 §5.7: the usual security headers (HSTS, frame and content policies, nosniff, …)
  app.use(helmet());
  // API8: answers carry personal data: no cache may keep them
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
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
  const limits = deps.rateLimits ? new RateLimits(deps.prisma, deps.rateLimits) : undefined;
  if (limits) app.use(limits.perAddress);
  // a roster import carries up to 5,000 households (issue 22 §2.1); every other body stays small (API4)
  const bigJson = express.json({ limit: IMPORT_BODY_LIMIT });
  const json = express.json({ limit: '1mb' });
  app.use((req, res, next) => (req.path === '/v1/roster/import' ? bigJson : json)(req, res, next));
  // issue 23 §3: death records also come as a CSV or XLSX file
  app.use('/v1/death-records', ...deathRecordFiles());

  const registry = createRegistry();
  // an import's rows are checked one by one, not by the route's body schema: named here for the document
  registry.register('ImportHousehold', importHouseholdSchema);
  const router = express.Router();
  const commandTimeoutMs = deps.commandTimeoutMs ?? 20_000;
  // a 'pending' key older than any attempt can run belonged to a process that died: a retry takes it over
  const idempotency = new IdempotencyStore(deps.prisma, { ttlHours: deps.idempotencyTtlHours, abandonedAfterMs: commandTimeoutMs + 15_000 });
  const auth = authenticate(deps.jwt, { log: deps.log, ...limits?.authHooks(), refuse: deactivatedStaff(deps.prisma) });
  const routes = new ApiRoutes(router, registry, auth, idempotency, limits);
  const signer = deps.actorSigner ?? actorSignerFromEnv();
  const applications = new ApplicationService({ prisma: deps.prisma, client: deps.client, taskQueue: deps.taskQueue, commandTimeoutMs, idempotency, limits, signer });
  // issue 22 §1.5: one command path, parameterised by each kind's read model
  const commands = applications.commandPath();
  const reviews = new ReviewReadModel({ prisma: deps.prisma, client: deps.client });
  registerHealthRoutes(routes, deps);
  registerApplicationRoutes(routes, applications);
  registerReviewRoutes(routes, reviews, commands);
  const payments = new DirectPaymentService({ prisma: deps.prisma, client: deps.client, taskQueue: deps.taskQueue, signer, idempotency, applications, path: commands, commandTimeoutMs });
  registerDirectPaymentRoutes(routes, payments, commands);
  const deathStops = new DeathStopReadModel({ prisma: deps.prisma, client: deps.client });
  registerDeathRoutes(routes, new DeathService({ prisma: deps.prisma, client: deps.client, taskQueue: deps.taskQueue, signer, registeredActor: (u) => applications.registeredActor(u), commandTimeoutMs }), deathStops, commands);
  registerAuditRoutes(routes, { prisma: deps.prisma, kinds: [applications.readModel(), reviews, deathStops, payments] });
  registerSpecialFilingRoutes(routes, { prisma: deps.prisma, limits });
  registerRosterRoutes(routes, new RosterService(deps.prisma));
  registerChangeReportRoutes(routes, new ChangeReportService({ prisma: deps.prisma, client: deps.client, taskQueue: deps.taskQueue, signer, applications, commandTimeoutMs }));
  registerAlertRoutes(routes, new AlertService({ prisma: deps.prisma, client: deps.client, taskQueue: deps.taskQueue, signer }));

  const document = openApiDocument(registry);
  app.get('/openapi.json', (_req, res) => res.json(document));
  app.use(router);
  app.use((req, _res, next) => next(notFound(`no endpoint ${req.method} ${req.path}`)));
  app.use(routes.undecodableParams);
  app.use(problemHandler);
  return app;
}
