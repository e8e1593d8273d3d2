// Development only (`make start`): the per-install actor signing pair (issue 16 API1) under .data/secrets/,
// made once and kept: the private key (0600) goes to the API as ACTOR_SIGNING_KEY_FILE, the public key to
// the worker (which bakes it into the workflow bundle) as ACTOR_VERIFY_KEYS_FILE. Outside development the
// operator supplies both (README "Deploying") and nothing is generated.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { newActorKeyPair, parseSigningKey } from '../../activities/crypto/actor-keys';

export function ensureActorSigningKey(secretsDir: string): { signingKeyFile: string; verifyKeysFile: string } {
  const signingKeyFile = path.join(secretsDir, 'actor-signing-key');
  const verifyKeysFile = path.join(secretsDir, 'actor-verify-keys');
  fs.mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  if (!fs.existsSync(signingKeyFile)) {
    const pair = newActorKeyPair(`dev-${crypto.randomBytes(3).toString('hex')}`);
    // 'wx': never overwrite the key a running workflow bundle trusts
    fs.writeFileSync(signingKeyFile, `${pair.signingKey}\n`, { mode: 0o600, flag: 'wx' });
  }
  fs.chmodSync(signingKeyFile, 0o600);
  // derived every time, so the public file always matches the private one
  fs.writeFileSync(verifyKeysFile, `${parseSigningKey(fs.readFileSync(signingKeyFile, 'utf8')).verifyKey}\n`);
  return { signingKeyFile, verifyKeysFile };
}
