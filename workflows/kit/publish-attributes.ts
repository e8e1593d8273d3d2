// Every kind keeps its search attributes current (kit/search-attributes.ts) with one upsert command, and only
// when one of them changed since the flow last published them (`published`: kept by the flow and carried
// across continue-as-new), so a write that changes nothing adds nothing to the history.
import { upsertSearchAttributes } from '@temporalio/workflow';
import { COUNTY, DUE_AT, KIND, OVERDUE, STEP } from './search-attributes';

export interface CaseAttributes {
  kind: string;
  step: string;
  county: string;
  overdue: boolean;
  /** when the next open deadline falls due (epoch ms), if any */
  dueAt?: number;
}

/** Upserts the attributes if any changed; returns whether it did. */
export function publishCaseAttributes(published: Record<string, unknown>, next: CaseAttributes): boolean {
  const entries = Object.entries(next) as [keyof CaseAttributes, unknown][];
  if (entries.every(([k, v]) => published[k] === v)) return false;
  for (const [k, v] of entries) published[k] = v;
  upsertSearchAttributes([
    { key: KIND, value: next.kind },
    { key: STEP, value: next.step },
    { key: COUNTY, value: next.county },
    { key: OVERDUE, value: next.overdue },
    { key: DUE_AT, value: next.dueAt !== undefined ? new Date(next.dueAt) : null },
  ]);
  return true;
}
