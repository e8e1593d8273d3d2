// The application's own PostgreSQL role (issue 16): the API and the worker connect as a role that may
// read and write the working tables but only INSERT and SELECT the append-only ones (the audit trail),
// and owns nothing, so disabling the append-only trigger (ALTER TABLE) needs the owner's credentials.
// The owner role runs the migrations and then calls ensureAppRole; grants are re-applied on every start
// so tables added by later migrations are covered.
import { Client } from 'pg';

export interface AppRoleOptions {
  /** role name, e.g. jiuzhu_app */
  role: string;
  password: string;
  /** tables the role may only INSERT and SELECT (R-SUP-05) */
  appendOnly?: string[];
  /** tables the role may not touch at all (the migration runner's own record) */
  hidden?: string[];
}

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return `"${name}"`;
};

/** Creates or updates the role and its grants, connected as the database owner; returns the role's URL. */
export async function ensureAppRole(ownerUrl: string, o: AppRoleOptions): Promise<string> {
  const role = ident(o.role);
  const appendOnly = (o.appendOnly ?? ['audit_event', 'audit_anchor']).map(ident);
  const hidden = (o.hidden ?? ['schema_migration']).map(ident);
  const c = new Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    const db = (await c.query('SELECT current_database() AS d')).rows[0].d as string;
    const exists = (await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [o.role])).rowCount === 1;
    const password = `'${o.password.replace(/'/g, "''")}'`;
    await c.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD ${password}`);
    await c.query('BEGIN');
    await c.query(`GRANT CONNECT ON DATABASE ${ident(db)} TO ${role}`);
    await c.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await c.query(`REVOKE CREATE ON SCHEMA public FROM ${role}`);
    await c.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await c.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    for (const t of appendOnly) {
      await c.query(`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${t} FROM ${role}`);
      await c.query(`GRANT SELECT, INSERT ON ${t} TO ${role}`);
    }
    for (const t of hidden) {
      const present = (await c.query('SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2', ['public', t.slice(1, -1)])).rowCount === 1;
      if (present) await c.query(`REVOKE ALL ON ${t} FROM ${role}`);
    }
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await c.end();
  }
  const url = new URL(ownerUrl);
  url.username = o.role;
  url.password = o.password;
  return url.toString();
}
