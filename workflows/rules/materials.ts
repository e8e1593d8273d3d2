// R-APP-01 / R-APP-17: the materials a case needs. The policy lists the household-level codes per
// programme (the applicant's pledge, 对象承诺, among them) and the codes every verified person gives
// (合法授权): those are required once per member and per obligor, as `<code>:<ID number>`.
import type { PolicyParams } from './policy';
import type { Household, Programme } from './types';

export function requiredMaterialCodes(policy: PolicyParams, programme: Programme, household: Household): string[] {
  const people = [...household.members.map((m) => m.idNumber), ...(household.obligors ?? []).map((o) => o.idNumber)];
  const perPerson = policy.perVerifiedPersonMaterials.flatMap((code) => people.map((id) => `${code}:${id}`));
  return [...policy.requiredMaterials[programme], ...perPerson];
}

export function missingMaterials(policy: PolicyParams, programme: Programme, household: Household, given: string[]): string[] {
  return requiredMaterialCodes(policy, programme, household).filter((code) => !given.includes(code));
}
