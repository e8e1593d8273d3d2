// Who may give a command on a case of any kind (issue 22 §1.6): the actor's role and jurisdiction, recusal
// of near relatives (R-APP-09, by canonical staff id), and the separation of duties between investigating
// and deciding (R-APP-04). Read by each kind's guards; workflow state only, deterministic.
import type { CaseParties } from './parties';
import type { Command } from '../kit/command';
import { canonicalStaffId, recused } from '../rules/recusal';
import { forbidden, ruleViolation, type FieldError } from '../kit/errors';

export function hasRole(c: Command, ...roles: string[]): void {
  if (!roles.includes(c.actor.role)) throw forbidden(`role ${c.actor.role} may not do this (allowed: ${roles.join(', ')})`);
}

/** R-APP-09: the person giving the command must not be related to the household. */
export function notRecused(s: Pick<CaseParties, 'relations'>, c: Command): void {
  const [r] = recused([c.actor.id], s.relations);
  if (r) throw forbidden(`R-APP-09: ${c.actor.id} is a near relative (${r.relation}) of household member ${r.memberIdNumber} and must step aside`, 'R-APP-09');
}

/** R-APP-09 for the people named in a command (investigators, visitors). */
export function noneRecused(s: CaseParties, ids: string[], field: string): void {
  const errors: FieldError[] = ids.flatMap((id, i) =>
    recused([id], s.relations).map((r) => ({ path: `${field}[${i}]`, message: `${id} is a near relative (${r.relation}) of ${r.memberIdNumber}` })),
  );
  if (errors.length) throw ruleViolation('R-APP-09', 'staff related to the household may not take part', errors);
}

/** The distinct people named, by canonical staff id (R-APP-09: `LiuYang` is `liuyang`). */
export const distinctStaff = (ids: string[]): Set<string> => new Set(ids.map(canonicalStaffId));

/** R-APP-04: the person recording an investigation is one of its investigators. */
export function recorderAmong(i: Command & { investigators: string[] }): void {
  if (!distinctStaff(i.investigators).has(canonicalStaffId(i.actor.id))) {
    throw ruleViolation('R-APP-04', `the recorder ${i.actor.id} must be one of the investigators`, [{ path: 'investigators', message: `must include ${i.actor.id}, who records the investigation` }]);
  }
}

/** R-APP-04 separation of duties: whoever investigated the case (in any round) does not vote on it. */
export function notInvestigator(s: CaseParties, c: Command): void {
  const me = canonicalStaffId(c.actor.id);
  const round = s.investigations.find((x) => x.investigators.some((id) => canonicalStaffId(id) === me) || canonicalStaffId(x.recordedBy) === me);
  if (round) throw forbidden(`R-APP-04: ${c.actor.id} investigated this case (round ${round.round}) and may not vote on it`, 'R-APP-04');
}

/** R-APP-11: the county delegated confirmation of applications and reviews to its townships' leadership. */
export const delegatedToTownship = (s: CaseParties): boolean => s.policy?.params.approvalDelegatedToTownship === true;

/** R-APP-11: the body a vote belongs to, by the voter's role. */
export const bodyOf = (c: Command): 'township' | 'county' => (c.actor.role === 'township_leader' ? 'township' : 'county');

/**
 * R-APP-11: who decides. Where the county delegated confirmation (approvalDelegatedToTownship), the
 * township's 审核确认领导组: leaders of the case's own township, county approvers having no vote there;
 * otherwise the county bureau's approvers. One body decides a case: a vote joining another's is refused.
 * Validator only (guards.ts approval.authorize), so a case decided before this rule replays. A kind whose
 * delegation is another policy flag (direct payments, R-DIR-01) passes it as `delegated`.
 */
export function decidingBody(s: CaseParties, c: Command, delegated = delegatedToTownship(s)): void {
  const role = delegated ? 'township_leader' : 'county_approver';
  const body = delegated ? `the township's leadership (审核确认领导组) of ${s.townshipCode}` : `the county's approvers of ${s.countyCode}`;
  if (c.actor.role !== role) throw forbidden(`R-APP-11: this case is decided by ${body}: a ${c.actor.role} does not vote on it`, 'R-APP-11');
  if (delegated && !c.actor.jurisdiction.startsWith(s.townshipCode)) {
    throw forbidden(`R-APP-11: ${c.actor.id} (jurisdiction ${c.actor.jurisdiction}) is not a leader of the case's township ${s.townshipCode}`, 'R-APP-11');
  }
  const other = s.votes.find((v) => v.body !== undefined && v.body !== bodyOf(c));
  if (other) throw forbidden(`R-APP-11: ${other.approverId} already voted for the ${other.body}: one body decides a case`, 'R-APP-11');
}

/**
 * Issue 16 API1: every command names a staff member whose jurisdiction covers the case (R-SEC-01). The API
 * fills `actor` from the token; an Update sent straight to Temporal with a made-up actor is refused here.
 */
export function admitActor(s: Pick<CaseParties, 'villageCode'>, input: unknown): void {
  const actor = (input as Partial<Command> | undefined)?.actor;
  if (!actor || typeof actor.id !== 'string' || !actor.id || typeof actor.jurisdiction !== 'string' || !/^\d{2,12}$/.test(actor.jurisdiction)) {
    throw forbidden('a command must name who gives it (actor id, role and jurisdiction)');
  }
  if (!s.villageCode.startsWith(actor.jurisdiction)) throw forbidden(`${actor.id} (jurisdiction ${actor.jurisdiction}) may not act on a case in ${s.villageCode}`);
}
