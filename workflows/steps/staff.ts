// Issue 21 §2: who may be named in a command, checked by the workflow itself. The API resolves every
// person a command names (investigators, visitors, the voter and the meeting's attendees) in the staff
// register and signs their facts (role, jurisdiction, active) with the payload; the validator applies
// R-APP-04, R-APP-08, R-APP-11 and the separation of duties to those facts, so no client of the workflow
// (a script, a test, an Update sent straight to Temporal) gets past them. Validator only (authorize): an
// Update in history is never validated again, so recorded histories replay as they were.
import type { CaseParties } from './parties';
import type { NamingStaff, StaffFact } from '../kit/command';
import { delegatedToTownship, noneRecused } from './actors';

type InvestigationInput = NamingStaff & { investigators: string[] };
type CountyVisitInput = NamingStaff & { visitors: string[] };
type ApprovalInput = NamingStaff & { attendees?: string[] };
import { canonicalStaffId } from '../rules/recusal';
import { forbidden, ruleViolation, type FieldError } from '../kit/errors';

/** R-APP-04: who may investigate (township or village staff), and who is of township level (乡、村两级). */
export const INVESTIGATOR_ROLES = ['township_caseworker', 'township_leader', 'village_assistant'];
export const TOWNSHIP_LEVEL = ['township_caseworker', 'township_leader'];
/** R-APP-08: county civil-affairs staff. */
export const COUNTY_VISITOR_ROLES = ['county_caseworker', 'county_approver'];

/** The people a command names, each with the request field that names them (the API resolves these). */
export function namedStaff(update: string, input: Partial<InvestigationInput & CountyVisitInput & ApprovalInput>): { path: string; id: string }[] {
  const list = (field: string, ids: unknown) => (Array.isArray(ids) ? ids.map((id, n) => ({ path: `${field}[${n}]`, id: String(id) })) : []);
  if (update === 'recordInvestigation') return list('investigators', input.investigators);
  if (update === 'recordCountyVisit') return list('visitors', input.visitors);
  // a vote: the application's approval, a review's outcome (the township's proposal names only its actor)
  if (update === 'approval' || update === 'outcome') return [...(input.actor ? [{ path: 'actor', id: input.actor.id }] : []), ...list('attendees', input.attendees)];
  return [];
}

/** jurisdiction `j` lies inside `scope` (the case's township or county) and covers the case's village */
const within = (s: CaseParties, scope: string, j: string) => j.startsWith(scope) && s.villageCode.startsWith(j);

/**
 * The signed facts, one per person named, keyed by canonical id. A command without them, or with facts
 * for people it does not name, did not come from the API's resolution: refused.
 */
function factsFor(i: NamingStaff, ids: string[]): Map<string, StaffFact> {
  if (!Array.isArray(i.staff)) throw forbidden("API1: the command names staff without the register's facts about them (role, jurisdiction, active)");
  const facts = new Map<string, StaffFact>();
  for (const f of i.staff) {
    const id = canonicalStaffId(f.id);
    if (facts.has(id)) throw forbidden(`API1: the command carries two sets of facts for ${id}`);
    facts.set(id, f);
  }
  const named = new Set(ids.map(canonicalStaffId));
  const wrong = [...[...named].filter((id) => !facts.has(id)).map((id) => `no facts for ${id}`), ...[...facts.keys()].filter((id) => !named.has(id)).map((id) => `${id} is not named`)];
  if (wrong.length) throw forbidden(`API1: the command's staff facts do not match the people it names: ${wrong.join(', ')}`);
  return facts;
}

/** The actor named among the people: the register's facts must be the token's (role; a jurisdiction covering it). */
function sameAsActor(i: NamingStaff, facts: Map<string, StaffFact>): StaffFact | undefined {
  const f = facts.get(canonicalStaffId(i.actor.id));
  if (f && (f.role !== i.actor.role || !i.actor.jurisdiction.startsWith(f.jurisdiction))) {
    throw forbidden(`API1: ${i.actor.id} acts as ${i.actor.role} of ${i.actor.jurisdiction}, but the register's facts say ${f.role} of ${f.jurisdiction}`);
  }
  return f;
}

/** Per person: the first reason the register's facts exclude them, as a field error. */
function personErrors(field: string, ids: string[], facts: Map<string, StaffFact>, why: (f: StaffFact) => string | undefined): FieldError[] {
  return ids.flatMap((id, n) => {
    const f = facts.get(canonicalStaffId(id))!;
    const message = f.active ? why(f) : `${f.id} is not active staff`; // issue 21 §2.3
    return message ? [{ path: `${field}[${n}]`, message }] : [];
  });
}

/** The refusal's message: every field error, in order. */
const said = (errors: FieldError[]) => errors.map((e) => e.message).join('; ');

/** R-APP-04: township or village staff of the case's own township, at least one of township level, all active. */
export function investigatorsAllowed(s: CaseParties, i: InvestigationInput): void {
  const facts = factsFor(i, i.investigators);
  const errors = personErrors('investigators', i.investigators, facts, (f) =>
    !INVESTIGATOR_ROLES.includes(f.role)
      ? `${f.id} is ${f.role}: investigators are township or village staff (county approvers and supervisors never are)`
      : !within(s, s.townshipCode, f.jurisdiction)
        ? `${f.id} is not staff of this case's township ${s.townshipCode}`
        : undefined,
  );
  if (!errors.length && !i.investigators.some((id) => TOWNSHIP_LEVEL.includes(facts.get(canonicalStaffId(id))!.role))) {
    errors.push({ path: 'investigators', message: 'at least one investigator is township staff (乡、村两级)' });
  }
  if (errors.length) throw ruleViolation('R-APP-04', said(errors), errors);
  sameAsActor(i, facts);
}

/** R-APP-08: the county's own visit is by active county civil-affairs staff of the case's county. */
export function visitorsAllowed(s: CaseParties, i: CountyVisitInput): void {
  const facts = factsFor(i, i.visitors);
  const errors = personErrors('visitors', i.visitors, facts, (f) =>
    !COUNTY_VISITOR_ROLES.includes(f.role)
      ? `${f.id} is ${f.role}: the county's visit is by county civil-affairs staff`
      : !within(s, s.countyCode, f.jurisdiction)
        ? `${f.id} is not staff of county ${s.countyCode}`
        : undefined,
  );
  if (errors.length) throw ruleViolation('R-APP-08', said(errors), errors);
}

/**
 * R-APP-11: the voter and the meeting's attendees are active members of the deciding body (the county's
 * approvers, or the leaders of the case's township where delegated); R-APP-04: nobody who investigated
 * the case takes part in deciding it; R-APP-09: nor anybody related to the household. `delegated`: as in
 * decidingBody (actors.ts).
 */
export function participantsAllowed(s: CaseParties, i: ApprovalInput, delegated = delegatedToTownship(s)): void {
  const attendees = i.attendees ?? [];
  const facts = factsFor(i, [i.actor.id, ...attendees]);
  const me = sameAsActor(i, facts)!;
  if (!me.active) throw forbidden(`R-APP-11: ${me.id} is not active staff and may not vote`, 'R-APP-11');
  const role = delegated ? 'township_leader' : 'county_approver';
  const scope = delegated ? s.townshipCode : s.countyCode;
  const errors = personErrors('attendees', attendees, facts, (f) =>
    f.role !== role ? `${f.id} is ${f.role}: this case is decided by the ${role}s of ${scope}` : !within(s, scope, f.jurisdiction) ? `${f.id} is not staff of ${scope}` : undefined,
  );
  if (errors.length) throw ruleViolation('R-APP-11', said(errors), errors);
  const investigated = new Set(s.investigations.flatMap((x) => [...x.investigators, x.recordedBy].map(canonicalStaffId)));
  const investigators = attendees.flatMap((id, n) => (investigated.has(canonicalStaffId(id)) ? [{ path: `attendees[${n}]`, message: `${id} investigated this case` }] : []));
  if (investigators.length) throw ruleViolation('R-APP-04', 'whoever investigated a case does not take part in deciding it', investigators);
  noneRecused(s, attendees, 'attendees');
}
