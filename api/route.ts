// One declaration per endpoint: its zod schemas validate the request AND describe it in /openapi.json,
// its roles guard it, and commands get Idempotency-Key handling. Handlers receive parsed values only.
import type { ErrorRequestHandler, Request, RequestHandler, Response, Router } from 'express';
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { requireRole, type User } from './auth';
import { IdempotencyStore, requestHash } from './idempotency';
import { badRequest, fieldErrors, fromWorkflowFailure, HttpProblem, stillProcessing, unprocessable } from './problems';
import type { RateLimits } from './rate-limit';
import { problemSchema } from './openapi';
import type { Role } from './roles';
import type { FieldError } from '../workflows/kit/errors';

type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** a file (a CSV or XLSX export): sent as it is, with this content type, instead of JSON */
  file?: { type: string; data: Buffer | string };
}

export interface RouteSpec<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI style: /v1/applications/{caseId} */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** omitted: anyone authenticated; 'public': no token needed */
  roles?: Role[] | 'public';
  params?: P;
  query?: Q;
  body?: B;
  /** other media types the body may come as, converted to the JSON body before the route (e.g. text/csv), for the document */
  bodyFiles?: Record<string, string>;
  /** a command: Idempotency-Key applies */
  command?: boolean;
  /** R-PAY-09: a command that would start something new each time (a payment) takes no request without a key */
  idempotencyKeyRequired?: boolean;
  /** a stricter rate limit for this endpoint (API4) */
  rateLimit?: 'intake' | 'verify';
  /**
   * The checks of the caller's right to this resource that the handler would make (e.g. the case is in
   * their subtree): run before any Idempotency-Key replay, so a replay never outlives the caller's rights.
   */
  authorize?: (ctx: { params: z.infer<P>; query: z.infer<Q>; body: z.infer<B>; user: User }) => Promise<void>;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  /** `resumed`: a command repeated under an Idempotency-Key whose earlier attempt did not finish */
  handler: (ctx: { params: z.infer<P>; query: z.infer<Q>; body: z.infer<B>; user: User; req: Request; res: Response; resumed?: boolean }) => Promise<Reply>;
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'invalid input: every offending field is listed in `errors`',
  401: 'no or invalid token',
  403: 'the role or jurisdiction does not allow this',
  404: 'unknown, or outside the caller’s jurisdiction',
  409: 'not allowed in the current step (the step is in `detail`), conflicts with existing records, or still being processed (type …/in-progress, with Retry-After)',
  422: 'breaks a rule, or an Idempotency-Key replayed with another body',
  429: 'too many requests: repeat after Retry-After',
  503: 'a dependency did not answer in time; repeat with the same Idempotency-Key',
};

export class ApiRoutes {
  /** every declared path, as a pattern over the raw (still percent-encoded) URL path, with its parameters' names */
  private readonly templates: { pattern: RegExp; names: string[] }[] = [];

  constructor(
    private readonly router: Router,
    private readonly registry: OpenAPIRegistry,
    private readonly authenticate: RequestHandler,
    private readonly idempotency: IdempotencyStore,
    private readonly limits?: RateLimits,
  ) {}

  add<P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject, B extends z.ZodType = z.ZodUnknown>(spec: RouteSpec<P, Q, B>): void {
    this.register(spec);
    const expressPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
    const names = [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const pattern = spec.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '([^/]+)');
    if (names.length) this.templates.push({ pattern: new RegExp(`^${pattern}/?$`), names });
    const guards: RequestHandler[] = [];
    if (spec.roles !== 'public') guards.push(this.authenticate);
    if (spec.roles !== 'public' && this.limits) guards.push(this.limits.perUser);
    if (Array.isArray(spec.roles)) guards.push(requireRole(...spec.roles));
    if (spec.rateLimit && this.limits) guards.push(this.limits.strict(spec.rateLimit));
    this.router[spec.method](expressPath, ...guards, async (req, res) => {
      const parsed = this.parse(spec, req);
      const user = res.locals.user;
      const key = spec.command ? req.get('idempotency-key') : undefined;
      const ctx = { ...parsed, user, req, res };
      if (key !== undefined && (key.length === 0 || key.length > 255 || !/^[\x21-\x7E]+$/.test(key))) {
        throw badRequest('Idempotency-Key must be 1 to 255 visible ASCII characters', [{ path: 'header.Idempotency-Key', message: '1 to 255 visible ASCII characters' }]);
      }
      // the caller's current rights first: a replay is never a way around them (API1)
      if (spec.authorize) await spec.authorize(ctx);
      if (!key) return send(res, await spec.handler(ctx));

      const hash = requestHash(req.method, req.path, parsed.body);
      const started = await this.idempotency.begin(user.sub, key, hash);
      if (started.kind === 'mismatch') throw unprocessable('this Idempotency-Key was used before with a different request body');
      if (started.kind === 'in_progress') throw stillProcessing(started.retryAfterSec);
      if (started.kind === 'replay') {
        res.set('Idempotent-Replayed', 'true');
        return send(res, { status: started.status, body: started.body });
      }
      let reply: Reply;
      try {
        reply = await spec.handler({ ...ctx, resumed: started.resumed === true });
      } catch (err) {
        const problem = err instanceof HttpProblem ? err : fromWorkflowFailure(err);
        if (problem && problem.status < 500 && problem.status !== 429 && !problem.headers['Retry-After']) {
          // a final refusal is the answer to this request: replay it too (one that may pass is not)
          await this.idempotency.finish(user.sub, key, problem.status, problem.toJSON());
        } else {
          await this.idempotency.abandon(user.sub, key);
        }
        throw problem ?? err;
      }
      await this.idempotency.finish(user.sub, key, reply.status, reply.body);
      send(res, reply);
    });
  }

  /**
   * API8: a path parameter that is not valid percent-encoded UTF-8 (a lone surrogate, a cut sequence) fails
   * in Express's router before any route runs, as a bare 400 naming nothing: name the parameter here.
   */
  readonly undecodableParams: ErrorRequestHandler = (err, req, _res, next) => {
    if (!(err instanceof URIError)) return next(err);
    const errors: FieldError[] = [];
    for (const t of this.templates) {
      const m = t.pattern.exec(req.path);
      if (!m) continue;
      t.names.forEach((name, i) => {
        if (!decodes(m[i + 1]) && !errors.some((e) => e.path === `path.${name}`)) errors.push({ path: `path.${name}`, message: 'is not valid percent-encoded UTF-8' });
      });
    }
    next(errors.length ? badRequest(`${errors.length} invalid field(s)`, errors) : err);
  };

  /** All of path, query and body are checked, and every bad field reported at once. */
  private parse<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(spec: RouteSpec<P, Q, B>, req: Request) {
    if (spec.body && req.body === undefined && !req.is('application/json')) {
      throw badRequest('send the body as application/json', [{ path: 'header.Content-Type', message: 'must be application/json' }]);
    }
    const errors: FieldError[] = [];
    let overLimit = true;
    const check = <S extends z.ZodType>(schema: S | undefined, value: unknown, prefix: string) => {
      if (!schema) return undefined;
      const r = schema.safeParse(value);
      if (!r.success) {
        errors.push(...fieldErrors(r.error, prefix));
        overLimit &&= r.error.issues.every((i) => i.code === 'too_big');
      }
      return r.data;
    };
    const params = check(spec.params, req.params, 'path.');
    const query = check(spec.query, req.query, 'query.');
    const body = check(spec.body, req.body ?? {}, '');
    if (spec.command && spec.idempotencyKeyRequired && req.get('idempotency-key') === undefined) {
      errors.push({ path: 'header.Idempotency-Key', message: 'required: a repeated request (a double click, a retry) must not pay twice' });
      overLimit = false;
    }
    // API4: well-formed but over a limit (too long a text, too many items, too big an investigation) is
    // bad input like any other (API.md: 400), marked with the rule so a client can tell it from a typo
    if (errors.length && overLimit) throw badRequest(`${errors.length} field(s) over their limit`, errors, { rule: 'API4' });
    if (errors.length) throw badRequest(`${errors.length} invalid field(s)`, errors);
    return { params: params as z.infer<P>, query: query as z.infer<Q>, body: body as z.infer<B> };
  }

  private register<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(spec: RouteSpec<P, Q, B>): void {
    const responses: RouteConfig['responses'] = {};
    for (const [status, r] of Object.entries(spec.responses)) {
      responses[status] = { description: r.description, ...(r.schema ? { content: { 'application/json': { schema: r.schema } } } : {}) };
    }
    const possible = [400, ...(spec.roles === 'public' ? [] : [401, 403]), ...(spec.path.includes('{') ? [404] : []), ...(spec.command ? [409, 422, 503] : []), 429];
    for (const status of possible) {
      responses[status] ??= { description: ERROR_DESCRIPTIONS[status], content: { 'application/problem+json': { schema: problemSchema } } };
    }
    this.registry.registerPath({
      method: spec.method,
      path: spec.path,
      summary: spec.summary,
      description: [spec.description, Array.isArray(spec.roles) ? `Roles: ${spec.roles.join(', ')}.` : ''].filter(Boolean).join('\n\n'),
      tags: [spec.tag],
      security: spec.roles === 'public' ? [] : [{ bearerAuth: [] }],
      request: {
        params: spec.params,
        query: spec.query,
        headers: spec.command ? z.object({ 'Idempotency-Key': spec.idempotencyKeyRequired ? z.string().min(1).max(255) : z.string().max(255).optional() }) : undefined,
        body: spec.body ? { content: { 'application/json': { schema: spec.body }, ...Object.fromEntries(Object.entries(spec.bodyFiles ?? {}).map(([type, description]) => [type, { schema: { type: 'string', format: 'binary', description } }])) }, required: true } : undefined,
      },
      responses,
    });
  }
}

function decodes(raw: string): boolean {
  try {
    decodeURIComponent(raw);
    return true;
  } catch {
    return false;
  }
}

function send(res: Response, reply: Reply): void {
  if (reply.headers) res.set(reply.headers);
  if (reply.file) return void res.status(reply.status).type(reply.file.type).send(reply.file.data);
  // a replayed refusal keeps its problem+json type
  res.status(reply.status).type(reply.status >= 400 ? 'application/problem+json' : 'application/json').send(JSON.stringify(reply.body));
}
