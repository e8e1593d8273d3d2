// A sandbox of the verification agency (protocol in protocol.ts) for development and tests: the same
// HTTP contract, with findings taken from fixtures and completion after a configurable latency.
import crypto from 'node:crypto';
import fs from 'node:fs';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { bearerAuth, hashBody, listenSandbox, readStateFile, writeStateFile, type RunningSandbox } from '../http/sandbox-server';
import { maskIdNumber } from '../../workflows/rules/id-number';
import type { SubjectFindings, VerificationReport, VerificationSubject } from '../../workflows/rules/types';
import {
  emptyFindings,
  fixtureBodySchema,
  idNumberSchema,
  sandboxConfigSchema,
  submitCheckBodySchema,
  verificationReportSchema,
  type CheckPurpose,
  type CheckResponse,
  type Fixture,
} from './protocol';

export interface SandboxAgencyOptions {
  apiKey: string;
  latencyMs?: number;
  /** JSON file that keeps checks and fixtures across restarts: workflows keep polling old checks. */
  stateFile?: string;
  /** Seed fixtures (sandbox-fixtures.json); fixtures saved in stateFile override them. */
  fixturesFile?: string;
  /** One line per request, ID numbers masked. */
  log?: (line: string) => void;
}

interface StoredCheck {
  checkId: string;
  idempotencyKey: string;
  /** sha256 of the validated body, so a replayed key is compared with what it first meant */
  bodyHash: string;
  reference: string;
  purpose: CheckPurpose;
  subjects: VerificationSubject[];
  submittedAt: string;
  /** fixed at submission: a later config change does not move checks already in flight */
  dueAt: string;
  report?: VerificationReport;
}

const storedCheckSchema = z.object({
  checkId: z.string(),
  idempotencyKey: z.string(),
  bodyHash: z.string(),
  reference: z.string(),
  purpose: submitCheckBodySchema.shape.purpose,
  subjects: submitCheckBodySchema.shape.subjects,
  submittedAt: z.string(),
  dueAt: z.string(),
  report: verificationReportSchema.optional(),
}) satisfies z.ZodType<StoredCheck>;
const stateFileSchema = z.object({ checks: z.array(storedCheckSchema), fixtures: z.record(z.string(), fixtureBodySchema) });
const seedFileSchema = z.object({
  people: z.array(z.object({ idNumber: idNumberSchema, note: z.string().optional(), findings: fixtureBodySchema })),
});

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors?: { path: string; message: string }[],
  ) {
    super(detail);
  }
}

export function createSandboxAgencyApp(opts: SandboxAgencyOptions) {
  const checks = new Map<string, StoredCheck>();
  const byKey = new Map<string, StoredCheck>();
  const fixtures = new Map<string, Fixture>();
  let latencyMs = opts.latencyMs ?? 2000;
  let failNextRequests = 0;

  if (opts.fixturesFile) {
    const seed = seedFileSchema.parse(JSON.parse(fs.readFileSync(opts.fixturesFile, 'utf8')));
    for (const p of seed.people) fixtures.set(p.idNumber, p.findings);
  }
  // A corrupt state file stops start-up: silently forgetting checks would 404 every workflow polling them.
  const state = readStateFile(opts.stateFile, stateFileSchema);
  if (state) {
    for (const c of state.checks) {
      checks.set(c.checkId, c);
      byKey.set(c.idempotencyKey, c);
    }
    for (const [id, f] of Object.entries(state.fixtures)) fixtures.set(id, f);
  }

  function persist(): void {
    writeStateFile(opts.stateFile, { checks: [...checks.values()], fixtures: Object.fromEntries(fixtures) });
  }

  function findingsOf(subject: VerificationSubject): SubjectFindings {
    return { ...emptyFindings(subject.idNumber, subject.role), ...fixtures.get(subject.idNumber) };
  }

  /** Completion is computed when someone looks, so the sandbox needs no timers and survives restarts. */
  function view(check: StoredCheck): CheckResponse {
    const { checkId, submittedAt } = check;
    if (!check.report && Date.now() >= Date.parse(check.dueAt)) {
      // Frozen on first sight: a report must not change under a workflow that already read it.
      check.report = { checkId, completedAt: check.dueAt, subjects: check.subjects.map(findingsOf) };
      persist();
    }
    if (!check.report) return { checkId, status: 'pending', submittedAt };
    return { checkId, status: 'completed', submittedAt, completedAt: check.report.completedAt, report: check.report };
  }

  const app = express();
  app.disable('x-powered-by');
  if (opts.log) app.use(requestLogger(opts.log));
  app.use(bearerAuth(opts.apiKey, () => new HttpProblem(401, 'Unauthorized', 'missing or wrong API key')));
  app.use(express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] }));

  app.use('/v1', (_req, res, next) => {
    if (failNextRequests > 0) {
      failNextRequests--;
      res.setHeader('Retry-After', '1');
      throw new HttpProblem(503, 'Service Unavailable', 'sandbox: failure injected by failNextRequests');
    }
    next();
  });

  app.post('/v1/checks', (req, res) => {
    const key = req.get('Idempotency-Key')?.trim();
    if (!key || key.length > 255) throw new HttpProblem(400, 'Bad Request', 'Idempotency-Key header is required (1..255 characters)');
    const body = submitCheckBodySchema.parse(req.body);
    const bodyHash = hashBody(body);

    const previous = byKey.get(key);
    if (previous) {
      if (previous.bodyHash !== bodyHash) {
        throw new HttpProblem(422, 'Unprocessable Content', 'Idempotency-Key was already used with a different request body');
      }
      res.status(200).json(submitted(previous));
      return;
    }
    const now = Date.now();
    const check: StoredCheck = {
      checkId: `chk_${crypto.randomUUID()}`,
      idempotencyKey: key,
      bodyHash,
      ...body,
      submittedAt: new Date(now).toISOString(),
      dueAt: new Date(now + latencyMs).toISOString(),
    };
    checks.set(check.checkId, check);
    byKey.set(key, check);
    persist();
    res.status(202).json(submitted(check));
  });

  app.get('/v1/checks/:checkId', (req, res) => {
    const check = checks.get(req.params.checkId);
    if (!check) throw new HttpProblem(404, 'Not Found', 'no such check');
    res.json(view(check));
  });

  app.put('/sandbox/people/:idNumber', (req, res) => {
    const idNumber = idNumberSchema.parse(req.params.idNumber);
    fixtures.set(idNumber, fixtureBodySchema.parse(req.body));
    persist();
    // Answer with the whole record the agency will now report, so a caller sees what the defaults filled in.
    const { role: _role, ...findings } = emptyFindings(idNumber, 'member');
    res.json({ ...findings, ...fixtures.get(idNumber) });
  });

  app.delete('/sandbox/people', (_req, res) => {
    fixtures.clear();
    persist();
    res.status(204).end();
  });

  app.put('/sandbox/config', (req, res) => {
    const config = sandboxConfigSchema.parse(req.body);
    latencyMs = config.latencyMs ?? latencyMs;
    failNextRequests = config.failNextRequests ?? failNextRequests;
    res.json({ latencyMs, failNextRequests });
  });

  app.get('/sandbox/checks', (_req, res) => {
    const list = [...checks.values()].map((c) => ({
      ...view(c),
      idempotencyKey: c.idempotencyKey,
      reference: c.reference,
      purpose: c.purpose,
      subjectCount: c.subjects.length,
      report: undefined,
    }));
    res.json({ checks: list });
  });

  app.use((_req: Request, _res: Response) => {
    throw new HttpProblem(404, 'Not Found', 'no such endpoint');
  });
  app.use(problemHandler);

  return { app, checkCount: () => checks.size };
}

export async function startSandboxAgency(
  opts: SandboxAgencyOptions & { port: number; host?: string },
): Promise<RunningSandbox> {
  return listenSandbox(createSandboxAgencyApp(opts).app, opts);
}

function submitted(check: StoredCheck) {
  return { checkId: check.checkId, status: 'pending' as const, submittedAt: check.submittedAt };
}

function requestLogger(log: (line: string) => void) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = Date.now();
    res.on('finish', () => {
      const url = req.originalUrl.replace(/\d{17}[\dXx]/g, (id) => maskIdNumber(id));
      log(`${new Date(started).toISOString()} ${req.method} ${url} ${res.statusCode} ${Date.now() - started}ms`);
    });
    next();
  };
}

function problemHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  let problem: HttpProblem;
  if (err instanceof HttpProblem) problem = err;
  else if (err instanceof z.ZodError) {
    const errors = err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    problem = new HttpProblem(400, 'Bad Request', 'the request failed validation', errors);
  } else if (isHttpError(err)) {
    // body-parser: malformed JSON (400), body too large (413), unsupported charset (415)
    problem = new HttpProblem(err.status, err.status === 413 ? 'Content Too Large' : 'Bad Request', err.message);
  } else {
    console.error('sandbox agency: unexpected error', err);
    problem = new HttpProblem(500, 'Internal Server Error', 'unexpected error');
  }
  const { status, title, detail, errors } = problem;
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title, status, detail, ...(errors ? { errors } : {}) }));
}

function isHttpError(err: unknown): err is { status: number; message: string } {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
