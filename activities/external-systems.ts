// Issue 22 §1.7: the external systems, the worker's side: for each entry of workflows/kit/external-systems.ts,
// how its client is built from the settings, its activities from the client, and how hard its worker may
// press it. worker.ts builds one Temporal worker per entry, activities/index.ts spreads every entry's
// activities on the main queue too, and the test helpers run every entry's queue (test/helpers/temporal.ts).
// To add a system: its client and activities under activities/<system>/, a line here and a line in the kit's list.
import type { Settings } from './config';
import type { WorkerSettings } from './worker-settings';
import type { ExternalSystemName } from '../workflows/kit/external-systems';
import { createVerificationActivities } from './verification';
import { HttpVerificationAgency, type VerificationAgency } from './verification/agency';
import type { BankAdapter } from './bank/adapter';
import { createBankActivities } from './bank/bank-activities';
import { HttpBank } from './bank/http-bank';

export interface ExternalSystemBinding<Client, Acts extends object = object> {
  /** the real client, from the worker's settings */
  client(settings: Settings): Client;
  activities(client: Client): Acts;
  /** concurrent calls on one worker, and the queue-wide cap per second the server enforces */
  concurrency(sizing: WorkerSettings): number;
  ratePerSecond(sizing: WorkerSettings): number;
}

const binding = <Client, Acts extends object>(b: ExternalSystemBinding<Client, Acts>) => b;

export const EXTERNAL_SYSTEM_BINDINGS = {
  agency: binding({
    client: (s): VerificationAgency => new HttpVerificationAgency({ baseUrl: s.agency.url, apiKey: s.agency.apiKey! }),
    activities: createVerificationActivities,
    concurrency: (z) => z.agencyConcurrency,
    ratePerSecond: (z) => z.agencyRatePerSecond,
  }),
  // R-PAY-01: the agent bank
  bank: binding({
    client: (s): BankAdapter => new HttpBank({ baseUrl: s.bank.url, apiKey: s.bank.apiKey! }),
    activities: createBankActivities,
    concurrency: (z) => z.bankConcurrency,
    ratePerSecond: (z) => z.bankRatePerSecond,
  }),
} satisfies Record<ExternalSystemName, ExternalSystemBinding<unknown>>;

/** The clients of every external system, by name (ActivityDependencies carries them). */
export type ExternalClients = { [K in ExternalSystemName]: Parameters<(typeof EXTERNAL_SYSTEM_BINDINGS)[K]['activities']>[0] };

export const externalSystemNames = () => Object.keys(EXTERNAL_SYSTEM_BINDINGS) as ExternalSystemName[];

export function externalClients(settings: Settings): ExternalClients {
  return Object.fromEntries(externalSystemNames().map((name) => [name, EXTERNAL_SYSTEM_BINDINGS[name].client(settings)])) as ExternalClients;
}

/** One system's activities, from its client. */
export function externalActivities<K extends ExternalSystemName>(name: K, clients: ExternalClients): ReturnType<(typeof EXTERNAL_SYSTEM_BINDINGS)[K]['activities']> {
  // TypeScript cannot correlate the binding and the client of the same K across the union: one cast here
  const b = EXTERNAL_SYSTEM_BINDINGS[name] as unknown as ExternalSystemBinding<ExternalClients[K], ReturnType<(typeof EXTERNAL_SYSTEM_BINDINGS)[K]['activities']>>;
  return b.activities(clients[name]);
}

/** Every system's activities (typed as their intersection, so the kit's proxies see each by name). */
export function allExternalActivities(clients: ExternalClients): UnionToIntersection<{ [K in ExternalSystemName]: ReturnType<(typeof EXTERNAL_SYSTEM_BINDINGS)[K]['activities']> }[ExternalSystemName]> {
  return Object.assign({}, ...externalSystemNames().map((name) => externalActivities(name, clients)));
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
