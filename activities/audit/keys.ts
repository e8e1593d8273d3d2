// R-SUP-05: the anchoring keys come from the environment, never from the database.
//   AUDIT_SIGNING_KEY (PKCS8 PEM) or AUDIT_SIGNING_KEY_FILE: the worker signs anchors with it; an
//   Ed25519 key for the ed25519-sha256 suite, an SM2 key for sm2-sm3 (AUDIT_CRYPTO_SUITE says which).
//   AUDIT_VERIFY_KEYS (one or more SPKI PEM blocks) or AUDIT_VERIFY_KEYS_FILE: the public keys that
//   verification accepts (old keys stay listed after a rotation or a suite switch); the signing
//   key's own public key is always accepted.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { isSm2Pem, sm2PrivateFromPem, sm2PublicFromPem, sm2PublicPem, sm2Sign, sm2SpkiDer, sm2Verify } from './sm2';
import { keyIdOf, suiteFromEnv, type SuiteName } from './suite';

export interface AuditSigner {
  suite: SuiteName;
  keyId: string;
  publicKeyPem: string;
  /** base64 signature over the UTF-8 message */
  sign(message: string): string;
}

export interface VerifyKey {
  suite: SuiteName;
  keyId: string;
  publicKeyPem: string;
  verify(message: string, signature: string): boolean;
}

const env = (name: string): string | undefined => (process.env[name] ? process.env[name] : undefined);

export function signerFromPem(pem: string | Buffer): AuditSigner {
  const text = pem.toString();
  if (isSm2Pem(text)) {
    const key = sm2PrivateFromPem(text);
    return { suite: 'sm2-sm3', keyId: keyIdOf(sm2SpkiDer(key.pub)), publicKeyPem: sm2PublicPem(key.pub), sign: (m) => sm2Sign(key, m) };
  }
  const privateKey = crypto.createPrivateKey(text);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`the audit signing key must be Ed25519 or SM2, not ${privateKey.asymmetricKeyType}`);
  const publicKey = crypto.createPublicKey(privateKey);
  return {
    suite: 'ed25519-sha256',
    keyId: keyIdOf(publicKey.export({ type: 'spki', format: 'der' })),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (m) => crypto.sign(null, Buffer.from(m, 'utf8'), privateKey).toString('base64'),
  };
}

export function verifyKeyFromPem(pem: string): VerifyKey {
  if (isSm2Pem(pem)) {
    const pub = sm2PublicFromPem(pem);
    return { suite: 'sm2-sm3', keyId: keyIdOf(sm2SpkiDer(pub)), publicKeyPem: sm2PublicPem(pub), verify: (m, sig) => sm2Verify(pub, m, sig) };
  }
  const publicKey = crypto.createPublicKey(pem);
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error(`an audit verification key must be Ed25519 or SM2, not ${publicKey.asymmetricKeyType}`);
  return {
    suite: 'ed25519-sha256',
    keyId: keyIdOf(publicKey.export({ type: 'spki', format: 'der' })),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    verify: (m, sig) => {
      try {
        return crypto.verify(null, Buffer.from(m, 'utf8'), publicKey, Buffer.from(sig, 'base64'));
      } catch {
        return false;
      }
    },
  };
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
  return (text.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? []).map(verifyKeyFromPem);
}

export function verifyKeyOf(signer: AuditSigner): VerifyKey {
  return verifyKeyFromPem(signer.publicKeyPem);
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
