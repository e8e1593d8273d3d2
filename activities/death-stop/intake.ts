// R-DTH-01, issue 23 §3: death records in, one death stop per person out. Shared by the API
// (POST /v1/death-records, signed by the API) and a change report's death (source `report`, signed by the
// system's key from an activity). Three bounded steps, each usable on its own (the bench times `match`):
//   match  — by ID number against existing death stops and the active members of active households;
//   claim  — the `death_stop` row (id_number unique) taken atomically: one death stop id per person;
//   send   — a signed Update `recordDeath` with start (conflict policy USE_EXISTING), so the first source
//            starts the workflow and every later one (another source, a re-post) is recorded in the same one.
// No ID number is ever in a workflow id (Temporal shows ids unencrypted): `death-stop-<deathStopId>`.
import crypto from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Prisma } from '../db';
import { appendAudit } from '../audit-log';
import type { SystemSigner } from '../crypto/start-signing';
import type { Actor } from '../../workflows/rules/types';
import { DEATH_STOP_WORKFLOW_TYPE, deathStopWorkflowId, recordDeathUpdate } from '../../workflows/death-stop/messages';
import type { DeathSource, DeathStopInput } from '../../workflows/death-stop/state';

/** One query per this many ID numbers (the roster import's chunk size). */
export const MATCH_CHUNK = 1000;
/** Starts/updates in flight at once per request. */
export const SEND_CONCURRENCY = 16;

export interface DeathRow {
  index: number;
  idNumber: string;
  dateOfDeath: string;
}

export interface Matched {
  idNumber: string;
  householdId: string;
  villageCode: string;
  countyCode: string;
  /** an existing death stop of the person (a re-post, another source) */
  deathStopId?: string;
}

/**
 * R-DTH-01: who of `idNumbers` has a death stop already, or is an active member of an active household
 * (under `scope`, a division code: outside it is not revealed). Chunked; one indexed query per chunk each.
 */
export async function matchDeathRecords(prisma: Prisma, idNumbers: string[], scope = ''): Promise<Map<string, Matched>> {
  const found = new Map<string, Matched>();
  const ids = [...new Set(idNumbers)];
  for (let i = 0; i < ids.length; i += MATCH_CHUNK) {
    const chunk = ids.slice(i, i + MATCH_CHUNK);
    const stops = await prisma.$queryRaw<{ id_number: string; death_stop_id: string; household_id: string; village_code: string; county_code: string }[]>`
      SELECT id_number, death_stop_id, household_id, village_code, county_code FROM death_stop WHERE id_number = ANY(${chunk}::text[]) AND village_code LIKE ${`${scope}%`}`;
    for (const d of stops) found.set(d.id_number, { idNumber: d.id_number, deathStopId: d.death_stop_id, householdId: d.household_id, villageCode: d.village_code, countyCode: d.county_code });
    const rest = chunk.filter((id) => !found.has(id));
    if (!rest.length) continue;
    const members = await prisma.$queryRaw<{ id_number: string; household_id: string; village_code: string; county_code: string }[]>`
      SELECT DISTINCT ON (m.id_number) m.id_number, h.household_id, h.village_code, h.county_code
      FROM household_member m JOIN household h ON h.household_id = m.household_id
      WHERE m.id_number = ANY(${rest}::text[]) AND m.active AND h.status = 'active' AND h.village_code LIKE ${`${scope}%`}
      ORDER BY m.id_number, m.covered DESC, h.household_id`;
    for (const m of members) found.set(m.id_number, { idNumber: m.id_number, householdId: m.household_id, villageCode: m.village_code, countyCode: m.county_code });
  }
  return found;
}

/** The claimed row: the stop's id and the date of death of the claim that won (the stop starts with it). */
export interface Claim {
  deathStopId: string;
  dateOfDeath: string;
}

/** Who claimed a row: what `resendOrphanClaims` sends again if the claim's stop never started. */
export interface ClaimedBy {
  source: DeathSource;
  actor: Actor;
}

/** One death stop id per person: the first claim wins, every later one reads it (the unique id_number). Chunked. */
export async function claimDeathStops(prisma: Prisma, rows: (Matched & { dateOfDeath: string })[], by?: ClaimedBy): Promise<Map<string, Claim>> {
  const claimed = new Map<string, Claim>();
  for (let i = 0; i < rows.length; i += MATCH_CHUNK) {
    const chunk = rows.slice(i, i + MATCH_CHUNK);
    const fresh = chunk.filter((r) => !r.deathStopId);
    if (fresh.length) {
      // one multi-row statement per chunk (as the roster import writes); a person claimed meanwhile keeps the first claim
      const ids = fresh.map((r) => newDeathStopId(r.countyCode));
      await prisma.$executeRaw`
        INSERT INTO death_stop (death_stop_id, id_number, workflow_id, household_id, village_code, county_code, date_of_death, claimed_by, updated_at)
        SELECT d, i, ${deathStopWorkflowId('')} || d, h, v, c, dd::date, ${by ? JSON.stringify(by) : null}::jsonb, now()
        FROM unnest(${ids}::text[], ${fresh.map((r) => r.idNumber)}::text[], ${fresh.map((r) => r.householdId)}::text[], ${fresh.map((r) => r.villageCode)}::text[], ${fresh.map((r) => r.countyCode)}::text[], ${fresh.map((r) => r.dateOfDeath)}::text[]) AS t(d, i, h, v, c, dd)
        ON CONFLICT (id_number) DO NOTHING`;
    }
    const rowsNow = await prisma.$queryRaw<{ id_number: string; death_stop_id: string; date_of_death: string }[]>`
      SELECT id_number, death_stop_id, to_char(date_of_death, 'YYYY-MM-DD') AS date_of_death FROM death_stop WHERE id_number = ANY(${chunk.map((r) => r.idNumber)}::text[])`;
    for (const c of rowsNow) claimed.set(c.id_number, { deathStopId: c.death_stop_id, dateOfDeath: c.date_of_death });
  }
  return claimed;
}

export function newDeathStopId(county: string): string {
  return `DS-${county}-${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

export interface SendDeps {
  prisma: Prisma;
  client: Client;
  taskQueue: string;
  signer: Pick<SystemSigner, 'sign' | 'signStart'>;
  timeoutMs?: number;
}

/**
 * The signed `recordDeath` Update with start, answered once accepted. Its Update id comes from the stop, the source and the date, so
 * the same record posted again is the same Update (Temporal answers it once). A stop that has ended already
 * (a single-person household closed) takes no Update: the source is audited on its chain instead.
 * `stop.dateOfDeath` is the claimed row's (the start's, so the workflow and its row agree whoever reaches
 * Temporal first); `dateOfDeath` is this record's (a different one is flagged by the stop).
 */
export async function sendDeathRecord(deps: SendDeps, actor: Actor, source: DeathSource, deathStopId: string, stop: { idNumber: string; householdId: string; villageCode: string; countyCode: string; dateOfDeath: string }, dateOfDeath = stop.dateOfDeath): Promise<{ workflowId: string; closed: boolean }> {
  const workflowId = deathStopWorkflowId(deathStopId);
  const updateId = `death-record-${crypto.createHash('sha256').update(JSON.stringify([workflowId, source, dateOfDeath])).digest('hex').slice(0, 32)}`;
  const input: DeathStopInput = { deathStopId, idNumber: stop.idNumber, householdId: stop.householdId, villageCode: stop.villageCode, countyCode: stop.countyCode, dateOfDeath: stop.dateOfDeath };
  const start = new WithStartWorkflowOperation(DEATH_STOP_WORKFLOW_TYPE, {
    workflowId,
    taskQueue: deps.taskQueue,
    args: [deps.signer.signStart({ workflowType: DEATH_STOP_WORKFLOW_TYPE, workflowId }, input)],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  const args = [deps.signer.sign({ workflowId, update: recordDeathUpdate.name, updateId }, { source, dateOfDeath, actor })] as const;
  try {
    // bounded work per request: answered once the stop has accepted the record (signature, who, payload
    // checked in its validator), not once it has held the payments; the stop goes on by itself
    await deps.client.withDeadline(Date.now() + (deps.timeoutMs ?? 20_000), () => deps.client.workflow.startUpdateWithStart(recordDeathUpdate, { startWorkflowOperation: start, updateId, args: [...args], waitForStage: 'ACCEPTED' }));
    return { workflowId, closed: false };
  } catch (err) {
    // the stop has ended (a closed stop refuses a new start), or ended while this record was on its way
    if (!(err instanceof WorkflowExecutionAlreadyStartedError) && !(await ended(deps.client, workflowId))) throw err;
    // R-SUP-05: the stop has ended; the later source is still on its record
    await deps.prisma.$transaction((tx) =>
      appendAudit(tx, [{ key: `${workflowId}/${updateId}`, at: Date.now(), actor: actor.id, actorRole: actor.role, action: 'death_stop.source_recorded', data: { source, dateOfDeath, afterClose: true } }], { workflowId, caseId: deathStopId, jurisdiction: stop.villageCode }),
    );
    return { workflowId, closed: true };
  }
}

async function ended(client: Client, workflowId: string): Promise<boolean> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).status.name !== 'RUNNING';
  } catch {
    return false;
  }
}

/**
 * Runs `work` over `items`, `limit` at a time. After a failure no lane takes a new item (Temporal is
 * likely unreachable: 1,000 more 20 s deadlines would not help), and every lane settles before it
 * answers, so nothing is still being sent once the caller has its 503. Throws the first failure.
 */
export async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const lane = async () => {
    while (next < items.length && !failures.length) await work(items[next++]).catch((err) => void failures.push(err));
  };
  await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failures.length) throw failures[0];
}

/** R-DTH-01: a post whose sends did not all reach Temporal: what was sent (to audit), and why the rest was not. */
export class DeathIntakeIncomplete extends Error {
  constructor(
    readonly partial: Omit<DeathIntakeAnswer, 'received'> & { unsent: { index: number; idNumber: string }[] },
    override readonly cause: unknown,
  ) {
    super(`death records: ${partial.unsent.length} not sent (${cause instanceof Error ? cause.message : String(cause)}); their claims are sent again by a re-post or the sweep`);
  }
}

export interface DeathIntakeAnswer {
  received: number;
  matched: { index: number; idNumber: string; householdId: string; workflowId: string }[];
  unmatched: { index: number; idNumber: string }[];
}

/** Matches, claims and sends valid rows: the part of a post after each row was checked on its own. */
export async function intakeDeathRows(deps: SendDeps, actor: Actor, source: DeathSource, rows: DeathRow[], scope: string): Promise<Omit<DeathIntakeAnswer, 'received'>> {
  const found = await matchDeathRecords(deps.prisma, rows.map((r) => r.idNumber), scope);
  // one stop per person, whatever the file repeats: the first row's date of death starts it
  const first = new Map<string, DeathRow>();
  for (const r of rows) if (found.has(r.idNumber) && !first.has(r.idNumber)) first.set(r.idNumber, r);
  const claims = await claimDeathStops(deps.prisma, [...first.values()].map((r) => ({ ...found.get(r.idNumber)!, dateOfDeath: r.dateOfDeath })), { source, actor });
  const workflowOf = new Map<string, string>();
  const sending = pool([...first.values()], SEND_CONCURRENCY, async (r) => {
    const m = found.get(r.idNumber)!;
    const claim = claims.get(r.idNumber)!;
    const sent = await sendDeathRecord(deps, actor, source, claim.deathStopId, { ...m, dateOfDeath: claim.dateOfDeath }, r.dateOfDeath);
    workflowOf.set(r.idNumber, sent.workflowId);
  });
  const answer = () => ({
    matched: rows.filter((r) => workflowOf.has(r.idNumber)).map((r) => ({ index: r.index, idNumber: r.idNumber, householdId: found.get(r.idNumber)!.householdId, workflowId: workflowOf.get(r.idNumber)! })),
    unmatched: rows.filter((r) => !found.has(r.idNumber)).map((r) => ({ index: r.index, idNumber: r.idNumber })),
  });
  try {
    await sending;
  } catch (err) {
    // the claims not sent stay claimed: a re-post sends them, and so does the sweep (orphan-claims.ts)
    throw new DeathIntakeIncomplete({ ...answer(), unsent: rows.filter((r) => found.has(r.idNumber) && !workflowOf.has(r.idNumber)).map((r) => ({ index: r.index, idNumber: r.idNumber })) }, err);
  }
  return answer();
}
