// R-SUP-05 (issue 11 §4): the Merkle root and the anchor signature, without a database.
import crypto from 'node:crypto';
import { anchorProblem, anchorStatement, type AnchorRecord } from '../../activities/audit/anchor-statement';
import { signerFromPem, verifyKeyOf, verifyKeysFromPem } from '../../activities/audit/keys';
import { EMPTY_ROOT, leafText, merkleRoot, type ChainHead } from '../../activities/audit/merkle';

const sha256 = (...p: string[]) => p.reduce((h, x) => h.update(x), crypto.createHash('sha256')).digest('hex');
const newSigner = () => signerFromPem(crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));

const heads: ChainHead[] = [
  { chain: 'application-b', chainSeq: '7', hash: 'b'.repeat(64) },
  { chain: 'application-a', chainSeq: '3', hash: 'a'.repeat(64) },
  { chain: 'system', chainSeq: '1', hash: 'c'.repeat(64) },
];

describe('R-SUP-05 §4 audit: Merkle root over chain heads', () => {
  it('R-SUP-05 §4 audit: the root is computed by hand from sorted leaves (0x00 leaf, 0x01 node, odd node carried up)', () => {
    const leaf = (h: ChainHead) => sha256('\x00', leafText(h));
    const [a, b, s] = [heads[1], heads[0], heads[2]].map(leaf);
    expect(merkleRoot('sha256', heads)).toBe(sha256('\x01', sha256('\x01', a, b), s));
    expect(leafText(heads[1])).toBe(`{"chain":"application-a","chainSeq":"3","hash":"${'a'.repeat(64)}","jurisdiction":null,"v":2}`);
    // anchors made before issue 21 §5.3 (format 1) keep their leaves
    expect(leafText(heads[1], 1)).toBe(`{"chain":"application-a","chainSeq":"3","hash":"${'a'.repeat(64)}"}`);
  });

  it('R-SUP-05 §5.3: the leaf holds the head’s jurisdiction: re-tagging a head changes the root', () => {
    const tagged = heads.map((h) => ({ ...h, jurisdiction: '140521' }));
    const retagged = tagged.map((h, i) => (i === 0 ? { ...h, jurisdiction: '140599' } : h));
    expect(merkleRoot('sha256', retagged)).not.toBe(merkleRoot('sha256', tagged));
  });

  it('R-SUP-05 §4 audit: the root does not depend on the order of the heads, and changes with any head', () => {
    expect(merkleRoot('sha256', [...heads].reverse())).toBe(merkleRoot('sha256', heads));
    const moved = heads.map((h, i) => (i === 0 ? { ...h, chainSeq: '8' } : h));
    expect(merkleRoot('sha256', moved)).not.toBe(merkleRoot('sha256', heads));
    expect(merkleRoot('sha256', [])).toBe(EMPTY_ROOT);
  });
});

describe('R-SUP-05 §4 audit: anchor signatures (Ed25519)', () => {
  const signer = newSigner();
  const keys = new Map([[signer.keyId, verifyKeyOf(signer)]]);
  const anchor = (s = signer, claimedKeyId = s.keyId): AnchorRecord => {
    const unsigned = { anchoredAt: '2026-11-25T02:00:00.000Z', root: merkleRoot('sha256', heads), prevRoot: EMPTY_ROOT, suite: 'ed25519-sha256', keyId: claimedKeyId };
    return { id: '1', ...unsigned, signature: s.sign(anchorStatement(unsigned)), heads: heads.map((h) => ({ ...h, jurisdiction: null })) };
  };

  it('R-SUP-05 §5.3: an anchor signed before the jurisdiction was in the leaf (format 1) still verifies; a re-tagged format-2 anchor does not', () => {
    const tagged = heads.map((h) => ({ ...h, jurisdiction: '140521' }));
    const sign = (root: string): AnchorRecord => {
      const unsigned = { anchoredAt: '2026-11-25T02:00:00.000Z', root, prevRoot: EMPTY_ROOT, suite: 'ed25519-sha256', keyId: signer.keyId };
      return { id: '9', ...unsigned, signature: signer.sign(anchorStatement(unsigned)), heads: tagged };
    };
    expect(anchorProblem(sign(merkleRoot('sha256', tagged, 1)), keys)).toBeUndefined();
    const current = sign(merkleRoot('sha256', tagged));
    expect(anchorProblem(current, keys)).toBeUndefined();
    const retagged = { ...current, heads: tagged.map((h, i) => (i === 0 ? { ...h, jurisdiction: '140599' } : h)) };
    expect(anchorProblem(retagged, keys)).toMatch(/Merkle root/);
  });

  it('R-SUP-05 §4 audit: a root signed with the configured key verifies', () => {
    expect(anchorProblem(anchor(), keys)).toBeUndefined();
  });

  it('R-SUP-05 §4 audit: a forged anchor is refused: another key, or another key claiming the real key id', () => {
    const other = newSigner();
    expect(anchorProblem(anchor(other), keys)).toMatch(/not a configured ed25519-sha256 verification key/);
    expect(anchorProblem(anchor(other, signer.keyId), keys)).toMatch(/signature does not verify/);
  });

  it('R-SUP-05 §4 audit: heads changed after signing (or a root that is not theirs) are refused', () => {
    const a = anchor();
    expect(anchorProblem({ ...a, heads: a.heads.map((h, i) => (i === 0 ? { ...h, hash: 'd'.repeat(64) } : h)) }, keys)).toMatch(/not the Merkle root/);
    expect(anchorProblem({ ...a, prevRoot: '1'.repeat(64) }, keys)).toMatch(/signature does not verify/);
  });

  it('R-SUP-05 §4 audit: verification keys load from PEM text, several for a rotation, with stable key ids', () => {
    const other = newSigner();
    const pem = [signer, other].map((s) => s.publicKeyPem).join('\n');
    expect(verifyKeysFromPem(pem).map((k) => k.keyId)).toEqual([signer.keyId, other.keyId]);
    expect(signer.keyId).toMatch(/^[0-9a-f]{16}$/);
  });
});
