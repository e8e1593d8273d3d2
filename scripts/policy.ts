// Policy profiles (R-POL), per jurisdiction and effective date.
//   npm run policy -- show <jurisdiction> [YYYY-MM-DD]        the parameters in force and where each level comes from
//   npm run policy -- set <jurisdiction> <YYYY-MM-DD> <file.json> [--by <name>]
// A profile lists only what its level overrides; each new version of a level replaces that level's
// previous version from its effective date. Cases use the policy in force at each step. A profile that
// loosens a safeguard (R-POL bounds) or sets a standard below the province's is refused, naming the field.
import fs from 'node:fs';
import { runCli, UsageError } from './cli';
import { checkNewProfile, resolvePolicy } from '../activities/policy';
import { policyOverrideSchema } from '../activities/policy-schema';
import { chinaDate, isDate } from '../workflows/rules/dates';
import { ensureRecheckSchedules } from '../activities/review/schedules';
import { connectOperatorClient } from './temporal-client';

runCli(async (prisma, argv) => {
  const [command, jurisdiction, a, b] = argv;
  const by = argv.includes('--by') ? argv[argv.indexOf('--by') + 1] : (process.env.USER ?? 'operator');
  if (command === 'show' && jurisdiction !== undefined) {
    const resolved = await resolvePolicy(prisma, jurisdiction, a ?? chinaDate(Date.now()));
    console.log(JSON.stringify(resolved, null, 2));
  } else if (command === 'set' && /^(\d{2}|\d{4}|\d{6})$/.test(jurisdiction ?? '') && a && isDate(a) && b) {
    const params = policyOverrideSchema.safeParse(JSON.parse(fs.readFileSync(b, 'utf8')));
    if (!params.success) throw new Error(params.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
    // R-POL: a profile that loosens a safeguard, here or for a county below, is refused before it is written
    const effectiveFrom = new Date(`${a}T00:00:00Z`);
    const issues = await checkNewProfile(prisma, { jurisdiction, effectiveFrom, params: params.data });
    if (issues.length) throw new Error(`refused (R-POL):\n${issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`);
    await prisma.policyProfile.create({ data: { jurisdiction, effectiveFrom, params: params.data as object, createdBy: by } });
    const check = await resolvePolicy(prisma, jurisdiction, a);
    console.log(`policy for ${jurisdiction} from ${a} recorded; in force then: ${check.sources.join(' + ')}`);
    await refreshRecheckSchedules(prisma, jurisdiction);
  } else {
    throw new UsageError('usage: npm run policy -- show <jurisdiction> [date] | set <2/4/6-digit jurisdiction> <YYYY-MM-DD> <file.json> [--by name]');
  }
});

/** R-REV-06: the recheck schedules of the counties under the jurisdiction follow its policy (catch-up window). */
async function refreshRecheckSchedules(prisma: Parameters<typeof ensureRecheckSchedules>[1], prefix: string): Promise<void> {
  let temporal: Awaited<ReturnType<typeof connectOperatorClient>> | undefined;
  try {
    temporal = await connectOperatorClient();
    await ensureRecheckSchedules(temporal.client, prisma, { taskQueue: temporal.taskQueue, prefix, log: console.log });
  } catch (err) {
    console.warn(`recheck schedules not updated now (${(err as Error).message}); the worker updates them at its next start`);
  } finally {
    await temporal?.close();
  }
}
