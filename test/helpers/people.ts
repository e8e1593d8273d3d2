// Test households: fictitious people with valid 18-digit ID numbers (GB 11643 check digit).
import { checkDigit } from '../../workflows/rules/id-number';
import type { Actor, Household, Member } from '../../workflows/rules/types';
import type { ApplicationInput } from '../../workflows/application/state';

let sequence = 100;

/** A valid ID number for someone born on `birthDate` in the training county. */
export function idNumberFor(birthDate: string, region = '140599'): string {
  const first17 = `${region}${birthDate.replace(/-/g, '')}${String(sequence++ % 1000).padStart(3, '0')}`;
  return first17 + checkDigit(first17);
}

export function member(name: string, birthDate: string, extra: Partial<Member> = {}): Member {
  return { name, idNumber: idNumberFor(birthDate), relation: 'self', birthDate, ...extra };
}

export const VILLAGE = '140599100201';

export const actors = {
  caseworker: { id: 'zhangmin', name: '张敏', role: 'township_caseworker', jurisdiction: '140599100' },
  caseworker2: { id: 'liqiang', name: '李强', role: 'township_caseworker', jurisdiction: '140599100' },
  leader: { id: 'zhoujie', name: '周杰', role: 'township_leader', jurisdiction: '140599100' },
  countyCaseworker: { id: 'zhaolei', name: '赵磊', role: 'county_caseworker', jurisdiction: '140599' },
  approver1: { id: 'chenjing', name: '陈静', role: 'county_approver', jurisdiction: '140599' },
  approver2: { id: 'liuyang', name: '刘洋', role: 'county_approver', jurisdiction: '140599' },
  approver3: { id: 'sunli', name: '孙丽', role: 'county_approver', jurisdiction: '140599' },
} satisfies Record<string, Actor>;

/** Staff of 沁水县's township 140521100 (the seed's qs-*): its cases are investigated by its own staff (R-APP-04). */
export const qsActors = {
  caseworker: { id: 'qs-tw1', name: '郭华', role: 'township_caseworker', jurisdiction: '140521100' },
  caseworker2: { id: 'qs-tw2', name: '马丽', role: 'township_caseworker', jurisdiction: '140521100' },
} satisfies Record<string, Actor>;

/** R-APP-01: the household-level materials of a 低保 application by the national policy, the applicant's pledge among them (R-APP-17). */
export const HOUSEHOLD_MATERIALS = ['application_form', 'id_documents', 'income_statement', 'applicant_pledge'];

/** R-APP-17: one authorisation of the verification (合法授权) from each member and each obligor. */
export const authorisations = (household: Household): string[] =>
  [...household.members, ...(household.obligors ?? [])].map((p) => `verification_authorization:${p.idNumber}`);

/** Everything a 低保 application of this household needs: nothing is missing at intake. */
export const allMaterials = (household: Household): string[] => [...HOUSEHOLD_MATERIALS, ...authorisations(household)];

/** A rural couple with a schoolchild: per-capita income well below the 600-yuan rural standard. */
export function poorFamily(overrides: Partial<ApplicationInput> = {}): ApplicationInput {
  const head = member('王建国', '1968-03-04', { relation: 'self', ableToWork: true });
  const spouse = member('李秀英', '1970-08-17', { relation: 'spouse', severeIllness: true });
  const child = member('王小明', '2012-09-01', { relation: 'child', student: true });
  const household: Household = overrides.household ?? { residence: 'rural', members: [head, spouse, child] };
  return {
    caseId: `C${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`,
    programme: 'DIBAO',
    villageCode: VILLAGE,
    household,
    materials: allMaterials(household),
    nearRelativeDeclaration: { hasStaffRelatives: false },
    account: { bank: '中国农业银行沁水支行', accountNo: '6228480000000000001', holderIdNumber: head.idNumber },
    actor: actors.caseworker,
    ...overrides,
  };
}

/** The same household as an HTTP request body of POST /v1/applications. */
export function applicationBody(input: ApplicationInput = poorFamily()) {
  return {
    programme: input.programme,
    villageCode: input.villageCode,
    ...(input.receivedOn ? { receivedOn: input.receivedOn } : {}),
    household: input.household,
    materials: input.materials,
    nearRelativeDeclaration: input.nearRelativeDeclaration,
    ...(input.account ? { account: input.account } : {}),
  };
}
