// What the API signs for every command it sends a workflow (issue 16 API1): who gives it, to which
// workflow, as which Update (name and id), a hash of the rest of the payload, when and with which key.
// Built the same way by the API (api/actor-signing.ts) and by the workflow's validator
// (kit/command-signature.ts): pure JavaScript, deterministic, so it runs in the workflow sandbox.
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { canonicalJson } from './canonical-json';
import { sm3 } from './sm2-verify';

/** Ed25519 with SHA-256 by default; SM2 with SM3 for a 密评 deployment */
export type SignatureSuite = 'ed25519' | 'sm2';

/** A public key of the ring the workflow bundle holds: hex (Ed25519: 32 bytes; SM2: 04 ‖ x ‖ y) */
export interface VerifyKey {
  suite: SignatureSuite;
  key: string;
}

/** Carried beside `actor` in an Update's input; never reaches state (the runtime drops it). */
export interface CommandAuth {
  /** which key of the ring signed (rotation) */
  keyId: string;
  /** when the API signed, epoch ms */
  issuedAt: number;
  /** the key's suite over the statement, hex */
  signature: string;
}

export interface CommandTarget {
  workflowId: string;
  update: string;
  /** Temporal runs one Update id once per run, the kit's runtime once across runs: a captured signed command cannot be applied twice */
  updateId: string;
}

/** The bytes signed: canonical JSON of the statement, UTF-8; the payload's digest by the suite's hash. */
export function commandStatement(target: CommandTarget, input: object, auth: Pick<CommandAuth, 'keyId' | 'issuedAt'>, suite: SignatureSuite = 'ed25519'): string {
  const { actor, auth: _signature, ...payload } = input as { actor?: unknown; auth?: unknown };
  const bytes = utf8ToBytes(canonicalJson(payload));
  return canonicalJson({
    v: 1,
    suite,
    actor: actor ?? null,
    workflowId: target.workflowId,
    update: target.update,
    updateId: target.updateId,
    payloadDigest: bytesToHex(suite === 'sm2' ? sm3(bytes) : sha256(bytes)),
    issuedAt: auth.issuedAt,
    keyId: auth.keyId,
  });
}

/** The input as the steps see it: without the signature, so it never reaches state or the projection. */
export function withoutAuth<I>(input: I): I {
  if (input === null || typeof input !== 'object' || !('auth' in input)) return input;
  const { auth: _signature, ...rest } = input as I & { auth?: unknown };
  return rest as I;
}
