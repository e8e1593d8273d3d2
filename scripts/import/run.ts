// `npm run import`'s work, also what `npm run bench` measures: read the file, import it through the same
// RosterImporter as POST /v1/roster/import (writing straight to the database, as the operator), report.
import type { Prisma } from '../../activities/db';
import { RosterImporter, type ImportProgress, type ImportResult } from '../../api/roster/import';
import { chinaDate } from '../../workflows/rules/dates';
import { readRosterFile } from './files';

export interface ImportFileOptions {
  county: string;
  by: string;
  chunkSize?: number;
  onProgress?: (p: ImportProgress) => void;
}

export async function importFile(prisma: Prisma, file: string, o: ImportFileOptions): Promise<ImportResult & { labels: string[] }> {
  const { households, labels } = await readRosterFile(file);
  const result = await new RosterImporter(prisma).import(households, {
    actor: { sub: o.by, role: 'operator', jurisdiction: o.county },
    source: file.split('/').pop()!,
    today: chinaDate(Date.now()),
    chunkSize: o.chunkSize,
    onProgress: o.onProgress,
  });
  return { ...result, labels };
}

/** `[#########           ] 45,000/100,000  imported 44,990  already 0  rejected 10` */
export function progressLine(p: ImportProgress, width = 30): string {
  const share = p.received ? p.done / p.received : 1;
  const bar = '#'.repeat(Math.round(share * width)).padEnd(width, ' ');
  const n = (x: number) => x.toLocaleString('en-US');
  return `[${bar}] ${n(p.done)}/${n(p.received)}  imported ${n(p.imported)}  already ${n(p.alreadyPresent)}  rejected ${n(p.rejected)}`;
}
