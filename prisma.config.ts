// Prisma CLI configuration. Prisma 6.19's JavaScript schema engine works offline (the classic engine
// would download a binary from Prisma's website, which this network refuses): see ../shared/PLATFORM.md.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

// The schema reads DATABASE_URL even where no connection is made (generate, diff): give it the default.
process.env.DATABASE_URL ??= 'postgresql://postgres:postgres@127.0.0.1:55432/jiuzhu';

export default defineConfig({
  experimental: { adapter: true },
  schema: path.join('prisma', 'schema.prisma'),
  engine: 'js',
  adapter: async () =>
    new PrismaPg({ connectionString: process.env.DATABASE_URL }),
});
