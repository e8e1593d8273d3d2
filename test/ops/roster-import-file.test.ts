// `npm run import` (issue 22 §2.1): JSON, CSV (one row per member, grouped by the household column) and
// XLSX files go through the same import as the API; bad rows are reported with their index and label.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import writeXlsxFile from 'write-excel-file/node';
import { COLUMNS, groupRows, parseCsv, readRosterFile } from '../../scripts/import/files';
import { importFile, progressLine } from '../../scripts/import/run';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { idNumberFor } from '../helpers/people';

let db: TestDatabase;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-import-'));
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Two good households (a couple, a single TEKUN person) and one with a wrong check digit, as rows per member. */
function memberRows(): string[][] {
  const wang = idNumberFor('1955-05-06');
  const li = idNumberFor('1957-09-30');
  const zhou = idNumberFor('1940-01-12');
  const bad = idNumberFor('1962-03-03').slice(0, 17) + 'Z';
  const row = (o: Partial<Record<(typeof COLUMNS)[number], string>>) => COLUMNS.map((c) => o[c] ?? '');
  const hh = { programme: 'DIBAO', villageCode: '140599100201', enrolledOn: '2020-06-01', monthlyFen: '90000', reviewClass: 'semiannual', bank: '农行', accountNo: '6228480000000000111', holderIdNumber: wang };
  return [
    [...COLUMNS],
    row({ household: 'A-1', ...hh, name: '王老汉', idNumber: wang, relation: 'self', birthDate: '1955-05-06' }),
    row({ household: 'B-2', programme: 'TEKUN', villageCode: '140599100201', enrolledOn: '2019-01-20', monthlyFen: '120000', reviewClass: 'annual', bank: '农行', accountNo: '6228480000000000222', holderIdNumber: zhou, name: '周孤老', idNumber: zhou, relation: 'self', birthDate: '1940-01-12', disabilityGrade: '2' }),
    row({ household: 'A-1', name: '李老太, "桂兰"', idNumber: li, relation: 'spouse', birthDate: '1957-09-30', severeIllness: '是' }),
    row({ household: 'C-3', ...hh, holderIdNumber: bad, name: '错号', idNumber: bad, relation: 'self', birthDate: '1962-03-03' }),
  ];
}

const toCsv = (rows: string[][]) => '\uFEFF' + rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';

describe('reading files', () => {
  it('R-APP-14: a CSV groups member rows into households by the household column, with quoted fields', async () => {
    const file = path.join(dir, 'roster.csv');
    fs.writeFileSync(file, toCsv(memberRows()));
    const { households, labels } = await readRosterFile(file);
    expect(labels).toEqual(['household A-1, line 2', 'household B-2, line 3', 'household C-3, line 5']);
    expect(households[0]).toMatchObject({ legacyId: 'A-1', monthlyFen: 90000, members: [{ name: '王老汉' }, { name: '李老太, "桂兰"', severeIllness: true }] });
    expect(households[1]).toMatchObject({ programme: 'TEKUN', members: [{ disabilityGrade: 2 }] });
  });

  it('a file with an unknown or missing column is refused naming it', () => {
    expect(() => groupRows(parseCsv('household,idNumber,colour\nA,1,red\n'), 1)).toThrow(/unknown column\(s\) colour/);
    expect(() => groupRows(parseCsv('name\nA\n'), 1)).toThrow(/missing column\(s\) household, idNumber/);
  });

  it('the progress line counts what was done', () => {
    expect(progressLine({ received: 100_000, done: 45_000, imported: 44_990, alreadyPresent: 0, rejected: 10 }, 10)).toBe('[#####     ] 45,000/100,000  imported 44,990  already 0  rejected 10');
  });
});

describe('npm run import', () => {
  it('R-APP-14: a CSV is imported: good households on the roster, the bad one reported with its index and label; again, nothing new', async () => {
    const file = path.join(dir, 'legacy.csv');
    fs.writeFileSync(file, toCsv(memberRows()));
    const first = await importFile(db.prisma, file, { county: '140599', by: 'operator' });
    expect(first).toMatchObject({ received: 3, imported: 2, alreadyPresent: 0 });
    expect(first.rejected).toEqual([{ index: 2, errors: expect.arrayContaining([expect.objectContaining({ path: 'members[0].idNumber' })]) }]);
    expect(first.labels[2]).toBe('household C-3, line 5');
    const rows = await db.prisma.household.findMany({ where: { importedFrom: 'legacy.csv' }, include: { members: true }, orderBy: { legacyId: 'asc' } });
    expect(rows.map((h) => [h.legacyId, h.members.length, h.reviewClass])).toEqual([
      ['A-1', 2, 'semiannual'],
      ['B-2', 1, 'annual'],
    ]);
    const again = await importFile(db.prisma, file, { county: '140599', by: 'operator' });
    expect(again).toMatchObject({ imported: 0, alreadyPresent: 2 });
  });

  it('R-APP-14: an XLSX with the same columns is imported the same way', async () => {
    const rows = memberRows();
    const file = path.join(dir, 'legacy.xlsx');
    // fresh people: the CSV's are on the roster already
    const ids = new Map<string, string>();
    const fresh = rows.map((r, i) => (i === 0 ? r : r.map((c) => (/^\d{17}[\dX]$/.test(c) ? (ids.get(c) ?? ids.set(c, idNumberFor(`${c.slice(6, 10)}-${c.slice(10, 12)}-${c.slice(12, 14)}`)).get(c)!) : c))));
    const data = fresh.map((r) => r.map((value) => ({ value, type: String })));
    fs.writeFileSync(file, await writeXlsxFile(data as never).toBuffer());
    const result = await importFile(db.prisma, file, { county: '140599', by: 'operator' });
    expect(result).toMatchObject({ received: 3, imported: 2, alreadyPresent: 0 });
    expect(result.rejected.map((r) => r.index)).toEqual([2]);
  });
});
