// Development only: the audit anchoring key pair under .data/secrets/ (R-SUP-05), made once and kept.
// The private key (mode 0600) goes to the worker as AUDIT_SIGNING_KEY_FILE, the public key to the API
// as AUDIT_VERIFY_KEYS_FILE. Production keeps the private key off the database host (see README).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { signerFromPem } from '../../activities/audit/keys';

export interface AuditKeyFiles {
  signingKeyFile: string;
  verifyKeysFile: string;
}

export function ensureAuditSigningKey(secretsDir: string, suite = process.env.AUDIT_CRYPTO_SUITE || 'ed25519-sha256'): AuditKeyFiles {
  const name = suite === 'sm2-sm3' ? 'audit-signing-sm2' : 'audit-signing-ed25519';
  const signingKeyFile = path.join(secretsDir, `${name}.pem`);
  const verifyKeysFile = path.join(secretsDir, `${name}.pub.pem`);
  fs.mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  if (!fs.existsSync(signingKeyFile)) {
    const { privateKey } = suite === 'sm2-sm3' ? crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' }) : crypto.generateKeyPairSync('ed25519');
    // 'wx': never overwrite a key that anchors were signed with
    fs.writeFileSync(signingKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  }
  fs.chmodSync(signingKeyFile, 0o600);
  // parsed by our own reader: Node cannot re-import an SM2 PEM (activities/audit/sm2.ts)
  fs.writeFileSync(verifyKeysFile, signerFromPem(fs.readFileSync(signingKeyFile)).publicKeyPem);
  return { signingKeyFile, verifyKeysFile };
}
