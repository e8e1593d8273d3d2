// Typed search attributes every workflow kind keeps current, so an operator finds cases in the Temporal
// Web UI by query, e.g. `JiuzhuCounty = "140521" AND JiuzhuOverdue = true`. Never personal data: no
// names, ID numbers or amounts. `make start` registers them on the dev server; a cluster registers them
// once with `temporal operator search-attribute create` (README "Deploying").
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** the workflow kind: application, review, death_stop, direct_payment, monthly_roll, audit_anchor */
export const KIND = defineSearchAttributeKey('JiuzhuKind', SearchAttributeType.KEYWORD);
/** the step the case is in (API.md step names) */
export const STEP = defineSearchAttributeKey('JiuzhuStep', SearchAttributeType.KEYWORD);
/** the county's 6-digit 区划代码 */
export const COUNTY = defineSearchAttributeKey('JiuzhuCounty', SearchAttributeType.KEYWORD);
/** an open statutory deadline has passed */
export const OVERDUE = defineSearchAttributeKey('JiuzhuOverdue', SearchAttributeType.BOOL);
/** when the next open statutory deadline falls due */
export const DUE_AT = defineSearchAttributeKey('JiuzhuDueAt', SearchAttributeType.DATETIME);

export const ALL_SEARCH_ATTRIBUTES = [KIND, STEP, COUNTY, OVERDUE, DUE_AT];

/** For `temporal server start-dev --search-attribute Name=Type` and `operator search-attribute create`. */
export const SEARCH_ATTRIBUTE_CLI_TYPES: Record<string, string> = {
  JiuzhuKind: 'Keyword',
  JiuzhuStep: 'Keyword',
  JiuzhuCounty: 'Keyword',
  JiuzhuOverdue: 'Bool',
  JiuzhuDueAt: 'Datetime',
};
