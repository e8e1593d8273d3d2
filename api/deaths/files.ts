// POST /v1/death-records as a file: `text/csv` (UTF-8, BOM allowed) or XLSX (the first sheet, as the roster
// import reads it), header `idNumber,name,dateOfDeath`, the source in `?source=`. Turned into the JSON body
// before the route checks it, so every format goes through the same checks, row by row.
import type { RequestHandler } from 'express';
import express from 'express';
import readSheet from 'read-excel-file/node';
import { parseCsv } from '../../scripts/import/files';
import { badRequest, HttpProblem } from '../problems';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const FILE_LIMIT = '4mb';

const cellText = (v: unknown) => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).trim());

function records(cells: string[][]): Record<string, string>[] {
  const [header, ...rows] = cells;
  const names = (header ?? []).map((h) => h.trim());
  const missing = ['idNumber', 'name', 'dateOfDeath'].filter((c) => !names.includes(c));
  if (missing.length) throw badRequest(`the file's header must name idNumber, name, dateOfDeath`, missing.map((c) => ({ path: `header.${c}`, message: 'missing column' })));
  return rows.map((r) => Object.fromEntries(['idNumber', 'name', 'dateOfDeath'].map((c) => [c, (r[names.indexOf(c)] ?? '').trim()])));
}

/** Parses a CSV or XLSX death-record file into `{ source, records }`; JSON passes through untouched. */
export function deathRecordFiles(): RequestHandler[] {
  const csv = express.text({ type: ['text/csv'], limit: FILE_LIMIT });
  const xlsx = express.raw({ type: [XLSX_TYPE], limit: FILE_LIMIT });
  const convert: RequestHandler = (req, _res, next) => {
    const source = typeof req.query.source === 'string' ? req.query.source : undefined;
    if (req.is('text/csv') && typeof req.body === 'string') {
      req.body = { source, records: records(parseCsv(req.body.replace(/^\uFEFF/, ''))) };
      return next();
    }
    if (req.is(XLSX_TYPE) && Buffer.isBuffer(req.body)) {
      readSheet(req.body)
        .then((sheets) => {
          req.body = { source, records: records((sheets[0]?.data ?? []).map((row) => row.map(cellText))) };
          next();
        })
        .catch((err) => next(err instanceof HttpProblem ? err : badRequest('not a readable XLSX file', [{ path: '(body)', message: 'not a readable XLSX file' }])));
      return;
    }
    next();
  };
  return [csv, xlsx, convert];
}
