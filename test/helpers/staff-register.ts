// The staff register as the workflow tests see it: the seed's staff (prisma/seed/demo.json) and a few
// test-only people. A client that stands in for the API resolves the people a command names here and adds
// their facts (issue 21 §2), as the API does from the database; a test that gives `staff` itself (forged
// or missing facts, sent straight to Temporal) keeps what it gave.
import type { WorkflowClientInterceptor } from '@temporalio/client';
import demo from '../../prisma/seed/demo.json';
import { namedStaff } from '../../workflows/steps/staff';
import type { StaffFact } from '../../workflows/application/messages';
import { canonicalStaffId } from '../../workflows/rules/recusal';

/** Test-only staff: a second leader of 演示镇 (delegation tests), a fourth approver of 演示县, a village assistant of 沁水县's village. */
const TEST_STAFF: StaffFact[] = [
  { id: 'wujun', role: 'county_approver', jurisdiction: '140599', active: true },
  { id: 'leader2', role: 'township_leader', jurisdiction: '140599100', active: true },
  { id: 'qs-va1', role: 'village_assistant', jurisdiction: '140521100201', active: true },
];

export const REGISTER: StaffFact[] = [...demo.staff.map((x) => ({ id: x.staffId, role: x.role, jurisdiction: x.jurisdiction, active: true })), ...TEST_STAFF];

/** The register's facts of these people (unknown ids are left out, as the API would refuse them). */
export function factsOf(...ids: string[]): StaffFact[] {
  const wanted = [...new Set(ids.map(canonicalStaffId))];
  return REGISTER.filter((f) => wanted.includes(f.id));
}

/** For a client that acts as the API: adds the named staff's facts to a command that has none yet. */
export function staffFactsInterceptor(): WorkflowClientInterceptor {
  return {
    startUpdate(input, next) {
      const [first, ...rest] = input.args;
      if (typeof first !== 'object' || first === null || !('actor' in first) || 'staff' in first || 'auth' in first) return next(input);
      const named = namedStaff(input.updateName, first as Parameters<typeof namedStaff>[1]);
      if (!named.length) return next(input);
      return next({ ...input, args: [{ ...first, staff: factsOf(...named.map((n) => n.id)) }, ...rest] });
    },
  };
}
