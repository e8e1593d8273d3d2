// R-APP-08 special-circumstance filing (特殊情形单独登记备案): the case is registered separately, the
// county visits the home itself, and the filing is reported to the discipline body.
import type { NearRelativeDeclaration, VerificationReport } from './types';
import type { StaffRelation } from './recusal';

export type SpecialFilingReason =
  | 'staff_near_relative'
  | 'public_employee_relative'
  | 'commercial_housing'
  | 'consumer_vehicle'
  | 'business_registration';

export function specialFilingReasons(
  declaration: NearRelativeDeclaration,
  registered: StaffRelation[],
  report: VerificationReport | undefined,
): SpecialFilingReason[] {
  const reasons = new Set<SpecialFilingReason>();
  if (declaration.hasStaffRelatives || registered.length > 0) reasons.add('staff_near_relative');
  for (const s of report?.subjects.filter((x) => x.role === 'member') ?? []) {
    if (s.publicEmployeeRelatives.length > 0) reasons.add('public_employee_relative');
    if (s.realEstate.some((r) => r.kind === 'commercial')) reasons.add('commercial_housing');
    if (s.vehicles.some((v) => v.kind === 'consumer')) reasons.add('consumer_vehicle');
    if (s.businesses.length > 0) reasons.add('business_registration');
  }
  return [...reasons];
}
