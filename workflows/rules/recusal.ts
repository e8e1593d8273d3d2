// R-APP-09 recusal (回避): staff with a near relative (R-REL-02) in the household may not investigate,
// take part in review, or approve the case. Relations come from the applicant's declaration (R-APP-02)
// and from the staff near-relative register (R-SUP-06).
import type { NearRelativeDeclaration } from './types';

export interface StaffRelation {
  staffId: string;
  memberIdNumber: string;
  relation: string;
  source: 'declaration' | 'register';
}

/** R-REL-02: the relations that count as near relatives. */
export const NEAR_RELATIONS = [
  'spouse', 'parent', 'child', 'sibling', 'grandparent', 'grandchild',
  'uncle_aunt', 'cousin', 'nephew_niece',
  'spouse_parent', 'spouse_sibling', 'spouse_sibling_spouse', 'child_spouse', 'child_spouse_parent',
] as const;

export function declaredRelations(declaration: NearRelativeDeclaration): StaffRelation[] {
  return (declaration.relations ?? []).map((r) => ({ ...r, source: 'declaration' as const }));
}

/**
 * R-APP-09: staff ids compare canonically (trimmed, lower-case): the register's `liuyang` and a token's
 * `LiuYang` are the same person, for recusal and for counting distinct people.
 */
export const canonicalStaffId = (id: string): string => id.trim().toLowerCase();

/** The staff ids among `staffIds` who must step aside, with why. */
export function recused(staffIds: string[], relations: StaffRelation[]): { staffId: string; relation: string; memberIdNumber: string }[] {
  return staffIds.flatMap((id) => relations.filter((r) => canonicalStaffId(r.staffId) === canonicalStaffId(id)).slice(0, 1));
}
