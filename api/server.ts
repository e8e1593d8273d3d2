// The API server entry: listens on PORT and stops cleanly on SIGINT/SIGTERM.
import { Client, Connection } from '@temporalio/client';
import { loadSettings, DEFAULT_JWT_SECRET } from '../activities/config';
import { dataConverterFromEnv } from '../activities/crypto/data-converter';
import { createPrisma } from '../activities/db';
import { temporalConnectionOptions } from '../activities/temporal-connection';
import { createApp } from './app';

async function main(): Promise<void> {
  const settings = loadSettings();
  if (settings.jwt.secret === DEFAULT_JWT_SECRET) console.warn('JWT_SECRET is the development default: set it (or JWT_PUBLIC_KEY) in production');
  const prisma = createPrisma(settings.databaseUrl);
  const connection = await Connection.connect(temporalConnectionOptions(settings.temporal));
  const client = new Client({ connection, namespace: settings.temporal.namespace, dataConverter: dataConverterFromEnv() });
  const app = createApp({ prisma, client, taskQueue: settings.temporal.taskQueue, jwt: settings.jwt, commandTimeoutMs: settings.commandTimeoutMs, log: (l) => console.log(l) });
  const server = app.listen(settings.port, () => console.log(`API listening on http://127.0.0.1:${settings.port} (OpenAPI at /openapi.json)`));
  const stop = () => {
    console.log('API stopping');
    server.close(async () => {
      await connection.close();
      await prisma.$disconnect();
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
