// The special-filing register as the discipline body (纪检监察) opens it: a CSV (UTF-8 with BOM, so
// Excel shows the Chinese text) or an XLSX workbook (write-excel-file), one row per case and reason.
import writeXlsxFile from 'write-excel-file/node';
import type { SpecialFilingEntry } from './schemas';

const COLUMNS: [string, (e: SpecialFilingEntry) => string | number][] = [
  ['案件编号', (e) => e.caseId],
  ['户编号', (e) => e.householdId],
  ['区县代码', (e) => e.countyCode],
  ['村（社区）', (e) => `${e.villageName}（${e.villageCode}）`],
  ['救助类别', (e) => (e.programme === 'TEKUN' ? '特困' : '低保')],
  ['申请人', (e) => e.applicantName],
  ['身份证号（脱敏）', (e) => e.applicantIdNumber],
  ['备案情形', (e) => e.reasonLabel],
  ['相关工作人员', (e) => e.staffIds.join('、')],
  ['亲属关系', (e) => e.relations.map((r) => `${r.staffId}—${r.memberName}（${r.relation}，${r.source === 'register' ? '备案' : '申报'}）`).join('；')],
  ['县级入户核查人员', (e) => e.visitors.join('、')],
  ['月保障金额（元）', (e) => e.monthlyFen / 100],
  ['纳入日期', (e) => e.enrolledOn],
];

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet never runs a cell as a formula. */
function csvCell(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function specialFilingsCsv(entries: SpecialFilingEntry[]): string {
  const lines = [COLUMNS.map(([h]) => h), ...entries.map((e) => COLUMNS.map(([, f]) => f(e)))].map((row) => row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function specialFilingsXlsx(entries: SpecialFilingEntry[]): Promise<Buffer> {
  const header = COLUMNS.map(([h]) => ({ value: h, fontWeight: 'bold' as const }));
  const rows = entries.map((e) => COLUMNS.map(([, f]) => ({ value: f(e) })));
  return writeXlsxFile([header, ...rows], { sheet: '特殊情形备案' }).toBuffer();
}
