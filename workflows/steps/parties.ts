// What the shared human steps (issue 22 §1.6: investigation by ≥2 staff, recusal, collective decision with
// 一事一议 and delegated township confirmation) read of a case, whatever its kind: an application's and a
// review's state both satisfy it. Workflow state only, deterministic.
import type { ResolvedPolicy } from '../rules/policy';
import type { StaffRelation } from '../rules/recusal';

/** R-APP-11 一事一议: the one recorded meeting that decides a case. */
export interface MeetingRecord {
  id: string;
  date: string;
  attendees: string[];
  recordedBy: string;
}

export interface CaseParties {
  villageCode: string;
  townshipCode: string;
  countyCode: string;
  /** R-APP-09: the staff related to the household (declared and registered) */
  relations: StaffRelation[];
  policy?: ResolvedPolicy;
  /** R-APP-04: every home investigation of the case, in any round */
  investigations: { round: number; investigators: string[]; recordedBy: string }[];
  /** R-APP-11: the votes cast so far, with the body each voter belongs to */
  votes: { approverId: string; body?: 'township' | 'county' }[];
  meeting?: MeetingRecord;
  /** R-APP-08: a specially filed case is decided one by one at a meeting (一事一议) */
  specialFiling: readonly unknown[];
}
