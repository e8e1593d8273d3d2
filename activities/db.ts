// The Prisma client, through the pg driver adapter (Prisma 6.19 with engineType "client": no Rust engine).
// Interactive transactions are bounded twice (issue 11 §5): Prisma gives up waiting for a connection
// after maxWait and rolls back after timeout, and PostgreSQL itself ends a wait for a lock, or a
// transaction left idle, that outlives them, so a stuck transaction cannot hold a pool slot for ever.
// (No statement_timeout: long reads such as an audit export are not stuck.)
import { PrismaClient } from '@prisma/client';
import { PrismaPg } from '@prisma/adapter-pg';

export type Prisma = PrismaClient;

const ms = (name: string, fallback: number) => {
  const n = Number(process.env[name] || fallback);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

/** Options for every `prisma.$transaction(async (tx) => …)`: DB_TRANSACTION_MAX_WAIT_MS, DB_TRANSACTION_TIMEOUT_MS. */
export const TRANSACTION_OPTIONS = {
  /** to obtain a connection from the pool and begin */
  maxWait: ms('DB_TRANSACTION_MAX_WAIT_MS', 5_000),
  /** from begin to commit */
  timeout: ms('DB_TRANSACTION_TIMEOUT_MS', 15_000),
} as const;

export function createPrisma(databaseUrl: string, maxConnections = 10): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: maxConnections,
    // server side: a lock wait, or a transaction left idle, that outlives Prisma's own timeout
    lock_timeout: TRANSACTION_OPTIONS.timeout,
    idle_in_transaction_session_timeout: TRANSACTION_OPTIONS.timeout + 5_000,
  });
  return new PrismaClient({ adapter });
}
