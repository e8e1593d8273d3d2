// R-APP-08, R-SUP-06: the special-filing register of the caller's subtree, for the discipline body
// (纪检监察): JSON pages, or the whole period as CSV or XLSX. Supervisors and auditors of a county or above.
import crypto from 'node:crypto';
import type { Prisma } from '../../activities/db';
import { appendAudit } from '../../activities/audit-log';
import type { User } from '../auth';
import type { RateLimits } from '../rate-limit';
import { maskIdNumber } from '../../workflows/rules/id-number';
import type { ApiRoutes } from '../route';
import { READERS } from '../roles';
import { forbidden, unprocessable } from '../problems';
import { specialFilingsCsv, specialFilingsXlsx } from './export-files';
import { specialFilingsQuery, specialFilingsResponse, type SpecialFilingEntry } from './schemas';

/** A file holds the whole period; past this the caller narrows it (a technical bound, not policy). */
const MAX_FILE_ROWS = 10_000;

const REASON_LABELS: Record<string, string> = {
  staff_near_relative: '经办人员或村（居）委会成员近亲属',
  public_employee_relative: '财政供养人员或其近亲属',
  commercial_housing: '拥有商品房',
  consumer_vehicle: '拥有非营运车辆',
  business_registration: '有工商登记',
};

const day = (d: string) => new Date(`${d}T00:00:00Z`);

/** Issue 21 §5.6: who read the register, which scope and period, in what form, how many rows. */
async function auditRead(prisma: Prisma, user: User, read: { scope: string; from: string; to: string; format: string; rows: number }): Promise<void> {
  await prisma.$transaction((tx) =>
    appendAudit(
      tx,
      [{ key: `special-filings-${read.format === 'json' ? 'read' : 'exported'}-${crypto.randomUUID()}`, at: Date.now(), actor: user.sub, actorRole: user.role, action: read.format === 'json' ? 'special_filings.read' : 'special_filings.exported', data: read }],
      { jurisdiction: user.jurisdiction },
    ),
  );
}

export function registerSpecialFilingRoutes(routes: ApiRoutes, deps: { prisma: Prisma; limits?: RateLimits }): void {
  routes.add({
    method: 'get',
    path: '/v1/special-filings',
    tag: 'Supervision',
    summary: 'The special-filing register of a period, for the discipline body (R-APP-08, R-SUP-06)',
    description: 'Cases enrolled in the period that were specially filed, one entry per case and reason, in the caller’s subtree. ID numbers are masked.',
    roles: READERS,
    query: specialFilingsQuery,
    responses: {
      200: { description: 'json: a page of entries; csv (text/csv, UTF-8 with BOM) or xlsx: the whole period', schema: specialFilingsResponse },
    },
    handler: async ({ user, query }) => {
      // the register is the county's: kept and read from a county upwards
      if (user.jurisdiction.length > 6) throw forbidden('the special-filing register is read by supervisors and auditors of a county, city or province');
      const scope = query.jurisdiction ?? user.jurisdiction;
      const file = query.format !== 'json';
      // a file is the whole period at once: its own, narrow per-user limit; pages stay under the ordinary one
      if (file) await deps.limits?.consume('export', `user:${user.sub}`);
      if (!scope.startsWith(user.jurisdiction)) return file ? fileReply(query.format, []) : { status: 200, body: { items: [], nextCursor: null } };
      const take = file ? MAX_FILE_ROWS + 1 : query.limit + 1;
      const rows = await deps.prisma.specialFiling.findMany({
        where: {
          villageCode: { startsWith: scope },
          enrolledOn: { gte: day(query.from), lte: day(query.to) },
          ...(!file && query.cursor ? { id: { gt: BigInt(query.cursor) } } : {}),
        },
        orderBy: { id: 'asc' },
        take,
      });
      if (file && rows.length > MAX_FILE_ROWS) throw unprocessable(`more than ${MAX_FILE_ROWS} entries in the period: narrow it`, [{ path: 'query.from', message: 'narrow the period' }]);
      const villages = await deps.prisma.division.findMany({ where: { code: { in: [...new Set(rows.map((r) => r.villageCode))] } }, select: { code: true, name: true } });
      const entries: SpecialFilingEntry[] = rows.slice(0, file ? MAX_FILE_ROWS : query.limit).map((r) => ({
        id: r.id.toString(),
        caseId: r.caseId,
        householdId: r.householdId,
        countyCode: r.countyCode,
        villageCode: r.villageCode,
        villageName: villages.find((v) => v.code === r.villageCode)?.name ?? '',
        programme: r.programme,
        reason: r.reason,
        reasonLabel: REASON_LABELS[r.reason] ?? r.reason,
        applicantName: r.applicantName,
        applicantIdNumber: maskIdNumber(r.applicantIdNumber),
        staffIds: r.staffIds,
        relations: r.relations as SpecialFilingEntry['relations'],
        visitors: r.visitors,
        monthlyFen: r.monthlyFen,
        enrolledOn: r.enrolledOn.toISOString().slice(0, 10),
      }));
      // written before the answer leaves: no register read goes unrecorded
      await auditRead(deps.prisma, user, { scope, from: query.from, to: query.to, format: query.format, rows: entries.length });
      if (file) return fileReply(query.format, entries, `special-filings-${scope}-${query.from}-${query.to}`);
      return { status: 200, body: { items: entries, nextCursor: rows.length > query.limit ? entries.at(-1)!.id : null } };
    },
  });
}

async function fileReply(format: 'csv' | 'xlsx' | 'json', entries: SpecialFilingEntry[], name = 'special-filings') {
  const disposition = (ext: string) => ({ 'Content-Disposition': `attachment; filename="${name}.${ext}"` });
  if (format === 'csv') return { status: 200, body: null, headers: disposition('csv'), file: { type: 'text/csv; charset=utf-8', data: specialFilingsCsv(entries) } };
  return {
    status: 200,
    body: null,
    headers: disposition('xlsx'),
    file: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', data: await specialFilingsXlsx(entries) },
  };
}
