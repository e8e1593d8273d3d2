// R-SUP-05: the anchoring keys come from the environment, never from the database.
//   AUDIT_SIGNING_KEY (PKCS8 PEM) or AUDIT_SIGNING_KEY_FILE: the worker signs anchors with it.
//   AUDIT_VERIFY_KEYS (one or more SPKI PEM blocks) or AUDIT_VERIFY_KEYS_FILE: the public keys that
//   verification accepts (old keys stay listed after a rotation); the signing key's own public key
//   is always accepted.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { keyIdOf, suiteFromEnv, suiteOfKey, type SuiteName } from './suite';

export interface AuditSigner {
  suite: SuiteName;
  keyId: string;
  privateKey: crypto.KeyObject;
}

export interface VerifyKey {
  keyId: string;
  suite: SuiteName;
  publicKey: crypto.KeyObject;
}

const env = (name: string): string | undefined => (process.env[name] ? process.env[name] : undefined);

export function signerFromPem(pem: string | Buffer): AuditSigner {
  const privateKey = crypto.createPrivateKey(pem);
  return { suite: suiteOfKey(privateKey), keyId: keyIdOf(crypto.createPublicKey(privateKey)), privateKey };
}

/** The signing key, or undefined when none is configured. Its type must match AUDIT_CRYPTO_SUITE. */
export function loadAuditSigner(): AuditSigner | undefined {
  const file = env('AUDIT_SIGNING_KEY_FILE');
  const pem = file ? fs.readFileSync(file) : env('AUDIT_SIGNING_KEY');
  if (!pem) return undefined;
  const signer = signerFromPem(pem);
  const wanted = suiteFromEnv();
  if (signer.suite !== wanted) throw new Error(`AUDIT_CRYPTO_SUITE is ${wanted} but the audit signing key is a ${signer.suite} key`);
  return signer;
}

export function verifyKeysFromPem(text: string): VerifyKey[] {
  const blocks = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
  return blocks.map((b) => {
    const publicKey = crypto.createPublicKey(b);
    return { keyId: keyIdOf(publicKey), suite: suiteOfKey(publicKey), publicKey };
  });
}

export function verifyKeyOf(signer: AuditSigner): VerifyKey {
  const publicKey = crypto.createPublicKey(signer.privateKey);
  return { keyId: signer.keyId, suite: signer.suite, publicKey };
}

/** Every public key verification accepts, by key id. */
export function loadVerifyKeys(): Map<string, VerifyKey> {
  const file = env('AUDIT_VERIFY_KEYS_FILE');
  const text = [file ? fs.readFileSync(file, 'utf8') : '', env('AUDIT_VERIFY_KEYS') ?? ''].join('\n');
  const keys = verifyKeysFromPem(text);
  const signer = loadAuditSigner();
  if (signer) keys.push(verifyKeyOf(signer));
  return new Map(keys.map((k) => [k.keyId, k]));
}
