// Every address, port and secret comes from the environment, with defaults for the embedded stack
// that `make start` runs. Production sets these to a Temporal cluster and an external PostgreSQL.
// Outside development (JIUZHU_ENV=development; anything else is production) no secret has a default:
// assertDeployable() refuses to start without them (issue 16, API2). README "Deploying" lists them.
import fs from 'node:fs';
import path from 'node:path';
import { actorKeySetting, parseSigningKey, parseVerifyKeys } from './crypto/actor-keys';

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  /** mTLS for a Temporal cluster: paths to PEM files; absent for the local dev server */
  tls?: { serverRootCaPath?: string; clientCertPath?: string; clientKeyPath?: string; serverName?: string };
  apiKey?: string;
}

export interface JwtConfig {
  /** HS256 secret (≥ 32 bytes) */
  secret?: string;
  /** RS256/ES256 public key (PEM) for tokens issued by the province's identity service */
  publicKey?: string;
  issuer?: string;
  audience: string;
  /** the longest a token may live: exp − iat (or exp − now), in seconds */
  maxLifetimeSec: number;
}

/** points per duration, per key (user or address) */
export interface Limit {
  points: number;
  durationSec: number;
}

export interface RateLimitSettings {
  /** every authenticated request, per user */
  user: Limit;
  /** every request, per client address */
  address: Limit;
  /** POST /v1/applications, per user and per address */
  intake: Limit;
  /** failed authentications, per address: beyond this the address gets 429 until the window ends */
  authFailures: Limit;
  /** GET /v1/audit/verify, per user */
  verify: Limit;
  /** intakes refused as duplicates (they reveal whether an ID number is known), per user */
  duplicateRefusals: Limit;
  /** special-filing register exported as a file (CSV/XLSX, the whole period), per user (issue 21 §5.6) */
  export: Limit;
}

export interface Settings {
  development: boolean;
  databaseUrl: string;
  temporal: TemporalSettings;
  host: string;
  port: number;
  /** how long the API waits for a workflow to answer a command before 503 */
  commandTimeoutMs: number;
  /** on SIGTERM: how long in-flight requests may still run */
  shutdownGraceMs: number;
  /** stored Idempotency-Key answers are dropped after this */
  idempotencyTtlHours: number;
  /** Express `trust proxy`: set when a reverse proxy sets X-Forwarded-For (rate limits per address) */
  trustProxy: string | false;
  jwt: JwtConfig;
  agency: { url: string; apiKey?: string };
  /** R-PAY-01: the agent bank (BANK_URL, BANK_API_KEY) */
  bank: { url: string; apiKey?: string };
  rateLimits: RateLimitSettings;
  /** issue 16 API1: the API's command signing key and the workers' verify keys, as set (activities/crypto/actor-keys.ts) */
  actorKeys: { signing?: string; verify?: string };
}

export const DEFAULT_DATABASE_URL = 'postgresql://postgres:postgres@127.0.0.1:55432/jiuzhu';
/** Where `make start` keeps the per-install secrets (scripts/stack/jwt-secret.ts writes them). */
export const SECRETS_DIR = path.join(__dirname, '..', '.data', 'secrets');
export const JWT_SECRET_FILE = path.join(SECRETS_DIR, 'jwt-secret');
export const MIN_SECRET_BYTES = 32;
const DEV_AGENCY_KEY = 'sandbox-key';
/** the sandbox bank's own key (scripts/sandbox-bank.ts), development only */
export const DEV_BANK_KEY = 'sandbox-bank-key';
/** Secrets that were ever written in this repository (git history keeps them): never accepted. */
export const PUBLIC_SECRETS = ['jiuzhu-development-secret-change-me', 'test-secret', DEV_AGENCY_KEY, DEV_BANK_KEY, 'e2e-key', 'test-key', 'e2e-bank-key', 'test-bank-key']; // the sandbox agency's own default (scripts/sandbox-agency.ts), development only

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  user: { points: 600, durationSec: 60 },
  address: { points: 1200, durationSec: 60 },
  intake: { points: 30, durationSec: 60 },
  authFailures: { points: 20, durationSec: 900 },
  verify: { points: 6, durationSec: 3600 },
  duplicateRefusals: { points: 30, durationSec: 3600 },
  export: { points: 10, durationSec: 3600 },
};

export class SettingsError extends Error {}

type Env = NodeJS.ProcessEnv;

export const isDevelopment = (e: Env = process.env) => e.JIUZHU_ENV === 'development';

/** '12h', '30m', '3600' (seconds) or '90s' → seconds */
export function parseDuration(value: string, name: string): number {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(value.trim());
  if (!m) throw new SettingsError(`${name}: a duration such as 12h, 30m or 3600 (seconds), not ${JSON.stringify(value)}`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[(m[2] ?? 's') as 's'];
}

export function loadSettings(e: Env = process.env): Settings {
  const env = (name: string): string | undefined => (e[name] === '' ? undefined : e[name]);
  const num = (name: string, fallback: number): number => {
    const v = env(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new SettingsError(`${name}: a non-negative number, not ${JSON.stringify(v)}`);
    return n;
  };
  const limit = (name: string, fallback: Limit): Limit => ({ points: num(name, fallback.points), durationSec: fallback.durationSec });
  const development = isDevelopment(e);
  const tlsCa = env('TEMPORAL_TLS_CA');
  const tlsCert = env('TEMPORAL_TLS_CERT');
  const tlsKey = env('TEMPORAL_TLS_KEY');
  const tlsOn = env('TEMPORAL_TLS') === '1' || Boolean(tlsCa || tlsCert);
  const publicKeyPath = env('JWT_PUBLIC_KEY_FILE');
  const publicKey = publicKeyPath ? fs.readFileSync(publicKeyPath, 'utf8') : env('JWT_PUBLIC_KEY');
  // JWT_SECRET_FILE (a mounted secret), or in development the per-install secret `make start` generated
  const secretFile = env('JWT_SECRET_FILE') ?? (development ? JWT_SECRET_FILE : undefined);
  const fileSecret = !publicKey && secretFile && fs.existsSync(secretFile) ? fs.readFileSync(secretFile, 'utf8').trim() : undefined;
  return {
    development,
    databaseUrl: env('DATABASE_URL') ?? DEFAULT_DATABASE_URL,
    temporal: {
      address: env('TEMPORAL_ADDRESS') ?? '127.0.0.1:7233',
      namespace: env('TEMPORAL_NAMESPACE') ?? 'default',
      taskQueue: env('TEMPORAL_TASK_QUEUE') ?? 'jiuzhu',
      tls: tlsOn
        ? { serverRootCaPath: tlsCa, clientCertPath: tlsCert, clientKeyPath: tlsKey, serverName: env('TEMPORAL_TLS_SERVER_NAME') }
        : undefined,
      apiKey: env('TEMPORAL_API_KEY'),
    },
    host: env('HOST') ?? '127.0.0.1',
    port: num('PORT', 3000),
    commandTimeoutMs: num('API_COMMAND_TIMEOUT_MS', 20_000),
    shutdownGraceMs: num('API_SHUTDOWN_GRACE_MS', 25_000),
    idempotencyTtlHours: num('IDEMPOTENCY_TTL_HOURS', 72),
    trustProxy: env('TRUST_PROXY') ?? false,
    jwt: {
      secret: publicKey ? undefined : (env('JWT_SECRET') ?? fileSecret),
      publicKey,
      issuer: env('JWT_ISSUER'),
      audience: env('JWT_AUDIENCE') ?? 'jiuzhu',
      maxLifetimeSec: parseDuration(env('JWT_MAX_LIFETIME') ?? '12h', 'JWT_MAX_LIFETIME'),
    },
    agency: {
      url: env('VERIFICATION_AGENCY_URL') ?? 'http://127.0.0.1:4010',
      apiKey: env('VERIFICATION_AGENCY_API_KEY') ?? (development ? DEV_AGENCY_KEY : undefined),
    },
    bank: {
      url: env('BANK_URL') ?? 'http://127.0.0.1:4020',
      apiKey: env('BANK_API_KEY') ?? (development ? DEV_BANK_KEY : undefined),
    },
    rateLimits: {
      user: limit('RATE_LIMIT_USER_PER_MIN', DEFAULT_RATE_LIMITS.user),
      address: limit('RATE_LIMIT_ADDRESS_PER_MIN', DEFAULT_RATE_LIMITS.address),
      intake: limit('RATE_LIMIT_INTAKE_PER_MIN', DEFAULT_RATE_LIMITS.intake),
      authFailures: limit('RATE_LIMIT_AUTH_FAILURES_PER_15MIN', DEFAULT_RATE_LIMITS.authFailures),
      verify: limit('RATE_LIMIT_VERIFY_PER_HOUR', DEFAULT_RATE_LIMITS.verify),
      duplicateRefusals: limit('RATE_LIMIT_DUPLICATE_REFUSALS_PER_HOUR', DEFAULT_RATE_LIMITS.duplicateRefusals),
      export: limit('RATE_LIMIT_EXPORT_PER_HOUR', DEFAULT_RATE_LIMITS.export),
    },
    actorKeys: { signing: actorKeySetting('signing', e), verify: actorKeySetting('verify', e) },
  };
}

/**
 * What a process needs before it may start: the API and `npm run token` the JWT key, the worker both; the
 * API the actor signing key, the worker (when it bundles the workflows) the actor verify keys.
 */
export type Need = 'jwt' | 'agency' | 'bank' | 'actor-signing' | 'actor-verify';

/**
 * Refuses (throws SettingsError, listing every gap) rather than start with a guessable or missing secret.
 * The JWT rule holds in development too: there the secret comes from `make start`'s per-install file.
 */
export function assertDeployable(s: Settings, needs: Need[]): void {
  const problems: string[] = [];
  if (needs.includes('jwt')) {
    if (!s.jwt.publicKey && !s.jwt.secret) {
      problems.push(
        s.development
          ? 'no JWT key: run `make start` once (it writes .data/secrets/jwt-secret) or set JWT_SECRET'
          : `set JWT_SECRET or JWT_SECRET_FILE (at least ${MIN_SECRET_BYTES} bytes), or JWT_PUBLIC_KEY / JWT_PUBLIC_KEY_FILE`,
      );
    } else if (s.jwt.secret && Buffer.byteLength(s.jwt.secret) < MIN_SECRET_BYTES) {
      problems.push(`JWT_SECRET is shorter than ${MIN_SECRET_BYTES} bytes (openssl rand -hex 32 makes one)`);
    } else if (s.jwt.secret && PUBLIC_SECRETS.includes(s.jwt.secret)) {
      problems.push('JWT_SECRET is a secret published in the jiuzhu repository');
    }
    if (s.jwt.maxLifetimeSec <= 0) problems.push('JWT_MAX_LIFETIME must be positive');
  }
  // an external system's key (never the sandbox's outside development) and an https address unless local
  const system = (need: Need, prefix: string, issuer: string, what: string, o: { url: string; apiKey?: string }) => {
    if (!needs.includes(need)) return;
    if (!o.apiKey) problems.push(`set ${prefix}_API_KEY (the key ${issuer} issued to this county)`);
    else if (!s.development && PUBLIC_SECRETS.includes(o.apiKey)) problems.push(`${prefix}_API_KEY is the sandbox key (published in the repository)`);
    let url: URL | undefined;
    try {
      url = new URL(o.url);
    } catch {
      problems.push(`${prefix}_URL is not a URL: ${o.url}`);
    }
    if (url && url.protocol !== 'https:' && !isLoopback(url.hostname)) {
      problems.push(`${prefix}_URL must be https:// (${what} travel on it) unless it is on this machine: ${url.origin}`);
    }
  };
  system('agency', 'VERIFICATION_AGENCY', 'the verification agency', 'ID numbers and incomes', s.agency);
  system('bank', 'BANK', 'the agent bank', 'account numbers and amounts', s.bank);
  // issue 16 API1: in development too, as the JWT key: `make start` writes the pair under .data/secrets/
  const actorKey = (need: 'actor-signing' | 'actor-verify', name: string, text: string | undefined, parse: (t: string) => unknown) => {
    if (!needs.includes(need)) return;
    if (!text) return void problems.push(`set ${name} or ${name}_FILE (npm run actor-key makes a pair${s.development ? '; make start writes one in development' : ''})`);
    try {
      parse(text);
    } catch (err) {
      problems.push((err as Error).message);
    }
  };
  actorKey('actor-signing', 'ACTOR_SIGNING_KEY', s.actorKeys.signing, parseSigningKey);
  actorKey('actor-verify', 'ACTOR_VERIFY_KEYS', s.actorKeys.verify, parseVerifyKeys);
  if (problems.length) {
    throw new SettingsError(`refusing to start (${s.development ? 'development' : 'production: JIUZHU_ENV is not "development"'}):\n  - ${problems.join('\n  - ')}`);
  }
}

export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** loadSettings + assertDeployable for an entry point: prints the refusal and exits 2. */
export function settingsOrExit(needs: Need[], e: Env = process.env): Settings {
  try {
    const s = loadSettings(e);
    assertDeployable(s, needs);
    return s;
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}
