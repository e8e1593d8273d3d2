// The time-skipping test server (the Java SDK's) refuses a workflow that starts with or upserts a custom
// search attribute it does not know ("BadSearchAttributes: search attribute JiuzhuStep is not defined",
// a workflow task failure retried for ever), and @temporalio/testing has a searchAttributes option only
// for the dev server. The test server does implement OperatorService.AddSearchAttributes (not List), so
// the test bed registers jiuzhu's keys through it once per server.
import type { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { SearchAttributeType } from '@temporalio/common';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/kit/search-attributes';

const ALREADY_EXISTS = 6; // gRPC status

/** Registers every Jiuzhu* search attribute in `namespace`; keys registered before are not an error. */
export async function registerSearchAttributes(connection: Connection, namespace = 'default'): Promise<void> {
  const searchAttributes = Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, encodeSearchAttributeIndexedValueType(k.type)!]));
  // what a Schedule stamps on its runs: the dev server and a cluster define them, the test server does not;
  // on every server a test bed makes, so a fresh one (a replaced server) has them too
  searchAttributes.TemporalScheduledById = encodeSearchAttributeIndexedValueType(SearchAttributeType.KEYWORD)!;
  searchAttributes.TemporalScheduledStartTime = encodeSearchAttributeIndexedValueType(SearchAttributeType.DATETIME)!;
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (err) {
    if ((err as { code?: number }).code !== ALREADY_EXISTS) throw err;
  }
}
