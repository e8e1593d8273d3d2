// R-POL: resolve the policy in force for a jurisdiction on a date. Profiles are inherited down the
// tree national → province → city → county; at each level the latest profile effective on or before
// the date applies, and only the keys it sets override the level above. A profile that loosens a
// safeguard or sets a standard below the province's is refused, naming the field.
import type { Prisma } from './db';
import { policyBoundIssues, type PolicyIssue } from './policy-schema';
import { mergePolicy, type PolicyParams, type ResolvedPolicy } from '../workflows/rules/policy';

export const NATIONAL = '';

/** The jurisdictions whose profiles apply to a division code, most general first. */
export function policyLevels(code: string): string[] {
  return [NATIONAL, code.slice(0, 2), code.slice(0, 4), code.slice(0, 6)].filter((c, i, all) => c.length <= code.length && all.indexOf(c) === i);
}

export class PolicyNotResolvable extends Error {}

export interface ProfileRow {
  jurisdiction: string;
  effectiveFrom: Date;
  params: unknown;
}

/** Pure: merge the profiles in force on `on` for `jurisdiction` and list every bound it breaks. */
export function resolveFromRows(rows: ProfileRow[], jurisdiction: string, on: string): { merged: unknown; sources: string[]; issues: PolicyIssue[] } {
  const at = new Date(`${on}T00:00:00Z`).getTime();
  let merged: unknown = {};
  let province: unknown;
  const sources: string[] = [];
  for (const level of policyLevels(jurisdiction)) {
    const row = rows
      .filter((r) => r.jurisdiction === level && r.effectiveFrom.getTime() <= at)
      .sort((a, b) => b.effectiveFrom.getTime() - a.effectiveFrom.getTime())[0];
    if (row) {
      merged = mergePolicy(merged, row.params);
      sources.push(`${level || 'national'}@${row.effectiveFrom.toISOString().slice(0, 10)}`);
    }
    // the province's guidance standards bound every level below it (seed 000 四)
    if (level.length === 2 && jurisdiction.length > 2) province = merged;
  }
  return { merged, sources, issues: policyBoundIssues(merged, province) };
}

export async function resolvePolicy(prisma: Prisma, jurisdiction: string, on: string): Promise<ResolvedPolicy> {
  const rows = await prisma.policyProfile.findMany({
    where: { jurisdiction: { in: policyLevels(jurisdiction) }, effectiveFrom: { lte: new Date(`${on}T00:00:00Z`) } },
  });
  const { merged, sources, issues } = resolveFromRows(rows, jurisdiction, on);
  if (issues.length) {
    // Retryable on purpose: the case waits while an operator corrects the profile, and is not lost.
    const where = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new PolicyNotResolvable(`no complete policy for ${jurisdiction} on ${on} (${sources.join(' + ') || 'no profile'}): ${where}`);
  }
  return { params: merged as PolicyParams, sources, on };
}

/**
 * R-POL, at load time: the issues a new profile would cause, for its own jurisdiction and for every
 * city and county below it that has a profile, on its effective date and on every later date a profile of those
 * levels takes effect. Empty: the profile may be recorded.
 */
export async function checkNewProfile(prisma: Prisma, profile: ProfileRow): Promise<PolicyIssue[]> {
  const all: ProfileRow[] = await prisma.policyProfile.findMany();
  const rows = [...all.filter((r) => !(r.jurisdiction === profile.jurisdiction && r.effectiveFrom.getTime() === profile.effectiveFrom.getTime())), profile];
  const below = [...new Set(rows.map((r) => r.jurisdiction).filter((j) => j.length > profile.jurisdiction.length && j.startsWith(profile.jurisdiction)))];
  const issues = new Map<string, PolicyIssue>();
  for (const j of [profile.jurisdiction, ...below]) {
    const levels = policyLevels(j);
    const dates = [...new Set(rows.filter((r) => levels.includes(r.jurisdiction) && r.effectiveFrom >= profile.effectiveFrom).map((r) => r.effectiveFrom.toISOString().slice(0, 10)))];
    for (const on of dates) {
      for (const i of resolveFromRows(rows, j, on).issues) {
        const where = j === profile.jurisdiction ? i : { path: i.path, message: `${i.message} (in force for ${j} from ${on})` };
        issues.set(`${where.path}|${where.message}`, where);
      }
    }
  }
  return [...issues.values()];
}

export function createPolicyActivities(prisma: Prisma) {
  return {
    async resolvePolicy(input: { jurisdiction: string; on: string }): Promise<ResolvedPolicy> {
      return resolvePolicy(prisma, input.jurisdiction, input.on);
    },
  };
}
