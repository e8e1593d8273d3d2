// R-SUP-05: the cryptography of the audit trail, by suite. `ed25519-sha256` is the default;
// `sm2-sm3` (national algorithms, GB/T 32918 / GB/T 32905) is the alternative a 密评 may expect.
// Every anchor records its suite and key id, so anchors made before a switch still verify.
import crypto from 'node:crypto';

export type SuiteName = 'ed25519-sha256' | 'sm2-sm3';
export type HashAlg = 'sha256' | 'sm3';

export const SUITES: Record<SuiteName, { hash: HashAlg }> = {
  'ed25519-sha256': { hash: 'sha256' },
  'sm2-sm3': { hash: 'sm3' },
};

export function isSuite(s: string): s is SuiteName {
  return Object.hasOwn(SUITES, s);
}

export function suiteFromEnv(value = process.env.AUDIT_CRYPTO_SUITE): SuiteName {
  const s = value || 'ed25519-sha256';
  if (!isSuite(s)) throw new Error(`AUDIT_CRYPTO_SUITE=${s}: use one of ${Object.keys(SUITES).join(', ')}`);
  return s;
}

export function hashHex(alg: HashAlg, ...parts: (string | Buffer)[]): string {
  const h = crypto.createHash(alg);
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** A short, stable key id: the first 16 hex digits of SHA-256 over the public key (SPKI DER). */
export function keyIdOf(publicKey: crypto.KeyObject): string {
  return hashHex('sha256', publicKey.export({ type: 'spki', format: 'der' })).slice(0, 16);
}

export function suiteOfKey(key: crypto.KeyObject): SuiteName {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519-sha256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'SM2') return 'sm2-sm3';
  throw new Error(`unsupported audit key type ${key.asymmetricKeyType} ${key.asymmetricKeyDetails?.namedCurve ?? ''}`);
}

export function signMessage(suite: SuiteName, privateKey: crypto.KeyObject, message: string): string {
  if (suite === 'ed25519-sha256') return crypto.sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64');
  return crypto.sign('sm3', Buffer.from(message, 'utf8'), privateKey).toString('base64');
}

export function verifyMessage(suite: SuiteName, publicKey: crypto.KeyObject, message: string, signature: string): boolean {
  try {
    const sig = Buffer.from(signature, 'base64');
    if (suite === 'ed25519-sha256') return crypto.verify(null, Buffer.from(message, 'utf8'), publicKey, sig);
    return crypto.verify('sm3', Buffer.from(message, 'utf8'), publicKey, sig);
  } catch {
    return false;
  }
}
