// R-DTH-01, issue 23 review §2: a claimed death_stop row whose stop never started (the send failed: Temporal
// unreachable, the API's 20 s deadline, a process killed between claim and send) would stay at step
// `opening` with no workflow and no hold, forever. Sending before claiming is no cure (two sources would each
// start a stop of their own: the claim is what makes it one per person), and a claim cannot share a
// transaction with Temporal. So the claim keeps who made it (`claimed_by`) and this sweep sends it again,
// as its first record, without a person: at the worker's start and every SWEEP_EVERY_MS after. Re-sending
// is harmless: the same Update id on `death-stop-<id>` (USE_EXISTING) is the same Update, a running stop
// answers it once. A re-post of the same person recovers the claim sooner the same way.
import { pool, sendDeathRecord, SEND_CONCURRENCY, type ClaimedBy, type SendDeps } from './intake';

/** A claim younger than this may still be on its way (the API's send deadline is 20 s). */
export const ORPHAN_AFTER_MS = 120_000;
export const SWEEP_EVERY_MS = 600_000;
const SWEEP_LIMIT = 1000;

/** Sends again every claim older than `olderThanMs` whose stop has not written its projection yet. */
export async function resendOrphanClaims(deps: SendDeps, olderThanMs = ORPHAN_AFTER_MS): Promise<{ resent: number; failed: number }> {
  const orphans = await deps.prisma.$queryRaw<{ death_stop_id: string; id_number: string; household_id: string; village_code: string; county_code: string; date_of_death: string; claimed_by: ClaimedBy }[]>`
    SELECT death_stop_id, id_number, household_id, village_code, county_code, to_char(date_of_death, 'YYYY-MM-DD') AS date_of_death, claimed_by
    FROM death_stop WHERE view IS NULL AND claimed_by IS NOT NULL AND created_at < now() - make_interval(secs => ${olderThanMs / 1000})
    ORDER BY created_at LIMIT ${SWEEP_LIMIT}`;
  let resent = 0;
  let failed = 0;
  await pool(orphans, SEND_CONCURRENCY, async (o) => {
    const stop = { idNumber: o.id_number, householdId: o.household_id, villageCode: o.village_code, countyCode: o.county_code, dateOfDeath: o.date_of_death };
    // one orphan that cannot be sent (refused by the stop's validator) must not stop the others: counted, left for the next sweep
    await sendDeathRecord(deps, o.claimed_by.actor, o.claimed_by.source, o.death_stop_id, stop).then(() => resent++, () => failed++);
  });
  return { resent, failed };
}

/** The worker's sweep: now and every SWEEP_EVERY_MS; a failed sweep is logged and tried again next time. */
export function sweepOrphanClaims(deps: SendDeps, log: (line: string) => void): () => void {
  const run = () =>
    resendOrphanClaims(deps).then(
      (r) => r.resent + r.failed > 0 && log(`death stops: ${r.resent} orphan claims sent again, ${r.failed} failed`),
      (err) => log(`death stops: orphan claim sweep failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  void run();
  const timer = setInterval(run, SWEEP_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
