// R-SUP-05: the anchor file against the audit_anchor table. The file is the copy the database owner
// cannot reach (append-only on the worker's disk, copied off the machine): every line must be validly
// signed, and the table must hold exactly what the file holds. A line missing from the table means an
// anchor was deleted (or, rarely, its commit failed after the line was written: the worker logs that).
import fs from 'node:fs';
import type { Prisma } from '../db';
import { canonicalJson } from '../audit-log';
import { anchorProblem, type AnchorRecord } from './anchor-statement';
import type { VerifyKey } from './keys';

export interface AnchorFileCheck {
  ok: boolean;
  /** lines in the file */
  anchors: number;
  problems: { anchorId: string; reason: string }[];
}

export function readAnchorFile(file: string): AnchorRecord[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as AnchorRecord);
}

const same = (a: AnchorRecord, b: AnchorRecord) => canonicalJson(a) === canonicalJson(b);

export async function checkAnchorFile(prisma: Prisma, file: string, keys: Map<string, VerifyKey>): Promise<AnchorFileCheck> {
  const lines = readAnchorFile(file);
  const problems: AnchorFileCheck['problems'] = [];
  const rows = await prisma.auditAnchor.findMany({ orderBy: { id: 'asc' } });
  const table = new Map<string, AnchorRecord>(
    rows.map((r) => [
      r.id.toString(),
      { id: r.id.toString(), anchoredAt: r.anchoredAt.toISOString(), root: r.root, prevRoot: r.prevRoot, suite: r.suite, keyId: r.keyId, signature: r.signature, heads: r.heads as unknown as AnchorRecord['heads'] },
    ]),
  );
  const inFile = new Set<string>();
  for (const line of lines) {
    inFile.add(line.id);
    const problem = anchorProblem(line, keys);
    if (problem) problems.push({ anchorId: line.id, reason: `in the file: ${problem}` });
    const row = table.get(line.id);
    if (!row) problems.push({ anchorId: line.id, reason: `anchor ${line.id} is in the anchor file but not in the database` });
    else if (!same(row, line)) problems.push({ anchorId: line.id, reason: `anchor ${line.id} in the database differs from the anchor file` });
  }
  // anchors newer than the file's last line came after this copy was taken
  const last = lines.length ? BigInt(lines[lines.length - 1].id) : 0n;
  for (const r of rows) {
    if (r.id <= last && !inFile.has(r.id.toString())) problems.push({ anchorId: r.id.toString(), reason: `anchor ${r.id} is in the database but not in the anchor file` });
  }
  return { ok: problems.length === 0, anchors: lines.length, problems };
}
