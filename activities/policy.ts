// R-POL: resolve the policy in force for a jurisdiction on a date. Profiles are inherited down the
// tree national → province → city → county; at each level the latest profile effective on or before
// the date applies, and only the keys it sets override the level above.
import type { Prisma } from './db';
import { policyParamsSchema } from './policy-schema';
import { mergePolicy, type PolicyParams, type ResolvedPolicy } from '../workflows/rules/policy';

export const NATIONAL = '';

/** The jurisdictions whose profiles apply to a division code, most general first. */
export function policyLevels(code: string): string[] {
  return [NATIONAL, code.slice(0, 2), code.slice(0, 4), code.slice(0, 6)].filter((c, i, all) => c.length <= code.length && all.indexOf(c) === i);
}

export class PolicyNotResolvable extends Error {}

export async function resolvePolicy(prisma: Prisma, jurisdiction: string, on: string): Promise<ResolvedPolicy> {
  const levels = policyLevels(jurisdiction);
  const rows = await prisma.policyProfile.findMany({
    where: { jurisdiction: { in: levels }, effectiveFrom: { lte: new Date(`${on}T00:00:00Z`) } },
    orderBy: { effectiveFrom: 'desc' },
  });
  let merged: unknown = {};
  const sources: string[] = [];
  for (const level of levels) {
    const row = rows.find((r) => r.jurisdiction === level); // rows are newest first
    if (!row) continue;
    merged = mergePolicy(merged, row.params);
    sources.push(`${level || 'national'}@${row.effectiveFrom.toISOString().slice(0, 10)}`);
  }
  const parsed = policyParamsSchema.safeParse(merged);
  if (!parsed.success) {
    // Retryable on purpose: the case waits while an operator corrects the profile, and is not lost.
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new PolicyNotResolvable(`no complete policy for ${jurisdiction} on ${on} (${sources.join(' + ') || 'no profile'}): ${where}`);
  }
  return { params: parsed.data as PolicyParams, sources, on };
}

export function createPolicyActivities(prisma: Prisma) {
  return {
    async resolvePolicy(input: { jurisdiction: string; on: string }): Promise<ResolvedPolicy> {
      return resolvePolicy(prisma, input.jurisdiction, input.on);
    },
  };
}
