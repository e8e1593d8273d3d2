// Issue 16 API1: a workflow takes a command only as the API signed it. The API signs with its private
// key (api/actor-signing.ts); the validator verifies with the public keys baked into the workflow bundle
// at bundle time (activities/crypto/actor-keys.ts, webpack DefinePlugin): no secret in workflow code or
// history. Validator-only, so replay-safe: an Update in history is never validated again.
import { ed25519 } from '@noble/curves/ed25519';
import { hexToBytes, utf8ToBytes } from '@noble/hashes/utils';
import { currentUpdateInfo, workflowInfo } from '@temporalio/workflow';
import { commandStatement, type CommandAuth, type VerifyKey } from './command-statement';
import { forbidden } from './errors';
import { verifySm2 } from './sm2-verify';

declare const __JIUZHU_ACTOR_VERIFY_KEYS__: Record<string, VerifyKey> | undefined;
/** keyId → public key; empty outside a bundle built with keys: every command is refused */
const RING: Record<string, VerifyKey> = typeof __JIUZHU_ACTOR_VERIFY_KEYS__ === 'object' ? __JIUZHU_ACTOR_VERIFY_KEYS__ : {};

/** The ring's key of this id (commands and starts share the ring: kit/start-signature.ts). */
export function ringKey(keyId: string): VerifyKey | undefined {
  return Object.prototype.hasOwnProperty.call(RING, keyId) ? RING[keyId] : undefined;
}

export function verifyEd25519(publicKeyHex: string, message: string, signatureHex: string): boolean {
  try {
    return ed25519.verify(hexToBytes(signatureHex), utf8ToBytes(message), hexToBytes(publicKeyHex));
  } catch {
    return false; // malformed hex, a point not on the curve: not a valid signature
  }
}

/** The signature by the key's suite: Ed25519, or SM2 (GB/T 32918). */
export function verifySignature(key: VerifyKey, message: string, signatureHex: string): boolean {
  return key.suite === 'sm2' ? verifySm2(key.key, message, signatureHex) : verifyEd25519(key.key, message, signatureHex);
}

/** Refuses (Forbidden) a command the API did not sign for this workflow, Update and payload. */
export function verifyCommand(update: string, input: unknown): void {
  const auth = (input as { auth?: Partial<CommandAuth> } | null | undefined)?.auth;
  if (!auth || typeof auth !== 'object' || typeof auth.keyId !== 'string' || typeof auth.signature !== 'string' || typeof auth.issuedAt !== 'number') {
    throw forbidden('API1: the command is not signed by the API');
  }
  const key = ringKey(auth.keyId);
  if (!key) throw forbidden(`API1: unknown actor signing key ${JSON.stringify(auth.keyId)}`);
  // issuedAt is signed (the audit shows when the API issued it) but not compared with workflow time: that
  // would tie the API's clock to the server's, and workflow time is not wall time (time skipping, a reset);
  // a captured command is stopped by its signed Update id, which Temporal runs once per run and the
  // runtime refuses in later runs (kit/applied-commands.ts)
  const target = { workflowId: workflowInfo().workflowId, update, updateId: currentUpdateInfo()?.id ?? '' };
  const statement = commandStatement(target, input as object, { keyId: auth.keyId, issuedAt: auth.issuedAt }, key.suite);
  if (!verifySignature(key, statement, auth.signature)) {
    throw forbidden('API1: the command\'s signature does not match its actor, workflow, Update or payload');
  }
}
