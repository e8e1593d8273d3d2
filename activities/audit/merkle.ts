// R-SUP-05: a Merkle root over chain heads. Leaves are sorted (the root does not depend on the order the
// database returned them); leaf and inner nodes are hashed with distinct prefixes (no second preimage
// by passing an inner node off as a leaf); an odd node is carried up unchanged.
import { canonicalJson } from '../audit-log';
import { hashHex, type HashAlg } from './suite';

export interface ChainHead {
  chain: string;
  /** decimal string: JSON has no bigint */
  chainSeq: string;
  hash: string;
  /** the chain's jurisdiction: inside the leaf from format 2 on, so a re-tag breaks the root */
  jurisdiction?: string | null;
}

export const EMPTY_ROOT = '0'.repeat(64);

/**
 * 1: anchors made before issue 21 (chain, seq, hash); 2: the jurisdiction too, which decides whose
 * verification looks at a head (issue 21 §5.3). New anchors are always 2.
 */
export type LeafFormat = 1 | 2;
export const LEAF_FORMAT: LeafFormat = 2;

export function leafText(h: ChainHead, format: LeafFormat = LEAF_FORMAT): string {
  if (format === 1) return canonicalJson({ chain: h.chain, chainSeq: h.chainSeq, hash: h.hash });
  return canonicalJson({ v: 2, chain: h.chain, chainSeq: h.chainSeq, hash: h.hash, jurisdiction: h.jurisdiction ?? null });
}

export function sortHeads<T extends ChainHead>(heads: T[]): T[] {
  return [...heads].sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0));
}

export function merkleRoot(alg: HashAlg, heads: ChainHead[], format: LeafFormat = LEAF_FORMAT): string {
  if (heads.length === 0) return EMPTY_ROOT;
  let level = sortHeads(heads).map((h) => hashHex(alg, '\x00', leafText(h, format)));
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? hashHex(alg, '\x01', level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}
