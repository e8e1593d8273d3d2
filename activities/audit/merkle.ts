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
}

export const EMPTY_ROOT = '0'.repeat(64);

export function leafText(h: ChainHead): string {
  return canonicalJson({ chain: h.chain, chainSeq: h.chainSeq, hash: h.hash });
}

export function sortHeads<T extends ChainHead>(heads: T[]): T[] {
  return [...heads].sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0));
}

export function merkleRoot(alg: HashAlg, heads: ChainHead[]): string {
  if (heads.length === 0) return EMPTY_ROOT;
  let level = sortHeads(heads).map((h) => hashHex(alg, '\x00', leafText(h)));
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? hashHex(alg, '\x01', level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}
