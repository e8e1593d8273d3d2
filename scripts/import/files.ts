// Legacy roster files for `npm run import`: JSON (`{ households: [...] }` or an array of households, as
// POST /v1/roster/import takes them), CSV (UTF-8, one row per member) and XLSX (the first sheet, the same
// columns). CSV/XLSX rows are grouped into households by the `household` column (the legacy key, kept as
// legacyId); household columns are read from the group's first row, later rows may leave them empty.
import fs from 'node:fs';
import readSheet from 'read-excel-file/node';

/** The columns of a CSV/XLSX roster, in this order in the template (README "Roster"). */
export const COLUMNS = [
  'household', 'programme', 'villageCode', 'residence', 'enrolledOn', 'lastReviewOn', 'monthlyFen', 'reviewClass',
  'bank', 'accountNo', 'holderIdNumber',
  'name', 'idNumber', 'relation', 'birthDate', 'disabilityGrade', 'severeIllness', 'ableToWork', 'student',
] as const;
const REQUIRED = ['household', 'idNumber'];
const HOUSEHOLD_TEXT = ['programme', 'villageCode', 'residence', 'enrolledOn', 'lastReviewOn', 'reviewClass'] as const;
const MEMBER_TEXT = ['name', 'idNumber', 'relation', 'birthDate'] as const;
const BOOLEANS = ['severeIllness', 'ableToWork', 'student'] as const;

export interface RosterFile {
  households: unknown[];
  /** a label per household for the report: the legacy key and first line (CSV/XLSX) */
  labels: string[];
}

export class FileError extends Error {}

export async function readRosterFile(file: string): Promise<RosterFile> {
  if (/\.json$/i.test(file)) {
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    const households = Array.isArray(data) ? data : data?.households;
    if (!Array.isArray(households)) throw new FileError(`${file}: expected { "households": [...] } or an array of households`);
    return { households, labels: households.map((h: { legacyId?: unknown }) => (typeof h?.legacyId === 'string' ? h.legacyId : '')) };
  }
  if (/\.csv$/i.test(file)) return groupRows(parseCsv(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '')), 1);
  if (/\.xlsx$/i.test(file)) {
    const sheets = await readSheet(fs.readFileSync(file));
    const cells = (sheets[0]?.data ?? []).map((row) => row.map(cellText));
    return groupRows(cells, 1);
  }
  throw new FileError(`${file}: a .json, .csv or .xlsx file`);
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).trim();
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += c;
  }
  if (field !== '' || row.length) row.push(field), rows.push(row);
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

/** A number where the cell holds one; anything else stays text, so the row's check names the field. */
const numberOr = (s: string) => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s);
const booleanOr = (s: string) => (/^(true|1|是|y|yes)$/i.test(s) ? true : /^(false|0|否|n|no)$/i.test(s) ? false : s);

/** Rows with a header line → households, in the order their key first appears. */
export function groupRows(cells: string[][], firstLine: number): RosterFile {
  const [header, ...rows] = cells;
  if (!header) throw new FileError('the file is empty');
  const names = header.map((h) => h.trim());
  const missing = REQUIRED.filter((c) => !names.includes(c));
  if (missing.length) throw new FileError(`missing column(s) ${missing.join(', ')}; the columns are: ${COLUMNS.join(',')}`);
  const unknown = names.filter((n) => n && !(COLUMNS as readonly string[]).includes(n));
  if (unknown.length) throw new FileError(`unknown column(s) ${unknown.join(', ')}; the columns are: ${COLUMNS.join(',')}`);
  const groups = new Map<string, { line: number; rows: Record<string, string>[] }>();
  rows.forEach((cellsOfRow, i) => {
    const r = Object.fromEntries(names.map((n, j) => [n, (cellsOfRow[j] ?? '').trim()]));
    const key = r.household;
    if (!groups.has(key)) groups.set(key, { line: firstLine + i + 1, rows: [] });
    groups.get(key)!.rows.push(r);
  });
  const households: unknown[] = [];
  const labels: string[] = [];
  for (const [key, g] of groups) {
    const first = (col: string) => g.rows.map((r) => r[col]).find((v) => v !== undefined && v !== '');
    const h: Record<string, unknown> = { legacyId: key };
    for (const c of HOUSEHOLD_TEXT) if (first(c) !== undefined) h[c] = first(c);
    if (first('monthlyFen') !== undefined) h.monthlyFen = numberOr(first('monthlyFen')!);
    const account = { bank: first('bank'), accountNo: first('accountNo'), holderIdNumber: first('holderIdNumber') };
    if (Object.values(account).some((v) => v !== undefined)) h.account = account;
    h.members = g.rows.map((r) => {
      const m: Record<string, unknown> = {};
      for (const c of MEMBER_TEXT) if (r[c]) m[c] = r[c];
      if (r.disabilityGrade) m.disabilityGrade = numberOr(r.disabilityGrade);
      for (const c of BOOLEANS) if (r[c]) m[c] = booleanOr(r[c]);
      return m;
    });
    households.push(h);
    labels.push(`household ${key || '(no key)'}, line ${g.line}`);
  }
  return { households, labels };
}
