// R-SUP-05: what an anchor's signature covers, and the check of one stored anchor: its root is the
// Merkle root of the heads it lists (their jurisdictions included, issue 21 §5.3), and a configured
// public key of its suite signed that root.
import { canonicalJson } from '../audit-log';
import type { VerifyKey } from './keys';
import { merkleRoot, type ChainHead } from './merkle';
import { isSuite, SUITES } from './suite';

export interface AnchorRecord {
  id: string;
  anchoredAt: string;
  root: string;
  prevRoot: string;
  suite: string;
  keyId: string;
  signature: string;
  heads: (ChainHead & { jurisdiction: string | null })[];
}

/** The signed text: the anchor's root chained to the previous one, with its time, suite and key. */
export function anchorStatement(a: Pick<AnchorRecord, 'anchoredAt' | 'root' | 'prevRoot' | 'suite' | 'keyId'>): string {
  return canonicalJson({ v: 1, anchoredAt: a.anchoredAt, root: a.root, prevRoot: a.prevRoot, suite: a.suite, keyId: a.keyId });
}

/** undefined when the anchor is sound, else why it is refused. */
export function anchorProblem(a: AnchorRecord, keys: Map<string, VerifyKey>): string | undefined {
  if (!isSuite(a.suite)) return `anchor ${a.id} names an unknown suite ${a.suite}`;
  // format 2 leaves hold the jurisdiction; an anchor signed before them (format 1) cannot prove it. No
  // heads fit both: a format-2 anchor whose heads were re-tagged matches neither root.
  const alg = SUITES[a.suite].hash;
  if (merkleRoot(alg, a.heads, 2) !== a.root && merkleRoot(alg, a.heads, 1) !== a.root) return `anchor ${a.id}: its root is not the Merkle root of the heads it lists`;
  const key = keys.get(a.keyId);
  if (!key || key.suite !== a.suite) return `anchor ${a.id}: key ${a.keyId} is not a configured ${a.suite} verification key`;
  if (!key.verify(anchorStatement(a), a.signature)) return `anchor ${a.id}: the signature does not verify with key ${a.keyId}`;
  return undefined;
}
