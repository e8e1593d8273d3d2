// Drives death stops in tests: recipients on the roster (a single person, a TEKUN person, the review's
// household of three), death records sent through the intake the API and change reports use, the stop's steps.
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Prisma } from '../../activities/db';
import { systemSignerFromEnv } from '../../activities/crypto/start-signing';
import { intakeDeathRows } from '../../activities/death-stop/intake';
import type { deathStop } from '../../workflows/death-stop/death-stop';
import { deathStopStateQuery } from '../../workflows/death-stop/messages';
import type { DeathSource, DeathStopView } from '../../workflows/death-stop/state';
import type { Actor } from '../../workflows/rules/types';
import { actors, member, VILLAGE } from './people';
import { trackWorkflow } from './temporal';

let n = 0;

/** A single-person household on the roster (DIBAO 60000 a month, or TEKUN), paid since `paymentStartMonth`. */
export async function singlePerson(prisma: Prisma, o: { programme?: 'DIBAO' | 'TEKUN'; birthDate?: string; monthlyFen?: number; paymentStartMonth?: string } = {}) {
  const person = member(`独居老人${++n}`, o.birthDate ?? `19${40 + (n % 20)}-0${1 + (n % 9)}-1${n % 10}`, { relation: 'self' });
  const householdId = `H-DS-${process.pid}-${Date.now().toString(36)}-${n}`;
  await prisma.household.create({
    data: {
      householdId,
      programme: o.programme ?? 'DIBAO',
      villageCode: VILLAGE,
      townshipCode: VILLAGE.slice(0, 9),
      countyCode: VILLAGE.slice(0, 6),
      residence: 'rural',
      status: 'active',
      monthlyFen: o.monthlyFen ?? 60000,
      enrolledOn: new Date('2025-06-10T00:00:00Z'),
      paymentStartMonth: o.paymentStartMonth ?? '2025-07',
      reviewClass: 'annual',
      nextReviewOn: new Date('2026-06-10T00:00:00Z'),
      singlePerson: true,
      members: { create: [{ idNumber: person.idNumber, name: person.name, relation: 'self', birthDate: new Date(`${person.birthDate}T00:00:00Z`), covered: true }] },
    },
  });
  return { householdId, person };
}

export type DeathStopHandle = WorkflowHandle<typeof deathStop>;

/** Death records through the one intake (match, claim, signed update-with-start), as the API sends them. */
export async function reportDeaths(prisma: Prisma, client: Client, taskQueue: string, source: DeathSource, records: { idNumber: string; dateOfDeath: string }[], actor: Actor = actors.countyCaseworker) {
  const r = await intakeDeathRows({ prisma, client, taskQueue, signer: systemSignerFromEnv() }, actor, source, records.map((x, index) => ({ index, ...x })), '');
  for (const m of r.matched) trackWorkflow(taskQueue, m.workflowId);
  return r;
}

export async function waitForDeathStep(handle: DeathStopHandle, step: string, timeoutMs = 30_000): Promise<DeathStopView> {
  const started = Date.now();
  for (;;) {
    const v = await handle.query(deathStopStateQuery);
    if (v.step === step) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`death stop stayed in step ${v.step}, expected ${step}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
