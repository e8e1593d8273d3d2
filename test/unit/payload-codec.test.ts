// Issue 11 §3 (and issue 16, national cryptography): the payload codec that keeps personal data out of
// Temporal's history. Pure crypto: no Temporal server, no database.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError, encodeErrorToFailure, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { keyRing, keyRingFromEnv, parseKeyList } from '../../activities/crypto/key-ring';
import { PayloadCryptoCodec, PlaintextPayloadError } from '../../activities/crypto/payload-codec';
import { dataConverterFromEnv, payloadCodecFromEnv } from '../../activities/crypto/data-converter';
import type { Suite } from '../../activities/crypto/suites';
import { ensureDevPayloadKey } from '../../scripts/stack/payload-key';

const ID_NUMBER = '140599196803040115';
const person = { name: '王建国', idNumber: ID_NUMBER, account: { accountNo: '6228480000000000001' }, monthlyFen: 50_000 };
const newKey = () => crypto.randomBytes(32);
const ring = (keys: Record<string, Buffer>, encryptWith?: string) => keyRing(new Map(Object.entries(keys)), encryptWith);
const meta = (p: Payload, k: string) => Buffer.from(p.metadata![k]).toString('utf8');
const plain = (): Payload => defaultPayloadConverter.toPayload(person);
const SUITES: Suite[] = ['aes-256-gcm', 'sm4-ctr-hmac-sm3'];

describe.each(SUITES)('payload codec, suite %s', (suite) => {
  const k1 = newKey();
  const codec = new PayloadCryptoCodec(ring({ k1 }), suite);

  it(`§3 codec: ${suite} round trip; the stored payload names the suite and key id and holds no plaintext`, async () => {
    const [encrypted] = await codec.encode([plain()]);
    expect(meta(encrypted, 'encoding')).toBe('binary/encrypted');
    expect(meta(encrypted, 'encryption-suite')).toBe(suite);
    expect(meta(encrypted, 'encryption-key-id')).toBe('k1');
    const stored = Buffer.from(encrypted.data!);
    expect(stored.includes(ID_NUMBER)).toBe(false);
    expect(stored.includes(Buffer.from('王建国'))).toBe(false);
    expect(stored.includes(Buffer.from('json/plain'))).toBe(false); // even the inner encoding is sealed
    const [decoded] = await codec.decode([encrypted]);
    expect(meta(decoded, 'encoding')).toBe('json/plain');
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(person);
  });

  it(`§3 codec: ${suite} encrypts the same payload differently each time (fresh nonce)`, async () => {
    const [a, b] = await codec.encode([plain(), plain()]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it(`§3 codec: ${suite} detects a tampered ciphertext, wherever the flipped byte is`, async () => {
    const [encrypted] = await codec.encode([plain()]);
    const data = Buffer.from(encrypted.data!);
    for (const at of [0, 20, data.length - 1]) {
      const tampered = Buffer.from(data);
      tampered[at] ^= 0x01;
      await expect(codec.decode([{ ...encrypted, data: tampered }])).rejects.toThrow(/tampered|authentication|mismatch/);
    }
    await expect(codec.decode([{ ...encrypted, data: data.subarray(0, 10) }])).rejects.toThrow(/too short/);
  });

  it(`§3 codec: ${suite} refuses a payload relabelled with another key id of the ring (the label is authenticated)`, async () => {
    const both = new PayloadCryptoCodec(ring({ k1, k2: k1 }, 'k1'), suite);
    const [encrypted] = await both.encode([plain()]);
    const relabelled = { ...encrypted, metadata: { ...encrypted.metadata, 'encryption-key-id': Buffer.from('k2') } };
    await expect(both.decode([relabelled])).rejects.toThrow();
  });
});

describe('payload codec: keys and suites over time', () => {
  it('§3 codec: an unknown key id is refused loudly, naming the key to add', async () => {
    const [encrypted] = await new PayloadCryptoCodec(ring({ old: newKey() })).encode([plain()]);
    const other = new PayloadCryptoCodec(ring({ current: newKey() }));
    await expect(other.decode([encrypted])).rejects.toThrow(/key id old, which is not in this key ring/);
  });

  it('§3 codec: rotation: the new key encrypts, the old key still decrypts what it encrypted', async () => {
    const old = newKey();
    const current = newKey();
    const [before] = await new PayloadCryptoCodec(ring({ old })).encode([plain()]);
    const rotated = new PayloadCryptoCodec(ring({ old, current }, 'current'));
    const [after] = await rotated.encode([plain()]);
    expect(meta(before, 'encryption-key-id')).toBe('old');
    expect(meta(after, 'encryption-key-id')).toBe('current');
    const decoded = await rotated.decode([before, after]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([person, person]);
    // dropping the old key too early makes the old payloads unreadable: keep it for the retention period
    await expect(new PayloadCryptoCodec(ring({ current })).decode([before])).rejects.toThrow(/key id old/);
  });

  it('National cryptography: a county that switches from aes-256-gcm to sm4 still reads its older payloads', async () => {
    const k = newKey();
    const [aes] = await new PayloadCryptoCodec(ring({ k }), 'aes-256-gcm').encode([plain()]);
    const sm4 = new PayloadCryptoCodec(ring({ k }), 'sm4-ctr-hmac-sm3');
    const [national] = await sm4.encode([plain()]);
    expect(meta(national, 'encryption-suite')).toBe('sm4-ctr-hmac-sm3');
    expect((await sm4.decode([aes, national])).map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([person, person]);
  });

  it('§3 codec: in development a plain payload (the decrypted histories of the replay tests) passes through decode unchanged', async () => {
    const codec = payloadCodecFromEnv({ PAYLOAD_KEYS: `k:${newKey().toString('base64')}`, JIUZHU_ENV: 'development' });
    const p = plain();
    const [decoded] = await codec.decode([p]);
    expect(decoded).toBe(p);
  });

  it('API1 (issue 22 §1.3): outside development the codec refuses to decode a plaintext payload (a start, signal or update sent without the codec), and still opens encrypted ones', async () => {
    const keys = `k:${newKey().toString('base64')}`;
    for (const env of [{ PAYLOAD_KEYS: keys, JIUZHU_ENV: 'production' }, { PAYLOAD_KEYS: keys }]) {
      const codec = payloadCodecFromEnv(env);
      await expect(codec.decode([plain()])).rejects.toThrow(PlaintextPayloadError);
      await expect(codec.decode([plain()])).rejects.toThrow(/plaintext payload \(encoding json\/plain\) was refused/);
      // one plaintext among encrypted ones refuses the batch: nothing of it is acted on
      const [sealed] = await codec.encode([plain()]);
      await expect(codec.decode([sealed, plain()])).rejects.toThrow(PlaintextPayloadError);
      expect(defaultPayloadConverter.fromPayload((await codec.decode([sealed]))[0])).toEqual(person);
    }
    // the data converter of the workers and the API is built the same way
    const dc = loadDataConverter(dataConverterFromEnv({ PAYLOAD_KEYS: keys, JIUZHU_ENV: 'production' }));
    await expect(dc.payloadCodecs[0].decode([plain()])).rejects.toThrow(PlaintextPayloadError);
    // the codec server shows what a history holds (the core's own patch markers are plaintext): it passes them
    const p = plain();
    expect((await payloadCodecFromEnv({ PAYLOAD_KEYS: keys, JIUZHU_ENV: 'production' }, 'pass').decode([p]))[0]).toBe(p);
  });

  it('National cryptography: Node’s SM4 and SM3 give the GB/T 32907 and GB/T 32905 test vectors', () => {
    // GB/T 32907-2016 A.1: key = plaintext = 0123456789abcdeffedcba9876543210. In CTR mode with that
    // block as the counter, a zero plaintext block encrypts to E(counter), the standard's ciphertext.
    const v = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const ctr = crypto.createCipheriv('sm4-ctr', v, v).update(Buffer.alloc(16));
    expect(ctr.toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
    // GB/T 32905-2016 A.1: SM3("abc")
    expect(crypto.createHash('sm3').update('abc').digest('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });
});

describe('payload key ring from the environment', () => {
  const b64 = () => newKey().toString('base64');

  it('§3 codec: refuses to start without a key, with a message that says what to set', () => {
    expect(() => dataConverterFromEnv({})).toThrow(/no payload encryption key: set PAYLOAD_KEYS/);
    expect(() => keyRingFromEnv({ JIUZHU_ENV: 'development' })).toThrow(/make start. generates one/);
  });

  it('§3 codec: refuses a short key, a malformed entry, a repeated key id and an unknown PAYLOAD_KEY_ID', () => {
    expect(() => parseKeyList(`k1:${crypto.randomBytes(16).toString('base64')}`)).toThrow(/must be 32 random bytes .*got 16 bytes/);
    expect(() => parseKeyList(`k1:${b64().slice(0, -4)}!!!!`)).toThrow(/must be 32 random bytes/);
    expect(() => parseKeyList(b64())).toThrow(/keyId:base64/);
    expect(() => parseKeyList(`k1:${b64()},k1:${b64()}`)).toThrow(/appears twice/);
    expect(() => keyRingFromEnv({ PAYLOAD_KEYS: `a:${b64()},b:${b64()}` })).toThrow(/PAYLOAD_KEY_ID must name the key/);
    expect(() => keyRingFromEnv({ PAYLOAD_KEYS: `a:${b64()}`, PAYLOAD_KEY_ID: 'b' })).toThrow(/PAYLOAD_KEY_ID=b is not in the key ring/);
    expect(() => dataConverterFromEnv({ PAYLOAD_KEYS: `a:${b64()}`, PAYLOAD_CRYPTO_SUITE: 'des' })).toThrow(/not a known suite/);
  });

  it('§3 codec: reads the ring from PAYLOAD_KEYS_FILE (comma or newline separated), one key encrypting', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-keys-')), 'payload-keys');
    fs.writeFileSync(file, `# rotated 2026-11\nold:${b64()}\nnew:${b64()}\n`, { mode: 0o600 });
    const r = keyRingFromEnv({ PAYLOAD_KEYS_FILE: file, PAYLOAD_KEY_ID: 'new' });
    expect([...r.keys.keys()]).toEqual(['old', 'new']);
    expect(r.encryptWith).toBe('new');
    expect(keyRingFromEnv({ PAYLOAD_KEYS: `only:${b64()}` }).encryptWith).toBe('only');
  });
});

describe('the development key of make start', () => {
  it('§3 codec: make start generates one key per install (file 0600 in a 0700 directory), keeps it across starts, and the ring reads it', () => {
    const secrets = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-secrets-')), 'secrets');
    const { PAYLOAD_KEYS_FILE } = ensureDevPayloadKey(secrets);
    const first = fs.readFileSync(PAYLOAD_KEYS_FILE, 'utf8');
    expect(fs.statSync(PAYLOAD_KEYS_FILE).mode & 0o777).toBe(0o600);
    expect(fs.statSync(secrets).mode & 0o777).toBe(0o700);
    expect(ensureDevPayloadKey(secrets).PAYLOAD_KEYS_FILE).toBe(PAYLOAD_KEYS_FILE);
    expect(fs.readFileSync(PAYLOAD_KEYS_FILE, 'utf8')).toBe(first);
    const r = keyRingFromEnv({ PAYLOAD_KEYS_FILE });
    expect(r.encryptWith).toMatch(/^dev-\d{8}-[0-9a-f]{4}$/);
    expect(r.keys.get(r.encryptWith)).toHaveLength(32);
  });
});

describe('failures through the codec', () => {
  it('§3 codec: a failure’s message and stack trace are sealed in the stored failure, and a client with the key reads them back', async () => {
    const dc = loadDataConverter(dataConverterFromEnv({ PAYLOAD_KEYS: `k:${newKey().toString('base64')}` }));
    const message = `王建国 ${ID_NUMBER} already has an open application`;
    const stored = await encodeErrorToFailure(dc, ApplicationFailure.create({ type: 'Conflict', message, details: [{ existing: 'C1' }] }));
    const visible = JSON.stringify(stored, (_k, v) => (v?.type === 'Buffer' && Array.isArray(v.data) ? Buffer.from(v.data).toString('utf8') : v));
    expect(stored.message).toBe('Encoded failure');
    expect(visible).not.toContain(ID_NUMBER);
    expect(visible).not.toContain('王建国');
    expect(stored.stackTrace ?? '').toBe('');
    expect(meta(stored.encodedAttributes!, 'encoding')).toBe('binary/encrypted');
    const back = (await decodeOptionalFailureToOptionalError(dc, stored)) as ApplicationFailure;
    expect(back.message).toBe(message);
    expect(back.type).toBe('Conflict');
    expect(back.details).toEqual([{ existing: 'C1' }]);
  });
});
