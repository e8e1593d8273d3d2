// The roles of DOMAIN.md "Actors and jurisdiction".
export const ROLES = [
  'village_assistant',
  'township_caseworker',
  'township_leader',
  'county_caseworker',
  'county_approver',
  'finance_officer',
  'bank',
  'supervisor',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that read cases in their subtree without acting on them. */
export const READERS: Role[] = ['supervisor', 'auditor'];
/** Staff who work cases (and so may read them in their subtree). */
export const CASE_STAFF: Role[] = ['village_assistant', 'township_caseworker', 'township_leader', 'county_caseworker', 'county_approver'];
