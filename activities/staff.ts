// R-SUP-06 near-relative register, read for recusal (R-APP-09) and special filing (R-APP-08).
import type { Prisma } from './db';
import type { StaffRelation } from '../workflows/rules/recusal';

export function createStaffActivities(prisma: Prisma) {
  return {
    async findStaffRelations(input: { idNumbers: string[] }): Promise<StaffRelation[]> {
      const rows = await prisma.staffRelative.findMany({ where: { relativeIdNumber: { in: input.idNumbers } }, orderBy: { id: 'asc' } });
      return rows.map((r) => ({ staffId: r.staffId, memberIdNumber: r.relativeIdNumber, relation: r.relation, source: 'register' as const }));
    },
  };
}
