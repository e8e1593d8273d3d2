// The frame of an operator command: a database connection (DATABASE_URL, or the embedded default),
// one line per error, a non-zero exit on failure, the connection closed either way.
import { createPrisma, type Prisma } from '../activities/db';
import { DEFAULT_DATABASE_URL } from '../activities/config';

export class UsageError extends Error {}

export function runCli(main: (prisma: Prisma, args: string[]) => Promise<void>): void {
  const prisma = createPrisma(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, 2);
  main(prisma, process.argv.slice(2))
    .catch((err: Error) => {
      console.error(err.message);
      process.exitCode = err instanceof UsageError ? 2 : 1;
    })
    .finally(() => prisma.$disconnect());
}
