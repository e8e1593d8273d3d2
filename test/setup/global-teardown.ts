import fs from 'node:fs';
import type { PostgresServer } from '../../scripts/stack/postgres';

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as Record<string, unknown>).__JIUZHU_PG__ as PostgresServer | undefined;
  await pg?.stop();
  if (process.env.JIUZHU_TEST_DIR) fs.rmSync(process.env.JIUZHU_TEST_DIR, { recursive: true, force: true });
}
