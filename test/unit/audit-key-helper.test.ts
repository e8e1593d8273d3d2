// R-SUP-05 (issue 11 §4): the development key pair `make start` makes under .data/secrets/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signerFromPem, verifyKeysFromPem } from '../../activities/audit/keys';
import { ensureAuditSigningKey } from '../../scripts/stack/audit-key';

it.each(['ed25519-sha256', 'sm2-sm3'] as const)('R-SUP-05 §4 audit: the %s key is made once, mode 0600 in a 0700 folder, never overwritten, and its public key verifies its signatures', (suite) => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-secrets-')), 'secrets');
  const first = ensureAuditSigningKey(dir, suite);
  const pem = fs.readFileSync(first.signingKeyFile, 'utf8');
  expect(fs.statSync(first.signingKeyFile).mode & 0o777).toBe(0o600);
  expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  expect(ensureAuditSigningKey(dir, suite)).toEqual(first);
  expect(fs.readFileSync(first.signingKeyFile, 'utf8')).toBe(pem);

  const signer = signerFromPem(pem);
  expect(signer.suite).toBe(suite);
  const [verifier] = verifyKeysFromPem(fs.readFileSync(first.verifyKeysFile, 'utf8'));
  expect(verifier.keyId).toBe(signer.keyId);
  expect(verifier.verify('root', signer.sign('root'))).toBe(true);
});
