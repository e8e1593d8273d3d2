// The roles of DOMAIN.md "Actors and jurisdiction".
export const ROLES = [
  'village_assistant',
  'township_caseworker',
  'township_leader',
  'county_caseworker',
  'county_approver',
  'finance_officer',
  'bank',
  // a system partner (API.md "Deaths": civil registry, funeral home, police; R-REV-05's partner agencies): a
  // machine client, not staff; its token's jurisdiction is the area it reports for. It posts, never reads.
  'partner',
  'supervisor',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that read cases in their subtree without acting on them. */
export const READERS: Role[] = ['supervisor', 'auditor'];
/** Who posts records from outside (death records, alerts): never a reader of anything. */
export const PARTNER: Role = 'partner';
/** Staff who work cases (and so may read them in their subtree). */
export const CASE_STAFF: Role[] = ['village_assistant', 'township_caseworker', 'township_leader', 'county_caseworker', 'county_approver'];
