// Issue 16 API1: the keys of command signatures. The API signs every command it sends a workflow with
// its private key; the workflow verifies with the public keys, baked into the workflow bundle at bundle
// time (a webpack DefinePlugin constant read by workflows/kit/command-signature.ts). Public keys are not
// secret; the private key lives only with the API. Formats (several verify keys for a rotation):
//   ACTOR_SIGNING_KEY (or ACTOR_SIGNING_KEY_FILE), the API:          keyId:base64(32-byte Ed25519 seed)
//   ACTOR_VERIFY_KEYS (or ACTOR_VERIFY_KEYS_FILE), bundle and worker: keyId:base64(32-byte public key)[,…]
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Configuration } from 'webpack';

export interface ActorSigningKey {
  keyId: string;
  privateKey: crypto.KeyObject;
  /** the matching verify-key line */
  verifyKey: string;
}

/** keyId → Ed25519 public key, hex (what the workflow bundle holds) */
export type ActorVerifyRing = Record<string, string>;

/** Where `make start` keeps the development pair (scripts/stack/actor-key.ts). */
export const DEV_ACTOR_KEY_FILES = {
  signing: path.join(__dirname, '..', '..', '.data', 'secrets', 'actor-signing-key'),
  verify: path.join(__dirname, '..', '..', '.data', 'secrets', 'actor-verify-keys'),
};

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): Node imports private keys only in a container
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

function entry(text: string, what: string): [string, Buffer] {
  const at = text.indexOf(':');
  const keyId = text.slice(0, at);
  const bytes = Buffer.from(text.slice(at + 1), 'base64');
  if (at < 1 || !KEY_ID.test(keyId) || bytes.length !== 32) throw new Error(`${what}: expected keyId:base64(32 bytes), got ${JSON.stringify(text.slice(0, 12))}…`);
  return [keyId, bytes];
}

export function parseSigningKey(text: string): ActorSigningKey {
  const [keyId, seed] = entry(text.trim(), 'ACTOR_SIGNING_KEY');
  const privateKey = crypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
  const x = crypto.createPublicKey(privateKey).export({ format: 'jwk' }).x!;
  return { keyId, privateKey, verifyKey: `${keyId}:${Buffer.from(x, 'base64url').toString('base64')}` };
}

export function parseVerifyKeys(text: string): ActorVerifyRing {
  const ring: ActorVerifyRing = {};
  for (const line of text.split(/[,\n]/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) {
    const [keyId, key] = entry(line, 'ACTOR_VERIFY_KEYS');
    ring[keyId] = key.toString('hex');
  }
  if (!Object.keys(ring).length) throw new Error('ACTOR_VERIFY_KEYS: no key');
  return ring;
}

type Env = NodeJS.ProcessEnv;
const set = (e: Env, name: string) => (e[name] ? e[name] : undefined);

/** The raw setting: the variable, its _FILE, or in development the file `make start` wrote. */
export function actorKeySetting(kind: 'signing' | 'verify', e: Env = process.env): string | undefined {
  const name = kind === 'signing' ? 'ACTOR_SIGNING_KEY' : 'ACTOR_VERIFY_KEYS';
  const file = set(e, `${name}_FILE`) ?? (e.JIUZHU_ENV === 'development' && fs.existsSync(DEV_ACTOR_KEY_FILES[kind]) ? DEV_ACTOR_KEY_FILES[kind] : undefined);
  return set(e, name) ?? (file ? fs.readFileSync(file, 'utf8') : undefined);
}

export function actorSigningKeyFromEnv(e: Env = process.env): ActorSigningKey {
  const text = actorKeySetting('signing', e);
  if (!text) throw new Error('no actor signing key: set ACTOR_SIGNING_KEY or ACTOR_SIGNING_KEY_FILE (make start writes one in development)');
  return parseSigningKey(text);
}

export function actorVerifyKeysFromEnv(e: Env = process.env): ActorVerifyRing {
  const text = actorKeySetting('verify', e);
  if (!text) throw new Error('no actor verify keys: set ACTOR_VERIFY_KEYS or ACTOR_VERIFY_KEYS_FILE (make start writes them in development)');
  return parseVerifyKeys(text);
}

/** A new pair: the API's signing key and the line to add to every worker's verify keys. */
export function newActorKeyPair(keyId: string): { signingKey: string; verifyKey: string } {
  const signingKey = `${keyId}:${crypto.randomBytes(32).toString('base64')}`;
  return { signingKey, verifyKey: parseSigningKey(signingKey).verifyKey };
}

/** The bundler option that bakes the verify keys into the workflow code (bundleWorkflowCode / Worker.create). */
export function actorKeysWebpackHook(ring: ActorVerifyRing): (config: Configuration) => Configuration {
  // webpack is the Temporal bundler's own; required here so only bundling processes load it
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DefinePlugin } = require('webpack') as typeof import('webpack');
  return (config) => ({ ...config, plugins: [...(config.plugins ?? []), new DefinePlugin({ __JIUZHU_ACTOR_VERIFY_KEYS__: JSON.stringify(ring) })] });
}
