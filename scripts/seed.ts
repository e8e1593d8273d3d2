// Reference data: the national policy defaults (R-POL) and the demonstration county, training county,
// staff and near-relative register (prisma/seed/demo.json). Idempotent: existing rows are left as they
// are, so an operator's later changes survive every `make start`. The demo staff are seeded only in
// development (JIUZHU_ENV=development): in production they would be accounts anyone can name.
import fs from 'node:fs';
import path from 'node:path';
import { createPrisma } from '../activities/db';
import { policyOverrideSchema, policyParamsSchema } from '../activities/policy-schema';
import { NATIONAL } from '../activities/policy';
import { isDevelopment } from '../activities/config';

const SEED_DIR = path.join(__dirname, '..', 'prisma', 'seed');
const read = (name: string) => JSON.parse(fs.readFileSync(path.join(SEED_DIR, name), 'utf8'));
const day = (d: string) => new Date(`${d}T00:00:00Z`);

interface Demo {
  divisions: { code: string; name: string; level: string; parentCode?: string }[];
  policies: { jurisdiction: string; effectiveFrom: string; note?: string; params: unknown }[];
  staff: { staffId: string; name: string; role: string; jurisdiction: string }[];
  relatives: { staffId: string; relativeIdNumber: string; relativeName: string; relation: string; registeredOn: string }[];
}

export async function seedReferenceData(databaseUrl: string, options: { demo?: boolean } = {}): Promise<void> {
  if (options.demo && !isDevelopment()) throw new Error('the demo staff and counties are seeded only in development (JIUZHU_ENV=development)');
  const demo = options.demo ?? isDevelopment();
  const prisma = createPrisma(databaseUrl, 2);
  try {
    const national = read('national-policy.json');
    const policies = [{ jurisdiction: NATIONAL, effectiveFrom: national.effectiveFrom, note: 'national defaults (DOMAIN.md)', params: policyParamsSchema.parse(national.params) }];
    if (demo) {
      const demo = read('demo.json') as Demo;
      await prisma.division.createMany({ data: demo.divisions.map((d) => ({ ...d, parentCode: d.parentCode ?? null })), skipDuplicates: true });
      await prisma.staffMember.createMany({ data: demo.staff, skipDuplicates: true });
      await prisma.staffRelative.createMany({ data: demo.relatives.map((r) => ({ ...r, registeredOn: day(r.registeredOn) })), skipDuplicates: true });
      for (const p of demo.policies) policies.push({ ...p, note: p.note ?? '', params: policyOverrideSchema.parse(p.params) as never });
    }
    await prisma.policyProfile.createMany({
      data: policies.map((p) => ({ jurisdiction: p.jurisdiction, effectiveFrom: day(p.effectiveFrom), note: p.note, params: p.params as object, createdBy: 'seed' })),
      skipDuplicates: true,
    });
    await addNewNationalParams(prisma, national.effectiveFrom, policies[0].params as Record<string, unknown>);
  } finally {
    await prisma.$disconnect();
  }
}

/**
 * A national parameter added since a database was seeded (e.g. maxPublicityRounds) reaches its stored
 * national profile with its default; every value already stored stays as it is. Without it the profile
 * would fail its bounds and no case could resolve its policy.
 */
async function addNewNationalParams(prisma: ReturnType<typeof createPrisma>, effectiveFrom: string, defaults: Record<string, unknown>): Promise<void> {
  const stored = await prisma.policyProfile.findUnique({ where: { jurisdiction_effectiveFrom: { jurisdiction: NATIONAL, effectiveFrom: day(effectiveFrom) } } });
  const params = (stored?.params ?? {}) as Record<string, unknown>;
  const missing = Object.keys(defaults).filter((k) => !(k in params));
  if (!stored || missing.length === 0) return;
  await prisma.policyProfile.update({ where: { id: stored.id }, data: { params: { ...Object.fromEntries(missing.map((k) => [k, defaults[k]])), ...params } as object } });
}

if (require.main === module) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set');
    process.exit(2);
  }
  seedReferenceData(url, { demo: isDevelopment() && process.env.SEED_DEMO !== '0' })
    .then(() => console.log('reference data seeded'))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
