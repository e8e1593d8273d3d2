// What each process of `make start` gets in its environment: every secret only where it is used
// (issue 21 §5.1, §5.3). The JWT secret goes to the API and the codec server (they verify tokens),
// never to the worker (a host that holds it could mint any role's token); the audit signing key to the
// worker only; the anchor file to both the worker (it writes it) and the API (its verification compares
// the table with it); the actor signing key to the API, its verify keys to the worker.
export type Env = Record<string, string | undefined>;

export interface StackSecrets {
  /** set when no JWT key is configured in the environment: the per-install secret */
  jwtSecret?: string;
  auditSigningKeyFile?: string;
  auditVerifyKeysFile?: string;
  actorSigningKeyFile?: string;
  actorVerifyKeysFile?: string;
  anchorFile: string;
}

const defined = (e: Env): Env => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined));

export function childEnvironments(shared: Env, s: StackSecrets): { worker: Env; api: Env; codec: Env } {
  const jwt = defined({ JWT_SECRET: s.jwtSecret });
  return {
    // undefined, not left out: startChild merges over its own environment, and spawn drops undefined values
    worker: { ...shared, ...defined({ AUDIT_SIGNING_KEY_FILE: s.auditSigningKeyFile, ACTOR_VERIFY_KEYS_FILE: s.actorVerifyKeysFile }), AUDIT_ANCHOR_FILE: s.anchorFile, JWT_SECRET: undefined, JWT_SECRET_FILE: undefined },
    api: { ...shared, ...jwt, ...defined({ AUDIT_VERIFY_KEYS_FILE: s.auditVerifyKeysFile, ACTOR_SIGNING_KEY_FILE: s.actorSigningKeyFile }), AUDIT_ANCHOR_FILE: s.anchorFile },
    codec: { ...shared, ...jwt },
  };
}
