// A system partner (api/roles.ts `partner`: civil registry, funeral home, police, the agencies of R-REV-05) is
// a machine client the staff register does not list: its token is its credential and the token's jurisdiction
// bounds what its records reach (matched only inside it, API.md "Deaths"). A token naming a registered staff
// member as a partner is refused, so no staff id ever acts as a partner in the audit trail.
import type { Prisma } from '../activities/db';
import type { Actor } from '../workflows/rules/types';
import { canonicalStaffId } from '../workflows/rules/recusal';
import { actorOf, type User } from './auth';
import { forbidden } from './problems';
import { PARTNER } from './roles';

export const isPartner = (user: User): boolean => user.role === PARTNER;

export async function partnerActor(prisma: Prisma, user: User): Promise<Actor> {
  const staff = await prisma.staffMember.findUnique({ where: { staffId: canonicalStaffId(user.sub) }, select: { staffId: true } });
  if (staff) throw forbidden(`${user.sub} is registered staff, not a system partner`);
  return actorOf(user);
}
