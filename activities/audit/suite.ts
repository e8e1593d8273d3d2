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
export function keyIdOf(spkiDer: Buffer): string {
  return hashHex('sha256', spkiDer).slice(0, 16);
}
