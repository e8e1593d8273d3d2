// The two authenticated-encryption suites of the payload codec (issue 11 §3, issue 16 "national
// cryptography"). Both seal a plaintext under a 32-byte key and bind `aad` (the suite and key id the
// payload's metadata names), so a ciphertext moved under another key id or suite fails to open.
//   aes-256-gcm       nonce(12) ‖ ciphertext ‖ tag(16)
//   sm4-ctr-hmac-sm3  iv(16) ‖ ciphertext ‖ HMAC-SM3(32): encrypt-then-MAC, because Node (OpenSSL) has
//                     SM4-CTR but no SM4-GCM; the SM4 key and the MAC key are derived from the one
//                     key by HKDF-SM3 with distinct labels, so neither is ever used for both jobs.
import crypto from 'node:crypto';

export const SUITES = ['aes-256-gcm', 'sm4-ctr-hmac-sm3'] as const;
export type Suite = (typeof SUITES)[number];

export interface CipherSuite {
  seal(key: Buffer, plaintext: Uint8Array, aad: Buffer): Buffer;
  /** throws when the ciphertext, the aad or the key does not match */
  open(key: Buffer, sealed: Uint8Array, aad: Buffer): Buffer;
}

export class PayloadIntegrityError extends Error {
  override name = 'PayloadIntegrityError';
}

const aesGcm: CipherSuite = {
  seal(key, plaintext, aad) {
    const nonce = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(aad);
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  },
  open(key, sealed, aad) {
    const buf = Buffer.from(sealed);
    if (buf.length < 12 + 16) throw new PayloadIntegrityError('aes-256-gcm: ciphertext too short');
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
    decipher.setAAD(aad);
    decipher.setAuthTag(buf.subarray(buf.length - 16));
    try {
      return Buffer.concat([decipher.update(buf.subarray(12, buf.length - 16)), decipher.final()]);
    } catch {
      throw new PayloadIntegrityError('aes-256-gcm: authentication failed (tampered ciphertext or wrong key)');
    }
  },
};

const SM4_KEY_LABEL = 'jiuzhu payload v1 sm4-ctr key';
const SM3_MAC_LABEL = 'jiuzhu payload v1 hmac-sm3 key';

function sm4Keys(key: Buffer): { enc: Buffer; mac: Buffer } {
  const derive = (label: string, length: number) => Buffer.from(crypto.hkdfSync('sm3', key, Buffer.alloc(0), label, length));
  return { enc: derive(SM4_KEY_LABEL, 16), mac: derive(SM3_MAC_LABEL, 32) };
}

/** The MAC covers the aad (length-prefixed, so aad and iv cannot trade bytes), the iv and the ciphertext. */
function sm3Mac(macKey: Buffer, aad: Buffer, iv: Buffer, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(aad.length);
  return crypto.createHmac('sm3', macKey).update(len).update(aad).update(iv).update(body).digest();
}

const sm4CtrHmacSm3: CipherSuite = {
  seal(key, plaintext, aad) {
    const { enc, mac } = sm4Keys(key);
    const iv = crypto.randomBytes(16);
    const cipher = crypto.createCipheriv('sm4-ctr', enc, iv);
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, body, sm3Mac(mac, aad, iv, body)]);
  },
  open(key, sealed, aad) {
    const buf = Buffer.from(sealed);
    if (buf.length < 16 + 32) throw new PayloadIntegrityError('sm4-ctr-hmac-sm3: ciphertext too short');
    const { enc, mac } = sm4Keys(key);
    const iv = buf.subarray(0, 16);
    const body = buf.subarray(16, buf.length - 32);
    const expected = sm3Mac(mac, aad, iv, body);
    // verify before decrypting (encrypt-then-MAC), in constant time
    if (!crypto.timingSafeEqual(expected, buf.subarray(buf.length - 32))) {
      throw new PayloadIntegrityError('sm4-ctr-hmac-sm3: HMAC-SM3 mismatch (tampered ciphertext or wrong key)');
    }
    const decipher = crypto.createDecipheriv('sm4-ctr', enc, iv);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  },
};

export const cipherSuites: Record<Suite, CipherSuite> = { 'aes-256-gcm': aesGcm, 'sm4-ctr-hmac-sm3': sm4CtrHmacSm3 };

/** `PAYLOAD_CRYPTO_SUITE` values: the suite names, and `sm4` / `aes` as short forms. */
export function parseSuite(value: string | undefined): Suite {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'aes' || v === 'aes-256-gcm') return 'aes-256-gcm';
  if (v === 'sm4' || v === 'sm4-ctr-hmac-sm3') return 'sm4-ctr-hmac-sm3';
  throw new Error(`PAYLOAD_CRYPTO_SUITE=${value} is not a known suite: use aes-256-gcm (default) or sm4`);
}
