// The codec server (issue 11 §3): lets the Temporal Web UI show the decrypted payloads of a case to an
// operator who holds the payload keys, while Temporal itself only ever stores ciphertext. The UI's
// browser posts `{ payloads: [...] }` (Temporal's JSON form) to /decode (and /encode when the operator
// sends a signal or starts a workflow from the UI), naming the namespace in X-Namespace.
// It binds 127.0.0.1 only, and answers only callers with a bearer token of the API's (the same JWT
// settings and checks, api/auth.ts) whose role may read across cases (scripts/codec-access.ts); each call
// is written to the audit trail (issue 21 §5.4). The Web UI forwards the signed-in user's access token
// (README "The codec server").
//   CODEC_SERVER_PORT   (8888)
//   CODEC_CORS_ORIGINS  the Web UI's origins (http://127.0.0.1:8233,http://localhost:8233)
//   CODEC_NAMESPACES    namespaces it decodes for (TEMPORAL_NAMESPACE, else default)
//   and the key settings of activities/crypto/key-ring.ts (PAYLOAD_KEYS[_FILE], PAYLOAD_KEY_ID, PAYLOAD_CRYPTO_SUITE),
//   the JWT settings of the API (JWT_SECRET[_FILE] or JWT_PUBLIC_KEY[_FILE], JWT_ISSUER, JWT_AUDIENCE) and
//   DATABASE_URL (the audit trail and the staff register)
import type { Server } from 'node:http';
import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import type { PayloadCodec } from '@temporalio/common';
import { payloadCodecFromEnv } from '../activities/crypto/data-converter';
import { payloadFromJson, payloadToJson, PayloadJsonError } from '../activities/crypto/payload-json';
import { authenticate, deactivatedStaff, requireRole, type JwtSettings, type User } from '../api/auth';
import { HttpProblem } from '../api/problems';
import { settingsOrExit } from '../activities/config';
import { createPrisma } from '../activities/db';
import { CODEC_ROLES, codecAuditTrail, type CodecUse } from './codec-access';

export const DEFAULT_UI_ORIGINS = ['http://127.0.0.1:8233', 'http://localhost:8233'];
const MAX_PAYLOADS = 10_000;

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** browser origins allowed to call (the Web UI's) */
  origins?: string[];
  /** namespaces it answers for */
  namespaces?: string[];
  log?: (line: string) => void;
  /** the API's token verification; `refuse`: e.g. a member deactivated in the staff register */
  auth: { jwt: JwtSettings; refuse?: (user: User) => Promise<string | undefined> };
  /** written before the answer leaves: a call that cannot be audited is not answered */
  audit: (use: CodecUse) => Promise<void>;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function createCodecApp(o: CodecServerOptions): express.Express {
  const origins = new Set(o.origins ?? DEFAULT_UI_ORIGINS);
  const namespaces = new Set(o.namespaces ?? ['default']);
  const log = o.log ?? ((l: string) => console.log(l));
  const app = express();
  app.disable('x-powered-by');

  // CORS for the Web UI: its origin only. A request from any other page is refused outright, so a
  // website open in the operator's browser cannot have payloads decrypted.
  const cors: RequestHandler = (req, res, next) => {
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin)) {
      log(`refused ${req.method} ${req.path} from origin ${origin}`);
      res.status(403).json({ title: 'origin not allowed', detail: `set CODEC_CORS_ORIGINS to include ${origin}` });
      return;
    }
    if (origin) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true'); // the UI may be set to include credentials
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'content-type, x-namespace, authorization');
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
  app.use(cors);
  // after CORS (a preflight carries no token), before the body is read
  app.use(authenticate(o.auth.jwt, { log, refuse: o.auth.refuse }), requireRole(...CODEC_ROLES));
  app.use(express.json({ limit: '16mb' }));

  const namespaceOf = (req: Request): string => {
    const ns = req.header('x-namespace') ?? 'default';
    if (!namespaces.has(ns)) throw new Refusal(403, `namespace ${ns} is not served here (CODEC_NAMESPACES)`);
    return ns;
  };

  const route = (op: 'encode' | 'decode'): RequestHandler =>
    async (req, res) => {
      const user = res.locals.user;
      const ns = namespaceOf(req);
      const body = req.body as { payloads?: unknown } | undefined;
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Refusal(400, 'the body must be { "payloads": [ … ] }');
      // proto3 JSON leaves an empty list out: the CLI sends {} for "no payloads" and expects {} back
      const raw = body.payloads ?? [];
      if (!Array.isArray(raw)) throw new Refusal(400, 'the body must be { "payloads": [ … ] }');
      if (raw.length > MAX_PAYLOADS) throw new Refusal(413, `at most ${MAX_PAYLOADS} payloads per request`);
      const payloads = raw.map((p, i) => payloadFromJson(p, `payloads[${i}]`));
      const out = await o.codec[op](payloads);
      await o.audit({ user, op, namespace: ns, payloads: payloads.length });
      // what was asked and how much, never what the payloads hold
      log(`${op} ${payloads.length} payload(s) for namespace ${ns} by ${user.sub}`);
      res.json({ payloads: out.map(payloadToJson) });
    };
  app.post('/decode', route('decode'));
  app.post('/encode', route('encode'));

  const errors: ErrorRequestHandler = (err, req, res, _next) => {
    const e = err as Error & { status?: number; type?: string };
    if (e instanceof Refusal) res.status(e.status).json({ title: 'refused', detail: e.message });
    else if (e instanceof HttpProblem) res.status(e.status).set(e.headers).type('application/problem+json').send(JSON.stringify(e.toJSON()));
    else if (e instanceof PayloadJsonError || e.type === 'entity.parse.failed') res.status(400).json({ title: 'bad request', detail: e.message });
    else if (e.type === 'entity.too.large') res.status(413).json({ title: 'too large', detail: e.message });
    else {
      // a tampered payload or a key this server lacks: say so (the operator must know), loudly
      log(`cannot ${req.path.slice(1)}: ${e.message}`);
      res.status(422).json({ title: 'cannot decode', detail: e.message });
    }
  };
  app.use(errors);
  return app;
}

const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export async function startCodecServer(o: CodecServerOptions & { port: number }): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const app = createCodecApp(o);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(o.port, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function main(): Promise<void> {
  const env = process.env;
  const port = Number(env.CODEC_SERVER_PORT || 8888);
  const origins = list(env.CODEC_CORS_ORIGINS);
  const namespaces = list(env.CODEC_NAMESPACES);
  // it shows histories, acting on nothing: plaintext payloads in them (the core's patch markers, what a client
  // without the codec sent) are shown as they are; the workers and the API refuse them (issue 22 §1.3)
  const codec = payloadCodecFromEnv(env, 'pass');
  // the API's JWT key and database: it verifies the same tokens and writes to the same audit trail
  const settings = settingsOrExit(['jwt'], env);
  const prisma = createPrisma(settings.databaseUrl);
  const s = await startCodecServer({
    codec,
    port,
    auth: { jwt: settings.jwt, refuse: deactivatedStaff(prisma) },
    audit: codecAuditTrail(prisma),
    origins: origins.length ? origins : DEFAULT_UI_ORIGINS,
    namespaces: namespaces.length ? namespaces : [env.TEMPORAL_NAMESPACE || 'default'],
  });
  console.log(`codec server on ${s.url} (encrypts with ${codec.suite}; Web UI origins ${(origins.length ? origins : DEFAULT_UI_ORIGINS).join(', ')})`);
  const stop = () => void s.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
