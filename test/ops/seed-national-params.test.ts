// R-POL: a national parameter added after a database was seeded (maxPublicityRounds, R-APP-10) reaches
// the stored national profile at the next seed, with its default; what an operator stored stays.
import { seedReferenceData } from '../../scripts/seed';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

it('R-POL, R-APP-10: seeding a database whose national profile predates maxPublicityRounds adds it (3) and keeps the stored values', async () => {
  const national = await db.prisma.policyProfile.findFirstOrThrow({ where: { jurisdiction: '' } });
  const { maxPublicityRounds, ...older } = national.params as Record<string, unknown>;
  expect(maxPublicityRounds).toBe(3);
  await db.prisma.policyProfile.update({ where: { id: national.id }, data: { params: { ...older, receivedOnMaxDays: 60 } } });
  await seedReferenceData(db.url);
  const after = (await db.prisma.policyProfile.findUniqueOrThrow({ where: { id: national.id } })).params as Record<string, unknown>;
  expect(after).toMatchObject({ maxPublicityRounds: 3, receivedOnMaxDays: 60 });
});
