// R-APP-10, R-SUP-04: the publicity archive (公示档案). When a case arrives at the publicity step, the
// arrival's own activity (case-context.ts enterStep) keeps what is posted, where and from when to when,
// one row per case and round (a retry writes nothing twice): no workflow command of its own.
import type { Prisma } from '../db';
import type { CaseRecord } from '../../workflows/kit/records';
import { chinaDate } from '../../workflows/rules/dates';
import { publicityNotice } from '../../workflows/rules/publicity';
import type { Member, Programme, PublicityChannel } from '../../workflows/rules/types';

/** The parts of the case projection (workflows/application/state.ts view) a publicity is made from. */
interface PublicityView {
  programme: Programme;
  villageCode: string;
  household: { members: Member[] };
  townshipReview: { coveredMembers: string[]; proposedMonthlyFen?: number; publicityChannels?: PublicityChannel[] } | null;
  publicity: { round: number; from: string; until: string } | null;
}

export interface PublicityArchiveEntry {
  round: number;
  channels: string[];
  from: string;
  until: string;
  posted: unknown;
}

export function createPublicityArchive(prisma: Prisma) {
  return {
    /** Keeps the publicity a record at step `publicity` shows; `defaultChannels` from the policy (R-APP-10). */
    async archive(record: CaseRecord, defaultChannels: PublicityChannel[] | undefined): Promise<void> {
      const v = record.view as PublicityView;
      if (record.step !== 'publicity' || !v.publicity || !v.townshipReview) return;
      const village = await prisma.division.findUnique({ where: { code: v.villageCode }, select: { name: true } });
      const from = new Date(v.publicity.from);
      const posted = publicityNotice({
        programme: v.programme,
        village: { code: v.villageCode, name: village?.name ?? '' },
        members: v.household.members,
        covered: v.townshipReview.coveredMembers,
        monthlyFen: v.townshipReview.proposedMonthlyFen,
        on: chinaDate(from.getTime()),
      });
      await prisma.publicityArchive.createMany({
        data: [
          {
            caseId: record.caseId,
            round: v.publicity.round,
            villageCode: v.villageCode,
            channels: v.townshipReview.publicityChannels ?? defaultChannels ?? [],
            postedFrom: from,
            postedUntil: new Date(v.publicity.until),
            content: posted as object,
          },
        ],
        skipDuplicates: true,
      });
    },

    /** A case's publicity rounds, oldest first, as archived. */
    async entries(caseId: string): Promise<PublicityArchiveEntry[]> {
      const rows = await prisma.publicityArchive.findMany({ where: { caseId }, orderBy: { round: 'asc' } });
      return rows.map((r) => ({ round: r.round, channels: r.channels, from: r.postedFrom.toISOString(), until: r.postedUntil.toISOString(), posted: r.content }));
    },
  };
}
