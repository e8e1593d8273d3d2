// §5 embedded PostgreSQL as root (issue 11): a project in a private folder (mode 0700, as `mktemp -d`
// makes) gets a running PostgreSQL without that folder being opened up, or a refusal that says what to do.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startPostgres } from '../../scripts/stack/postgres';
import { freePort } from '../../scripts/stack/ports';

const asRoot = os.userInfo().uid === 0;
const mode = (p: string) => fs.statSync(p).mode & 0o777;
let privateDir: string;

beforeEach(() => {
  privateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-private-'));
});
afterEach(() => fs.rmSync(privateDir, { recursive: true, force: true }));

it('§5 embedded PostgreSQL: a scratch cluster for a project in a 0700 folder runs, and the folder stays 0700', async () => {
  expect(mode(privateDir)).toBe(0o700);
  const pg = await startPostgres({ dataDir: path.join(privateDir, 'pg'), port: await freePort(), log: () => undefined });
  try {
    const client = new Client({ connectionString: pg.url('postgres') });
    await client.connect();
    const { rows } = await client.query('SELECT current_setting($1) AS v', ['server_version_num']);
    await client.end();
    expect(Number(rows[0].v)).toBeGreaterThanOrEqual(170000);
    expect(mode(privateDir)).toBe(0o700);
    if (asRoot) {
      // out of the private folder, owned by the postgres user
      expect(pg.dataDir.startsWith(privateDir)).toBe(false);
      expect(fs.statSync(pg.dataDir).uid).not.toBe(0);
      expect(mode(pg.dataDir)).toBe(0o700);
    } else {
      expect(pg.dataDir).toBe(path.join(privateDir, 'pg'));
    }
  } finally {
    await pg.stop();
  }
  if (asRoot) expect(fs.existsSync(pg.dataDir)).toBe(false); // a scratch cluster is removed by stop()
});

it('§5 embedded PostgreSQL: JIUZHU_PG_ROOT inside a private folder is refused at once as root, saying what to do', async () => {
  const before = process.env.JIUZHU_PG_ROOT;
  process.env.JIUZHU_PG_ROOT = path.join(privateDir, 'pg-root');
  try {
    const started = Date.now();
    const start = startPostgres({ dataDir: path.join(privateDir, 'pg'), port: await freePort(), log: () => undefined });
    if (asRoot) {
      await expect(start).rejects.toThrow(/postgres system user cannot reach .*Set JIUZHU_PG_ROOT .*or DATABASE_URL/);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(fs.readdirSync(path.join(privateDir, 'pg-root')).filter((n) => n.startsWith('postgresql-'))).toEqual([]); // nothing copied
    } else {
      await (await start).stop(); // not as root the setting is not used: the cluster runs where it was named
    }
    expect(mode(privateDir)).toBe(0o700);
  } finally {
    if (before === undefined) delete process.env.JIUZHU_PG_ROOT;
    else process.env.JIUZHU_PG_ROOT = before;
  }
});
