// R-SUP-05, issue 16: SM2 signatures (GB/T 32918.2) for the sm2-sm3 suite, through sm-crypto.
// Measured here (Node 20.20, OpenSSL 3.0.19): Node's crypto.sign('sm3', …) with an SM2-curve key does
// NOT make a GB/T 32918 signature (no Z value: neither sm-crypto nor `openssl dgst -sm3` verify it),
// and a KeyObject re-imported from an SM2 PEM has no key type and aborts the process on export. So keys
// stay PEM (PKCS8 / SPKI, what `openssl` and Node write), parsed here, and sm-crypto signs and verifies,
// with Z over the default ID 1234567812345678 (GB/T 35276); test/unit/audit-sm2.test.ts cross-checks
// it with the openssl CLI.
import { sm2 } from 'sm-crypto';

/** 1.2.156.10197.1.301, the SM2 curve */
const SM2_OID = Buffer.from('06082a811ccf5501822d', 'hex');
/** SPKI header for an uncompressed SM2 point: SEQ { SEQ { ecPublicKey, sm2 }, BIT STRING 00 … } */
const SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex');

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

function readTlv(b: Buffer, off: number): Tlv {
  let len = b[off + 1];
  let start = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[off + 2 + i];
    start += n;
  }
  if (start + len > b.length) throw new Error('truncated DER');
  return { tag: b[off], start, end: start + len };
}

function children(b: Buffer, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let off = t.start; off < t.end; ) {
    const c = readTlv(b, off);
    out.push(c);
    off = c.end;
  }
  return out;
}

const derOf = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');

export function isSm2Pem(pem: string): boolean {
  return derOf(pem).includes(SM2_OID);
}

export interface Sm2PrivateKey {
  d: string;
  /** 04 || x || y, hex */
  pub: string;
}

/** A PKCS8 PEM SM2 private key: PrivateKeyInfo { 0, algorithm, OCTET STRING ECPrivateKey { 1, d, … } }. */
export function sm2PrivateFromPem(pem: string): Sm2PrivateKey {
  const der = derOf(pem);
  const [, alg, inner] = children(der, readTlv(der, 0));
  if (!der.subarray(alg.start, alg.end).includes(SM2_OID) || inner.tag !== 0x04) throw new Error('not a PKCS8 SM2 private key');
  const [, dTlv] = children(der, readTlv(der, inner.start));
  const d = der.subarray(dTlv.start, dTlv.end).toString('hex').padStart(64, '0');
  return { d, pub: sm2.getPublicKeyFromPrivateKey(d) };
}

/** A SPKI PEM SM2 public key → 04 || x || y, hex. */
export function sm2PublicFromPem(pem: string): string {
  const der = derOf(pem);
  const [alg, bits] = children(der, readTlv(der, 0));
  if (!der.subarray(alg.start, alg.end).includes(SM2_OID) || bits.tag !== 0x03) throw new Error('not an SPKI SM2 public key');
  return der.subarray(bits.start + 1, bits.end).toString('hex');
}

export function sm2SpkiDer(pub: string): Buffer {
  return Buffer.concat([SPKI_PREFIX, Buffer.from(pub, 'hex')]);
}

export function sm2PublicPem(pub: string): string {
  const b64 = sm2SpkiDer(pub).toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN PUBLIC KEY-----\n${b64}-----END PUBLIC KEY-----\n`;
}

const bytes = (message: string) => [...Buffer.from(message, 'utf8')];

/** DER-encoded (r, s), base64, like the Ed25519 suite's signatures. */
export function sm2Sign(key: Sm2PrivateKey, message: string): string {
  return Buffer.from(sm2.doSignature(bytes(message), key.d, { hash: true, der: true, publicKey: key.pub }), 'hex').toString('base64');
}

export function sm2Verify(pub: string, message: string, signature: string): boolean {
  try {
    return sm2.doVerifySignature(bytes(message), Buffer.from(signature, 'base64').toString('hex'), pub, { hash: true, der: true });
  } catch {
    return false;
  }
}
