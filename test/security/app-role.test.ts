// The application's database role (issue 16): the API and the worker connect as a role that may only
// insert and read the audit trail, so turning off the append-only trigger needs the owner's credentials.
import crypto from 'node:crypto';
import { Client } from 'pg';
import { createPrisma } from '../../activities/db';
import { ensureAppRole } from '../../scripts/stack/app-role';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

let db: TestDatabase;
let appUrl: string;
const role = `jz_app_${crypto.randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  db = await createTestDatabase();
  appUrl = await ensureAppRole(db.url, { role, password: crypto.randomBytes(16).toString('hex') });
});
afterAll(async () => {
  await db?.drop();
  const admin = new Client({ connectionString: process.env.JIUZHU_TEST_PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP ROLE IF EXISTS "${role}"`).catch(() => undefined);
  await admin.end();
});

it('API8 safe defaults: the application’s database role reads and writes cases, inserts and reads audit events, but cannot update them or disable the append-only trigger', async () => {
  const app = new Client({ connectionString: appUrl });
  await app.connect();
  try {
    // ordinary work: the projection, idempotency keys, rate-limit counters
    await app.query(`INSERT INTO idempotency_key (subject, key, request_hash, state) VALUES ('u', 'k', 'h', 'pending')`);
    await app.query(`DELETE FROM idempotency_key WHERE subject = 'u'`);
    await app.query(`INSERT INTO rate_limit (key, points) VALUES ('k', 1) ON CONFLICT (key) DO UPDATE SET points = rate_limit.points + 1`);
    expect((await app.query('SELECT count(*)::int AS n FROM staff_member')).rows[0].n).toBeGreaterThan(0);
    // the audit trail through the application's own code path: insert and read
    const prisma = createPrisma(appUrl, 1);
    const { appendAudit } = await import('../../activities/audit-log');
    await prisma.$transaction((tx) => appendAudit(tx, [{ key: `role-test-${role}`, at: Date.now(), actor: 'tester', action: 'role.test' }], {}));
    await prisma.$disconnect();
    expect((await app.query('SELECT count(*)::int AS n FROM audit_event')).rows[0].n).toBeGreaterThan(0);

    await expect(app.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_or_delete')).rejects.toThrow(/must be owner/);
    await expect(app.query(`UPDATE audit_event SET actor = 'someone-else'`)).rejects.toThrow(/permission denied/);
    await expect(app.query('DELETE FROM audit_event')).rejects.toThrow(/permission denied/);
    await expect(app.query('TRUNCATE audit_event')).rejects.toThrow(/permission denied/);
    await expect(app.query('SELECT * FROM schema_migration')).rejects.toThrow(/permission denied/);
    await expect(app.query('CREATE TABLE sneaky (x int)')).rejects.toThrow(/permission denied/);
  } finally {
    await app.end();
  }
});
