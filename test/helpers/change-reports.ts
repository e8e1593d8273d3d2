// Change-report tests (R-REV-03…05): a worker running the bundle of the change reports and a stub `review`
// (fixtures/review-stub.ts), with the real activities; recipients written straight to the roster (the
// roster import is another issue's).
import type { BankAdapter } from '../../activities/bank/adapter';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createCalendarSource } from '../../activities/calendar';
import { actorKeysWebpackHook, parseVerifyKeys } from '../../activities/crypto/actor-keys';
import { dataConverterFromEnv, FAILURE_CONVERTER_PATH } from '../../activities/crypto/data-converter';
import type { Prisma } from '../../activities/db';
import type { VerificationAgency } from '../../activities/verification/agency';

const quiet = { info: () => undefined, warn: () => undefined, error: console.error, debug: () => undefined, trace: () => undefined, log: () => undefined };

export async function reviewStubBundle(): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows/fixtures/review-stub'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    webpackConfigHook: actorKeysWebpackHook(parseVerifyKeys(process.env.ACTOR_VERIFY_KEYS!)),
    logger: quiet,
  });
  return code;
}

export async function changeReportWorker(env: TestWorkflowEnvironment, prisma: Prisma, code: string, taskQueue: string): Promise<Worker> {
  // neither the agency nor the bank is called by these workflows
  const activities = createActivities({ prisma, agency: undefined as unknown as VerificationAgency, bank: undefined as unknown as BankAdapter, calendar: createCalendarSource(prisma, 0), temporal: env.client });
  return Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: { code }, activities, dataConverter: dataConverterFromEnv() });
}

/** An active recipient household of `villageCode` with the given members (valid ID numbers). */
export async function recipient(prisma: Prisma, householdId: string, villageCode: string, idNumbers: string[]): Promise<void> {
  await prisma.household.create({
    data: {
      householdId,
      programme: 'DIBAO',
      villageCode,
      townshipCode: villageCode.slice(0, 9),
      countyCode: villageCode.slice(0, 6),
      residence: 'rural',
      status: 'active',
      monthlyFen: 50000,
      enrolledOn: new Date('2025-06-01T00:00:00Z'),
      paymentStartMonth: '2025-07',
      reviewClass: 'annual',
      nextReviewOn: new Date('2026-06-01T00:00:00Z'),
      members: { create: idNumbers.map((idNumber, i) => ({ idNumber, name: `成员${i + 1}`, relation: i === 0 ? 'self' : 'spouse', birthDate: new Date('1960-01-01T00:00:00Z'), covered: true })) },
    },
  });
}
