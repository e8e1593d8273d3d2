// Issue 16 "National cryptography", R-SUP-05: the sm2-sm3 suite. SM3 against the standard's example;
// SM2 signatures (with the Z value of GB/T 32918.2, default ID 1234567812345678) cross-checked with
// the openssl CLI, an independent implementation, in both directions.
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sm3 } from 'sm-crypto';
import { signerFromPem, verifyKeyFromPem } from '../../activities/audit/keys';
import { sm2PrivateFromPem, sm2Sign, sm2Verify } from '../../activities/audit/sm2';
import { hashHex } from '../../activities/audit/suite';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-sm2-'));
const keyPem = crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const keyFile = path.join(dir, 'key.pem');
const pubFile = path.join(dir, 'pub.pem');
const msgFile = path.join(dir, 'msg');
const sigFile = path.join(dir, 'sig.der');
const message = '{"keyId":"0123456789abcdef","root":"救助","suite":"sm2-sm3","v":1}';
fs.writeFileSync(keyFile, keyPem);
fs.writeFileSync(msgFile, message);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const DIST_ID = 'distid:1234567812345678';

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('issue 16 R-SUP-05: SM3 gives the GB/T 32905 example digest of "abc", the same in Node and sm-crypto', () => {
  const abc = '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0';
  expect(hashHex('sm3', 'abc')).toBe(abc);
  expect(sm3('abc')).toBe(abc);
  expect(hashHex('sm3', message)).toBe(sm3(message));
});

it('issue 16 R-SUP-05: an SM2 signature made here verifies with openssl (GB/T 32918 with Z), and openssl’s verifies here', () => {
  const signer = signerFromPem(keyPem);
  expect(signer.suite).toBe('sm2-sm3');
  // the public key we derive is the one openssl derives
  fs.writeFileSync(pubFile, openssl('pkey', '-in', keyFile, '-pubout'));
  const verifier = verifyKeyFromPem(fs.readFileSync(pubFile, 'utf8'));
  expect(verifier.keyId).toBe(signer.keyId);

  fs.writeFileSync(sigFile, Buffer.from(signer.sign(message), 'base64'));
  expect(openssl('dgst', '-sm3', '-verify', pubFile, '-sigopt', DIST_ID, '-signature', sigFile, msgFile)).toMatch(/Verified OK/);
  // and with another ID openssl refuses it: the Z value is really in the signature
  expect(() => openssl('dgst', '-sm3', '-verify', pubFile, '-sigopt', 'distid:another-id', '-signature', sigFile, msgFile)).toThrow();

  openssl('dgst', '-sm3', '-sign', keyFile, '-sigopt', DIST_ID, '-out', sigFile, msgFile);
  expect(verifier.verify(message, fs.readFileSync(sigFile).toString('base64'))).toBe(true);
  expect(verifier.verify(message + ' ', fs.readFileSync(sigFile).toString('base64'))).toBe(false);
});

it('issue 16: Node’s own crypto.sign with an SM2-curve key is not a GB/T 32918 signature (why the suite uses sm-crypto)', () => {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' });
  const key = sm2PrivateFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const nodeSig = crypto.sign('sm3', Buffer.from(message), privateKey).toString('base64');
  expect(sm2Verify(key.pub, message, nodeSig)).toBe(false);
  expect(sm2Verify(key.pub, message, sm2Sign(key, message))).toBe(true);
});
