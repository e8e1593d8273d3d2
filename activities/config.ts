// Every address, port and secret comes from the environment, with defaults for the embedded stack
// that `make start` runs. Production sets these to a Temporal cluster and an external PostgreSQL.
import fs from 'node:fs';

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  /** mTLS for a Temporal cluster: paths to PEM files; absent for the local dev server */
  tls?: { serverRootCaPath?: string; clientCertPath?: string; clientKeyPath?: string; serverName?: string };
  apiKey?: string;
}

export interface Settings {
  databaseUrl: string;
  temporal: TemporalSettings;
  port: number;
  /** how long the API waits for a workflow to answer a command before 503 */
  commandTimeoutMs: number;
  /** HS256 secret, or an RS256/ES256 public key (PEM) for tokens issued by the province's identity service */
  jwt: { secret?: string; publicKey?: string; issuer?: string };
  agency: { url: string; apiKey: string };
}

export const DEFAULT_DATABASE_URL = 'postgresql://postgres:postgres@127.0.0.1:55432/jiuzhu';
export const DEFAULT_JWT_SECRET = 'jiuzhu-development-secret-change-me';

const env = (name: string): string | undefined => (process.env[name] === '' ? undefined : process.env[name]);

export function loadSettings(): Settings {
  const tlsCa = env('TEMPORAL_TLS_CA');
  const tlsCert = env('TEMPORAL_TLS_CERT');
  const tlsKey = env('TEMPORAL_TLS_KEY');
  const tlsOn = env('TEMPORAL_TLS') === '1' || Boolean(tlsCa || tlsCert);
  const publicKeyPath = env('JWT_PUBLIC_KEY_FILE');
  return {
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
    port: Number(env('PORT') ?? 3000),
    commandTimeoutMs: Number(env('API_COMMAND_TIMEOUT_MS') ?? 20_000),
    jwt: {
      secret: publicKeyPath || env('JWT_PUBLIC_KEY') ? undefined : (env('JWT_SECRET') ?? DEFAULT_JWT_SECRET),
      publicKey: publicKeyPath ? fs.readFileSync(publicKeyPath, 'utf8') : env('JWT_PUBLIC_KEY'),
      issuer: env('JWT_ISSUER'),
    },
    agency: {
      url: env('VERIFICATION_AGENCY_URL') ?? 'http://127.0.0.1:4010',
      apiKey: env('VERIFICATION_AGENCY_API_KEY') ?? 'sandbox-key',
    },
  };
}
