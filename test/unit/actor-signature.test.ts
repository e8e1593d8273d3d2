// Issue 16 API1: the pieces of command signatures, without Temporal: the workflow's Ed25519 verifier
// (pure JavaScript, run in the sandbox) against RFC 8032's test vectors, the statement the API signs and
// the workflow rebuilds, the key formats and the refusal to start without keys.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ActorSigner } from '../../api/actor-signing';
import { newActorKeyPair, parseSigningKey, parseVerifyKeys } from '../../activities/crypto/actor-keys';
import { assertDeployable, loadSettings, SettingsError } from '../../activities/config';
import { canonicalJson } from '../../workflows/kit/canonical-json';
import { sm2 } from 'sm-crypto';
import { verifyEd25519, verifySignature } from '../../workflows/kit/command-signature';
import { sm3, verifySm2 } from '../../workflows/kit/sm2-verify';
import { commandStatement, withoutAuth } from '../../workflows/kit/command-statement';
import { startStatement } from '../../workflows/kit/start-statement';
import { signedWorkflowId } from '../../workflows/kit/start-signature';
import { signStart } from '../../activities/crypto/start-signing';
import { ensureActorSigningKey } from '../../scripts/stack/actor-key';

// RFC 8032 §7.1, TEST 1 (empty message) and TEST 2 (one byte 0x72, "r")
const RFC8032 = [
  {
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: 'r',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

const flip = (hex: string, at: number) => hex.slice(0, at) + ((parseInt(hex[at], 16) ^ 1).toString(16)) + hex.slice(at + 1);
const target = { workflowId: 'application-140599-00aa', update: 'withdrawal', updateId: 'u-1' };
const input = { actor: { id: 'zhangmin', name: '张敏', role: 'township_caseworker', jurisdiction: '140599100' }, reason: '申请人自愿撤回' };

describe('API1 (issue 16): command signatures', () => {
  it('API1: the workflow\'s Ed25519 verifier accepts RFC 8032 test vectors 1 and 2 and refuses them with one bit changed in the signature, the message or the key', () => {
    for (const v of RFC8032) {
      expect(verifyEd25519(v.publicKey, v.message, v.signature)).toBe(true);
      expect(verifyEd25519(v.publicKey, v.message, flip(v.signature, 10))).toBe(false);
      expect(verifyEd25519(v.publicKey, `${v.message}x`, v.signature)).toBe(false);
      expect(verifyEd25519(flip(v.publicKey, 5), v.message, v.signature)).toBe(false);
    }
    expect(verifyEd25519(RFC8032[0].publicKey, '', 'not hex')).toBe(false);
    expect(verifyEd25519('00', '', RFC8032[0].signature)).toBe(false);
  });

  it('API1: canonical JSON ignores key order and leaves out undefined members, as JSON.stringify does', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, undefined, 'x'], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[1,null,"x"]},"b":1}');
    expect(canonicalJson({ a: { c: null, d: [1, null, 'x'] }, b: 1 })).toBe(canonicalJson({ b: 1, a: { d: [1, null, 'x'], c: null } }));
    // what the workflow sees after the payload converter's JSON round trip is what the API signed
    const sent = { ...input, monthlyFen: undefined, meeting: { id: 'M1', attendees: ['b', 'a'] } };
    expect(canonicalJson(JSON.parse(JSON.stringify(sent)))).toBe(canonicalJson(sent));
  });

  it('API1: what the API signs (Node\'s Ed25519) the workflow\'s verifier accepts, and every part of the statement counts: workflow, Update name and id, actor, payload, time, key id', () => {
    const key = parseSigningKey(newActorKeyPair('k1').signingKey);
    const ring = parseVerifyKeys(key.verifyKey);
    const signed = new ActorSigner(key, () => Date.parse('2026-11-25T08:00:00Z')).sign(target, input);
    expect(signed.auth).toMatchObject({ keyId: 'k1', issuedAt: Date.parse('2026-11-25T08:00:00Z') });
    const statement = commandStatement(target, signed, signed.auth);
    expect(verifySignature(ring.k1, statement, signed.auth.signature)).toBe(true);
    const variants = [
      commandStatement({ ...target, workflowId: 'application-140599-00bb' }, signed, signed.auth),
      commandStatement({ ...target, update: 'extension' }, signed, signed.auth),
      commandStatement({ ...target, updateId: 'u-2' }, signed, signed.auth),
      commandStatement(target, { ...signed, actor: { ...input.actor, jurisdiction: '140599' } }, signed.auth),
      commandStatement(target, { ...signed, reason: '被他人撤回' }, signed.auth),
      commandStatement(target, signed, { ...signed.auth, issuedAt: signed.auth.issuedAt + 1 }),
      commandStatement(target, signed, { ...signed.auth, keyId: 'k2' }),
    ];
    for (const v of variants) expect(verifySignature(ring.k1, v, signed.auth.signature)).toBe(false);
    // the steps see the command without its signature
    expect(withoutAuth(signed)).toEqual(input);
  });

  it('API1 (national cryptography): the workflow\'s SM3 gives GB/T 32905\'s "abc" digest, and its SM2 verifier accepts sm-crypto\'s GB/T 32918 signatures (Z over the default ID) and refuses them changed', () => {
    expect(Buffer.from(sm3(Buffer.from('abc'))).toString('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    const k = sm2.generateKeyPairHex();
    const message = canonicalJson(input);
    const signature = sm2.doSignature(message, k.privateKey, { hash: true, publicKey: k.publicKey });
    expect(verifySm2(k.publicKey, message, signature)).toBe(true);
    expect(verifySm2(k.publicKey, `${message} `, signature)).toBe(false);
    expect(verifySm2(k.publicKey, message, flip(signature, 70))).toBe(false);
    expect(verifySm2(sm2.generateKeyPairHex().publicKey, message, signature)).toBe(false);
    // without Z (hash: false) it is another signature scheme, not GB/T 32918's: refused
    expect(verifySm2(k.publicKey, message, sm2.doSignature(message, k.privateKey, { hash: false }))).toBe(false);
    expect(verifySm2(k.publicKey, message, '00'.repeat(64))).toBe(false);
  });

  it('API1 (national cryptography): an SM2 signing key (keyId:sm2:…) signs the statement with SM2 over an SM3 digest of the payload, and the ring\'s SM2 key verifies it', () => {
    const key = parseSigningKey(newActorKeyPair('sm-1', 'sm2').signingKey);
    expect(key.suite).toBe('sm2');
    const ring = parseVerifyKeys(key.verifyKey);
    expect(ring['sm-1'].suite).toBe('sm2');
    const signed = new ActorSigner(key, () => Date.parse('2026-11-25T08:00:00Z')).sign(target, input);
    const statement = commandStatement(target, signed, signed.auth, 'sm2');
    expect(JSON.parse(statement)).toMatchObject({ suite: 'sm2', payloadDigest: Buffer.from(sm3(Buffer.from(canonicalJson({ reason: input.reason })))).toString('hex') });
    expect(verifySignature(ring['sm-1'], statement, signed.auth.signature)).toBe(true);
    expect(verifySignature(ring['sm-1'], commandStatement(target, { ...signed, reason: '被他人撤回' }, signed.auth, 'sm2'), signed.auth.signature)).toBe(false);
    // the same statement under the Ed25519 suite is another message
    expect(verifySignature(ring['sm-1'], commandStatement(target, signed, signed.auth, 'ed25519'), signed.auth.signature)).toBe(false);
  });

  it('API1: key formats: keyId:base64(32 bytes); several verify keys (comma or newline, # comments) for a rotation; anything else refused with the setting named', () => {
    const a = newActorKeyPair('k2026a');
    const b = newActorKeyPair('k2026b');
    expect(Object.keys(parseVerifyKeys(`# workers' ring\n${a.verifyKey}\n${b.verifyKey}`))).toEqual(['k2026a', 'k2026b']);
    expect(Object.keys(parseVerifyKeys(`${a.verifyKey},${b.verifyKey}`))).toEqual(['k2026a', 'k2026b']);
    expect(() => parseSigningKey(`k:${crypto.randomBytes(16).toString('base64')}`)).toThrow(/ACTOR_SIGNING_KEY: expected keyId:base64\(32 bytes\)/);
    expect(() => parseSigningKey(crypto.randomBytes(32).toString('base64'))).toThrow(/ACTOR_SIGNING_KEY/);
    expect(() => parseVerifyKeys('# nothing')).toThrow(/ACTOR_VERIFY_KEYS: no key/);
  });

  it('API1: outside development the API refuses to start without ACTOR_SIGNING_KEY and a worker that bundles without ACTOR_VERIFY_KEYS; with them both start', () => {
    const jwt = crypto.randomBytes(32).toString('hex');
    const prod = { JIUZHU_ENV: 'production', JWT_SECRET: jwt };
    expect(() => assertDeployable(loadSettings(prod), ['jwt', 'actor-signing'])).toThrow(/ACTOR_SIGNING_KEY/);
    expect(() => assertDeployable(loadSettings(prod), ['actor-verify'])).toThrow(/ACTOR_VERIFY_KEYS/);
    expect(() => assertDeployable(loadSettings({ ...prod, ACTOR_SIGNING_KEY: 'k:short' }), ['actor-signing'])).toThrow(SettingsError);
    const pair = newActorKeyPair('prod-1');
    expect(() => assertDeployable(loadSettings({ ...prod, ACTOR_SIGNING_KEY: pair.signingKey }), ['jwt', 'actor-signing'])).not.toThrow();
    expect(() => assertDeployable(loadSettings({ ...prod, ACTOR_VERIFY_KEYS: pair.verifyKey }), ['actor-verify'])).not.toThrow();
  });

  it('API1: make start makes one development pair (private key 0600) and keeps it; the public file always matches it', () => {
    const secrets = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-actor-key-'));
    const files = ensureActorSigningKey(secrets);
    const first = fs.readFileSync(files.signingKeyFile, 'utf8');
    expect(fs.statSync(files.signingKeyFile).mode & 0o777).toBe(0o600);
    fs.writeFileSync(files.verifyKeysFile, 'stale');
    expect(ensureActorSigningKey(secrets)).toEqual(files);
    expect(fs.readFileSync(files.signingKeyFile, 'utf8')).toBe(first);
    expect(fs.readFileSync(files.verifyKeysFile, 'utf8').trim()).toBe(parseSigningKey(first).verifyKey);
    fs.rmSync(secrets, { recursive: true });
  });
});

describe('issue 22 §1.3: what a start signs', () => {
  const key = parseSigningKey(newActorKeyPair('start-unit').signingKey);
  const target = { workflowType: 'application', workflowId: 'application-140599-1' };
  const input = { caseId: '140599-1', actor: { id: 'zhangmin', role: 'township_caseworker' }, household: { members: [] } };

  it('API1: a start\'s signature covers the workflow type, id and every part of the input, and is not a command\'s', () => {
    const signed = signStart(key, target, input, 1);
    const statement = startStatement(target, signed, signed.auth);
    expect(verifySignature(parseVerifyKeys(key.verifyKey)[key.keyId], statement, signed.auth.signature)).toBe(true);
    // the signature does not travel into the digest: re-signing replaces it
    expect(startStatement(target, signed, signed.auth)).toBe(startStatement(target, input, signed.auth));
    for (const other of [
      startStatement({ ...target, workflowType: 'review' }, input, signed.auth),
      startStatement({ ...target, workflowId: 'application-140599-2' }, input, signed.auth),
      startStatement(target, { ...input, actor: { id: 'liqiang', role: 'township_caseworker' } }, signed.auth),
      commandStatement({ workflowId: target.workflowId, update: 'application', updateId: '' }, input, signed.auth),
    ]) {
      expect(other).not.toBe(statement);
    }
  });

  it('API1: a run a Schedule started is checked against the schedule action\'s id (the runs\' -<scheduled time> suffix stripped), any other run against its own id', () => {
    const scheduled = { workflowId: 'cycle-140521-2026-09-30T18:00:00Z', searchAttributes: { TemporalScheduledById: ['cycle-140521'] } };
    expect(signedWorkflowId(scheduled)).toBe('cycle-140521');
    expect(signedWorkflowId({ ...scheduled, searchAttributes: {} })).toBe('cycle-140521-2026-09-30T18:00:00Z');
    expect(signedWorkflowId({ workflowId: 'review-H1-2026-09', searchAttributes: { TemporalScheduledById: ['x'] } })).toBe('review-H1-2026-09');
  });
});
