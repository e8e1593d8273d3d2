// Each test file works in its own database, cloned from the template the global setup prepared.
import crypto from 'node:crypto';
import { Client } from 'pg';
import { createPrisma, type Prisma } from '../../activities/db';

export interface TestDatabase {
  url: string;
  prisma: Prisma;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.JIUZHU_TEST_PG_ADMIN_URL;
  if (!adminUrl) throw new Error('JIUZHU_TEST_PG_ADMIN_URL is not set: run the tests through jest (global setup)');
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE jiuzhu_template`);
  await admin.end();
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const prisma = createPrisma(url);
  return {
    url,
    prisma,
    async drop() {
      await prisma.$disconnect();
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
