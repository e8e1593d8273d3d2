// R-APP-11 collective decision (集体审批) for any kind (issue 22 §1.6): each approver votes once, 一事一议
// in one recorded meeting every vote names, and a decision once `minApprovers` distinct approvers of one
// body agree. Who belongs to the body (the county's approvers, or the township's leaders where delegated)
// is in actors.ts (decidingBody) and staff.ts (participantsAllowed). Workflow state only, deterministic.
import { chinaDate } from '../rules/dates';
import { canonicalStaffId } from '../rules/recusal';
import { forbidden, ruleViolation, wrongStep, type FieldError } from '../kit/errors';
import type { Command } from '../kit/command';
import { note, type CaseLog } from '../kit/case-log';
import { distinctStaff } from './actors';
import type { CaseParties } from './parties';

/** What a vote may carry of a meeting (R-APP-11 一事一议). */
export interface MeetingFields extends Command {
  meeting?: string;
  meetingDate?: string;
  attendees?: string[];
}

const today = () => chinaDate(Date.now());

/** R-APP-11: a meeting recorded with a vote carries its date and attendees, the voter among them (validator). */
export function meetingRecord(i: MeetingFields): void {
  if (i.meetingDate === undefined && i.attendees === undefined) return;
  const errors: FieldError[] = [];
  if (!i.meeting) errors.push({ path: 'meeting', message: 'a meeting date or attendees belong to a named meeting' });
  if (i.meetingDate === undefined) errors.push({ path: 'meetingDate', message: 'required with the attendees' });
  else if (i.meetingDate > today()) errors.push({ path: 'meetingDate', message: 'must not be in the future' });
  if (i.attendees === undefined || distinctStaff(i.attendees).size === 0) errors.push({ path: 'attendees', message: 'required with the meeting date' });
  else if (!distinctStaff(i.attendees).has(canonicalStaffId(i.actor.id))) errors.push({ path: 'attendees', message: `must include ${i.actor.id}, who votes in the meeting` });
  if (errors.length) throw ruleViolation('R-APP-11', 'a meeting is recorded with its id, date and attendees, the voter among them', errors);
}

/**
 * R-APP-11 一事一议: the first vote of a specially filed case records its meeting (id, date, attendees);
 * every later vote names the same meeting and is cast by one of its attendees.
 */
export function sameMeeting(s: CaseParties, i: MeetingFields): void {
  const held = s.meeting;
  if (!held) {
    if (s.specialFiling.length > 0 && (i.meetingDate === undefined || i.attendees === undefined)) {
      throw ruleViolation('R-APP-11', 'the first vote of a specially filed case records its meeting: the date and the attendees', [
        ...(i.meetingDate === undefined ? [{ path: 'meetingDate', message: 'required for the first vote of a specially filed case' }] : []),
        ...(i.attendees === undefined ? [{ path: 'attendees', message: 'required for the first vote of a specially filed case' }] : []),
      ]);
    }
    return;
  }
  if (i.meeting !== held.id) {
    throw ruleViolation('R-APP-11', `this case is decided in one meeting (${held.id}): every vote names it`, [{ path: 'meeting', message: `must be ${held.id}` }]);
  }
  if (i.meetingDate !== undefined && i.meetingDate !== held.date) {
    throw ruleViolation('R-APP-11', `meeting ${held.id} was held on ${held.date}`, [{ path: 'meetingDate', message: `must be ${held.date} or omitted` }]);
  }
  if (!distinctStaff(held.attendees).has(canonicalStaffId(i.actor.id))) {
    throw forbidden(`R-APP-11: ${i.actor.id} did not attend meeting ${held.id} and may not vote in it`, 'R-APP-11');
  }
}

/** R-APP-11: each approver votes once; a specially filed case names its meeting. */
export function voteAllowed(s: CaseParties, i: MeetingFields): void {
  if (s.votes.some((v) => canonicalStaffId(v.approverId) === canonicalStaffId(i.actor.id))) throw wrongStep('county_decision', `a second vote by ${i.actor.id} (each approver votes once)`);
  if (s.specialFiling.length > 0 && !i.meeting) {
    throw ruleViolation('R-APP-11', 'a specially filed case is decided one by one at a meeting: name it', [{ path: 'meeting', message: 'required for a specially filed case' }]);
  }
  sameMeeting(s, i);
}

/** R-APP-11: the first vote that gives a meeting's date and attendees records the meeting (once). */
export function recordMeeting(s: CaseParties & CaseLog, i: MeetingFields): void {
  if (s.meeting || !i.meeting || i.meetingDate === undefined || i.attendees === undefined) return;
  s.meeting = { id: i.meeting, date: i.meetingDate, attendees: [...new Set(i.attendees)], recordedBy: i.actor.id };
  note(s, { id: i.actor.id, role: i.actor.role }, 'approval.meeting_recorded', { meeting: i.meeting, date: i.meetingDate, attendees: s.meeting.attendees });
}

/** R-APP-11: the votes agreeing with `same`, once at least `minApprovers` of them: the decision is made. */
export function agreed<V>(votes: V[], same: (v: V) => boolean, minApprovers: number): V[] | undefined {
  const agreeing = votes.filter(same);
  return agreeing.length >= minApprovers ? agreeing : undefined;
}
