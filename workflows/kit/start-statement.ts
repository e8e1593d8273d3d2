// What a start's signer signs (issue 22 §1.3): the workflow type, the workflow id, a digest of the start
// input (without its `auth`), when and with which key. Built the same way by the signers (the API's
// intake, the scheduler's and system starts: activities/crypto/start-signing.ts) and by the workflow
// (kit/start-signature.ts): pure JavaScript, deterministic, so it runs in the workflow sandbox.
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { canonicalJson } from './canonical-json';
import type { CommandAuth, SignatureSuite } from './command-statement';
import { sm3 } from './sm2-verify';

/** Carried as `auth` in a start input: the same shape as a command's signature. */
export type StartAuth = CommandAuth;

export interface StartTarget {
  /** the workflow type (`application`, `review`…): a signed start of one kind cannot start another */
  workflowType: string;
  /** the workflow id; for a run a Schedule starts, the schedule action's id (kit/start-signature.ts) */
  workflowId: string;
}

/** The bytes signed: canonical JSON, UTF-8. `purpose` keeps a start's statement apart from a command's. */
export function startStatement(target: StartTarget, input: object, auth: Pick<StartAuth, 'keyId' | 'issuedAt'>, suite: SignatureSuite = 'ed25519'): string {
  const { auth: _signature, ...rest } = input as { auth?: unknown };
  const bytes = utf8ToBytes(canonicalJson(rest));
  return canonicalJson({
    v: 1,
    purpose: 'start',
    suite,
    workflowType: target.workflowType,
    workflowId: target.workflowId,
    inputDigest: bytesToHex(suite === 'sm2' ? sm3(bytes) : sha256(bytes)),
    issuedAt: auth.issuedAt,
    keyId: auth.keyId,
  });
}
