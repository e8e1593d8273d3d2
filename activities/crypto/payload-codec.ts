// Encrypts every Temporal payload (workflow inputs, update arguments, activity inputs and results, query
// answers in transit, failure details) so that Temporal's history and Web UI hold no personal data in
// plain text (issue 11 §3). The whole original payload (its metadata and data, protobuf-encoded) is
// sealed; the wrapper's metadata says how: encoding binary/encrypted, the suite and the key id, so a
// county can switch suite or key and still read every older history.
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { KeyRing } from './key-ring';
import { cipherSuites, PayloadIntegrityError, SUITES, type Suite } from './suites';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const META_SUITE = 'encryption-suite';
export const META_KEY_ID = 'encryption-key-id';

const ProtoPayload = temporal.api.common.v1.Payload;
const utf8 = (s: string) => Buffer.from(s, 'utf8');
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

/** What the metadata names is bound into the ciphertext: relabelling a payload breaks it. */
const additionalData = (suite: Suite, keyId: string) => utf8(`jiuzhu/payload/v1\0${suite}\0${keyId}`);

export function isEncrypted(p: Payload): boolean {
  return text(p.metadata?.encoding) === ENCRYPTED_ENCODING;
}

/** Issue 22 §1.3: what decode does with a payload that is not encrypted. */
export type PlaintextPolicy = 'pass' | 'refuse';

export class PlaintextPayloadError extends Error {
  override name = 'PlaintextPayloadError';
}

export class PayloadCryptoCodec implements PayloadCodec {
  constructor(
    private readonly ring: KeyRing,
    readonly suite: Suite = 'aes-256-gcm',
    /** 'refuse' outside development: a plaintext payload was written by a client without the codec (data-converter.ts) */
    readonly plaintext: PlaintextPolicy = 'pass',
  ) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.ring.encryptWith;
    const key = this.ring.keys.get(keyId)!;
    const aad = additionalData(this.suite, keyId);
    return payloads.map((p) => ({
      metadata: { encoding: utf8(ENCRYPTED_ENCODING), [META_SUITE]: utf8(this.suite), [META_KEY_ID]: utf8(keyId) },
      data: cipherSuites[this.suite].seal(key, ProtoPayload.encode(p).finish(), aad),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (isEncrypted(p)) return this.open(p);
      // in development plain payloads (histories recorded decrypted for the replay tests) pass through;
      // elsewhere one is what a client without the codec sent (the CLI, a script): never acted on
      if (this.plaintext === 'refuse') throw new PlaintextPayloadError(`a plaintext payload (encoding ${text(p.metadata?.encoding) ?? '(none)'}) was refused: every payload must be encrypted outside development (JIUZHU_ENV); send through a client with the payload codec`);
      return p;
    });
  }

  private open(p: Payload): Payload {
    const suite = text(p.metadata?.[META_SUITE]) as Suite | undefined;
    const keyId = text(p.metadata?.[META_KEY_ID]);
    if (!suite || !(SUITES as readonly string[]).includes(suite)) throw new PayloadIntegrityError(`encrypted payload with unknown suite ${suite ?? '(none)'}`);
    const key = keyId ? this.ring.keys.get(keyId) : undefined;
    if (!key) throw new PayloadIntegrityError(`encrypted payload with key id ${keyId ?? '(none)'}, which is not in this key ring (${[...this.ring.keys.keys()].join(', ')}): add the old key to PAYLOAD_KEYS`);
    const plain = cipherSuites[suite].open(key, p.data ?? new Uint8Array(), additionalData(suite, keyId!));
    const decoded = ProtoPayload.decode(plain);
    return { metadata: decoded.metadata, data: decoded.data };
  }
}
