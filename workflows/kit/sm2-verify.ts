// SM2 signature verification (GB/T 32918.2, with Z over the default ID 1234567812345678 of GB/T 35276) in
// pure JavaScript for the workflow sandbox: the curve from @noble/curves with the SM2 recommended
// parameters, SM3 from sm-crypto's standalone module (sm-crypto's SM2 itself cannot load in the sandbox:
// it seeds a random generator from crypto.getRandomValues when imported). Cross-checked against
// sm-crypto's signatures (test/unit/actor-signature.test.ts), which test/unit/audit-sm2.test.ts checks
// against openssl.
import { Field } from '@noble/curves/abstract/modular';
import { weierstrassPoints } from '@noble/curves/abstract/weierstrass';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';
import { sm3 as sm3Array } from 'sm-crypto/src/sm2/sm3';

const p = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
const a = 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn;
const b = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
const n = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const Gx = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
const Gy = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;
const { ProjectivePoint: Point } = weierstrassPoints({ a, b, Fp: Field(p), n, Gx, Gy, h: 1n });

export const sm3 = (bytes: Uint8Array): Uint8Array => Uint8Array.from(sm3Array(Array.from(bytes)));

const DEFAULT_ID = utf8ToBytes('1234567812345678');
const be32 = (x: bigint) => hexToBytes(x.toString(16).padStart(64, '0'));

/** Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA) */
function za(publicKeyHex: string): Uint8Array {
  const pub = hexToBytes(publicKeyHex);
  const entl = DEFAULT_ID.length * 8;
  return sm3(concatBytes(new Uint8Array([entl >> 8, entl & 0xff]), DEFAULT_ID, be32(a), be32(b), be32(Gx), be32(Gy), pub.subarray(1, 33), pub.subarray(33, 65)));
}

/** `publicKeyHex`: 04 ‖ x ‖ y; `signatureHex`: r ‖ s (64 bytes, as sm-crypto writes it). */
export function verifySm2(publicKeyHex: string, message: string, signatureHex: string): boolean {
  try {
    if (!/^[0-9a-f]{128}$/i.test(signatureHex) || !/^04[0-9a-f]{128}$/i.test(publicKeyHex)) return false;
    const r = BigInt(`0x${signatureHex.slice(0, 64)}`);
    const s = BigInt(`0x${signatureHex.slice(64)}`);
    if (r < 1n || r >= n || s < 1n || s >= n) return false;
    const t = (r + s) % n;
    if (t === 0n) return false;
    const P = Point.fromHex(publicKeyHex); // refuses a point not on the curve
    const e = BigInt(`0x${bytesToHex(sm3(concatBytes(za(publicKeyHex), utf8ToBytes(message))))}`);
    const x1 = Point.BASE.multiply(s).add(P.multiply(t)).toAffine().x;
    return (e + x1) % n === r;
  } catch {
    return false;
  }
}
