// R-REV-03: the state of one township's monthly change reports, its view (the query) and what it writes
// (deadlines and audit entries). Pure and deterministic: workflow code.
import type { CaseLog } from '../kit/case-log';
import { isOverdue, type Deadline } from '../kit/deadline-clock';
import { deadlineRecords, type AuditEntry, type DeadlineRecord } from '../kit/records';
import type { ChangeReportsView, FollowUp } from './messages';
import type { ChangeKind } from './payloads';

export const TOWNSHIP_CHECK = 'township_check';
export const villageDeadline = (villageCode: string) => `village_report:${villageCode}`;

export interface HouseholdEntry {
  villageCode: string;
  kinds: ChangeKind[];
  followUp: FollowUp['followUp'];
  reviewWorkflowId?: string;
  at: number;
}

export interface ChangeReportsState extends CaseLog {
  townshipCode: string;
  countyCode: string;
  month: string;
  /** the township's villages, from the division register when the month opened */
  villages: string[];
  /** the village's whole-month report: closes its deadline */
  villageReports: Record<string, { at: number; by: string }>;
  /** the latest report of each household this month (details are in the audit trail) */
  households: Record<string, HouseholdEntry>;
  /** R-REV-04: the reviews opened this month, by the fingerprint of the changes that opened them */
  reviews: Record<string, string>;
  checked?: { at: number; by: string; villagesMissing: string[] };
  /** deaths reported, and the death stop each opened (R-DTH; none for deaths reported before it existed) */
  deaths: { householdId: string; memberIdNumber: string; dateOfDeath: string; reportedAt: number; deathStopWorkflowId?: string }[];
  deadlines: Deadline[];
  closed: boolean;
}

export function initialState(workflowId: string, townshipCode: string, month: string): ChangeReportsState {
  return {
    workflowId,
    revision: 0,
    flags: [],
    pendingAudit: [],
    auditSeq: 0,
    townshipCode,
    countyCode: townshipCode.slice(0, 6),
    month,
    villages: [],
    villageReports: {},
    households: {},
    reviews: {},
    deaths: [],
    deadlines: [],
    closed: false,
  };
}

export const villagesMissing = (s: ChangeReportsState) => s.villages.filter((v) => !s.villageReports[v]);
export const allClosed = (s: ChangeReportsState) => s.deadlines.length > 0 && s.deadlines.every((d) => d.closedAt !== undefined);

/** Where a deadline is held: the village for its report, the township for the check. */
export const deadlineJurisdiction = (s: ChangeReportsState, d: Deadline) => (d.name.startsWith('village_report:') ? d.name.slice('village_report:'.length) : s.townshipCode);

/** Escalated one level above whoever holds it: a village's report to its township, the township's check to the county. */
export const escalationFor = (s: ChangeReportsState, d: Deadline) => (d.name === TOWNSHIP_CHECK ? `county@${s.countyCode}` : `township@${s.townshipCode}`);

/**
 * A short, stable fingerprint of a household's major changes this month (FNV-1a, twice): the same changes
 * reported again open no second review (R-REV-04); it names the review's workflow id, so it is bounded.
 */
export function fingerprint(text: string): string {
  const fnv = (seed: number) => {
    let h = seed >>> 0;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16).padStart(8, '0');
  };
  return fnv(0x811c9dc5) + fnv(0x050c5d1f);
}

const iso = (ms?: number) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function view(s: ChangeReportsState): ChangeReportsView {
  return {
    townshipCode: s.townshipCode,
    month: s.month,
    step: s.closed ? 'closed' : s.checked ? 'checked' : 'reporting',
    villages: s.villages.map((v) => {
      const d = s.deadlines.find((x) => x.name === villageDeadline(v));
      return { villageCode: v, reportedAt: iso(s.villageReports[v]?.at), reportedBy: s.villageReports[v]?.by, dueOn: d?.dueOn, overdue: d ? isOverdue(d) : false };
    }),
    households: Object.entries(s.households).map(([householdId, h]) => ({ householdId, villageCode: h.villageCode, kinds: h.kinds, followUp: h.followUp, reviewWorkflowId: h.reviewWorkflowId, reportedAt: iso(h.at)! })),
    deaths: s.deaths.map((d) => ({ householdId: d.householdId, memberIdNumber: d.memberIdNumber, dateOfDeath: d.dateOfDeath, ...(d.deathStopWorkflowId ? { followUp: 'death_stop' as const, deathStopWorkflowId: d.deathStopWorkflowId } : { followUp: 'death_stop_pending' as const }) })),
    checked: s.checked ? { at: iso(s.checked.at)!, by: s.checked.by, villagesMissing: s.checked.villagesMissing } : undefined,
    deadlines: s.deadlines.map((d) => ({ name: d.name, dueOn: d.dueOn, overdue: d.overdueSince !== undefined, escalatedTo: d.escalatedTo, closedAt: iso(d.closedAt) })),
  };
}

export interface ChangeReportsRecord {
  workflowId: string;
  townshipCode: string;
  audit: AuditEntry[];
  deadlines: DeadlineRecord[];
}

export function changeReportsRecord(s: ChangeReportsState): ChangeReportsRecord {
  return {
    workflowId: s.workflowId,
    townshipCode: s.townshipCode,
    audit: s.pendingAudit.splice(0),
    // each village's report is held by the village, the check by the township (R-REV-03)
    deadlines: deadlineRecords(s.deadlines).map((r, n) => {
      const d = s.deadlines[n];
      return { ...r, jurisdiction: deadlineJurisdiction(s, d), assignee: d.name === TOWNSHIP_CHECK ? `township@${s.townshipCode}` : `village@${deadlineJurisdiction(s, d)}` };
    }),
  };
}
