// Issue 16 API1: the keys of command signatures. The API signs every command it sends a workflow with
// its private key; the workflow verifies with the public keys, baked into the workflow bundle at bundle
// time (a webpack DefinePlugin constant read by workflows/kit/command-signature.ts). Public keys are not
// secret; the private key lives only with the API. Formats (several verify keys for a rotation):
//   ACTOR_SIGNING_KEY (or ACTOR_SIGNING_KEY_FILE), the API:          keyId:base64(32-byte Ed25519 seed)
//   ACTOR_VERIFY_KEYS (or ACTOR_VERIFY_KEYS_FILE), bundle and worker: keyId:base64(32-byte public key)[,…]
// or, for a 密评 deployment, SM2 (GB/T 32918, with SM3): keyId:sm2:base64(32-byte private key) and
// keyId:sm2:base64(65-byte public point 04‖x‖y).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sm2 } from 'sm-crypto';
import type { Configuration } from 'webpack';
import type { SignatureSuite, VerifyKey } from '../../workflows/kit/command-statement';

export interface ActorSigningKey {
  keyId: string;
  suite: SignatureSuite;
  /** hex signature over the UTF-8 message */
  sign(message: string): string;
  /** the matching verify-key line */
  verifyKey: string;
}

/** keyId → public key (what the workflow bundle holds) */
export type ActorVerifyRing = Record<string, VerifyKey>;

/** Where `make start` keeps the development pair (scripts/stack/actor-key.ts). */
export const DEV_ACTOR_KEY_FILES = {
  signing: path.join(__dirname, '..', '..', '.data', 'secrets', 'actor-signing-key'),
  verify: path.join(__dirname, '..', '..', '.data', 'secrets', 'actor-verify-keys'),
};

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): Node imports private keys only in a container
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

function entry(text: string, what: string, publicKey: boolean): [string, SignatureSuite, Buffer] {
  const m = /^([^:]*):(?:(sm2):)?(.*)$/.exec(text);
  const keyId = m?.[1] ?? '';
  const suite: SignatureSuite = m?.[2] === 'sm2' ? 'sm2' : 'ed25519';
  const bytes = Buffer.from(m?.[3] ?? '', 'base64');
  const size = suite === 'sm2' && publicKey ? 65 : 32;
  if (!KEY_ID.test(keyId) || bytes.length !== size) throw new Error(`${what}: expected keyId:base64(32 bytes) or keyId:sm2:base64(…), got ${JSON.stringify(text.slice(0, 12))}…`);
  return [keyId, suite, bytes];
}

export function parseSigningKey(text: string): ActorSigningKey {
  const [keyId, suite, secret] = entry(text.trim(), 'ACTOR_SIGNING_KEY', false);
  if (suite === 'sm2') {
    const d = secret.toString('hex');
    const pub = sm2.getPublicKeyFromPrivateKey(d);
    // Z over the default ID (hash: true), r ‖ s: what workflows/kit/sm2-verify.ts checks
    return { keyId, suite, sign: (m) => sm2.doSignature(m, d, { hash: true, publicKey: pub }), verifyKey: `${keyId}:sm2:${Buffer.from(pub, 'hex').toString('base64')}` };
  }
  const privateKey = crypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, secret]), format: 'der', type: 'pkcs8' });
  const x = crypto.createPublicKey(privateKey).export({ format: 'jwk' }).x!;
  return {
    keyId,
    suite,
    sign: (m) => crypto.sign(null, Buffer.from(m, 'utf8'), privateKey).toString('hex'),
    verifyKey: `${keyId}:${Buffer.from(x, 'base64url').toString('base64')}`,
  };
}

export function parseVerifyKeys(text: string): ActorVerifyRing {
  const ring: ActorVerifyRing = {};
  for (const line of text.split(/[,\n]/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) {
    const [keyId, suite, key] = entry(line, 'ACTOR_VERIFY_KEYS', true);
    ring[keyId] = { suite, key: key.toString('hex') };
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
export function newActorKeyPair(keyId: string, suite: SignatureSuite = 'ed25519'): { signingKey: string; verifyKey: string } {
  // an SM2 private key is below the group order: sm-crypto draws it
  const secret = suite === 'sm2' ? Buffer.from(sm2.generateKeyPairHex().privateKey.padStart(64, '0'), 'hex') : crypto.randomBytes(32);
  const signingKey = `${keyId}:${suite === 'sm2' ? 'sm2:' : ''}${secret.toString('base64')}`;
  return { signingKey, verifyKey: parseSigningKey(signingKey).verifyKey };
}

/** The bundler option that bakes the verify keys into the workflow code (bundleWorkflowCode / Worker.create). */
export function actorKeysWebpackHook(ring: ActorVerifyRing): (config: Configuration) => Configuration {
  // webpack is the Temporal bundler's own; required here so only bundling processes load it
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DefinePlugin } = require('webpack') as typeof import('webpack');
  return (config) => ({ ...config, plugins: [...(config.plugins ?? []), new DefinePlugin({ __JIUZHU_ACTOR_VERIFY_KEYS__: JSON.stringify(ring) })] });
}
