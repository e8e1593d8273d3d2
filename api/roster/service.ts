// The roster (花名册) as read by staff: households in the caller's subtree with their next review date
// (R-REV-01), and one household with its members and masked account. Outside the subtree: a list
// is refused (403, naming the jurisdiction), a household does not exist (404, API.md).
import type { Prisma } from '../../activities/db';
import { maskIdNumber } from '../../workflows/rules/id-number';
import { chinaDate } from '../../workflows/rules/dates';
import { inSubtree, type User } from '../auth';
import { keysetPage } from '../paging';
import { forbidden, notFound } from '../problems';
import type { Role } from '../roles';
import { RosterImporter, type ImportResult } from './import';

/** Staff who act on a household's identity (review, pay, verify) see ID numbers in full; readers see them masked. */
export const SEES_ID_NUMBERS: Role[] = ['township_caseworker', 'township_leader', 'county_caseworker', 'county_approver'];

const iso = (d: Date) => d.toISOString().slice(0, 10);
const maskAccount = (no: string) => `${'*'.repeat(Math.max(0, no.length - 4))}${no.slice(-4)}`;

export class RosterService {
  private readonly importer: RosterImporter;

  constructor(private readonly prisma: Prisma) {
    this.importer = new RosterImporter(prisma);
  }

  /** POST /v1/roster/import: rows of the caller's county only (R-SEC-01, per row). */
  import(user: User, body: { households: unknown[]; source?: string; firstIndex?: number }): Promise<ImportResult> {
    return this.importer.import(body.households, {
      actor: { sub: user.sub, role: user.role, jurisdiction: user.jurisdiction },
      source: body.source ?? `api:${user.sub}`,
      today: chinaDate(Date.now()),
      firstIndex: body.firstIndex,
    });
  }

  async list(user: User, q: { jurisdiction?: string; programme?: string; status?: string; dueBefore?: string; limit: number; cursor?: string }) {
    const scope = q.jurisdiction ?? user.jurisdiction;
    if (!inSubtree(user, scope)) throw forbidden(`jurisdiction ${scope} is outside your jurisdiction ${user.jurisdiction}`, [{ path: 'query.jurisdiction', message: 'outside your jurisdiction' }]);
    const rows = await this.prisma.household.findMany({
      where: {
        villageCode: { startsWith: scope },
        ...(q.programme ? { programme: q.programme } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.dueBefore ? { nextReviewOn: { lte: new Date(`${q.dueBefore}T00:00:00Z`) } } : {}),
        ...(q.cursor ? { householdId: { gt: q.cursor } } : {}),
      },
      orderBy: { householdId: 'asc' },
      take: q.limit + 1,
    });
    return keysetPage('roster', rows, q.limit, (r) => r.householdId, rosterItem);
  }

  async get(user: User, householdId: string) {
    const h = await this.prisma.household.findUnique({ where: { householdId }, include: { members: { orderBy: { idNumber: 'asc' } }, account: true } });
    if (!h || !inSubtree(user, h.villageCode)) throw notFound(`no household ${householdId}`);
    const full = SEES_ID_NUMBERS.includes(user.role);
    return {
      ...rosterItem(h),
      residence: h.residence,
      paymentStartMonth: h.paymentStartMonth,
      singlePerson: h.singlePerson,
      legacyId: h.legacyId,
      members: h.members.map((m) => ({
        name: m.name,
        idNumber: full ? m.idNumber : maskIdNumber(m.idNumber),
        relation: m.relation,
        birthDate: iso(m.birthDate),
        covered: m.covered,
        active: m.active,
      })),
      account: h.account ? { bank: h.account.bank, accountNo: maskAccount(h.account.accountNo), holderName: h.account.holderName } : null,
      // the monthly roll (R-PAY-03) records payments; until it exists there is no history to show
      payments: [],
    };
  }
}

/** A household as the roster lists it; GET /v1/households/{id} adds its members, account and history. */
function rosterItem(h: { householdId: string; programme: string; villageCode: string; status: string; monthlyFen: number; enrolledOn: Date; reviewClass: string; nextReviewOn: Date; source: string }) {
  return {
    householdId: h.householdId,
    programme: h.programme,
    villageCode: h.villageCode,
    status: h.status,
    monthlyFen: h.monthlyFen,
    enrolledOn: iso(h.enrolledOn),
    reviewClass: h.reviewClass,
    nextReviewOn: iso(h.nextReviewOn),
    source: h.source,
  };
}
