// The API server entry: listens on HOST:PORT (127.0.0.1 by default) and stops gracefully on SIGINT/SIGTERM:
// it stops accepting, lets the requests in flight finish within API_SHUTDOWN_GRACE_MS, then exits (issue 16).
// Outside development it refuses to start without a JWT key of its own (activities/config.ts).
import express from 'express';
import { Client, Connection } from '@temporalio/client';
import { settingsOrExit } from '../activities/config';
import { dataConverterFromEnv } from '../activities/crypto/data-converter';
import { createPrisma } from '../activities/db';
import { temporalConnectionOptions } from '../activities/temporal-connection';
import { createApp } from './app';
import { IdempotencyStore } from './idempotency';
import { ActorSigner } from './actor-signing';
import { parseSigningKey } from '../activities/crypto/actor-keys';

const PURGE_EVERY_MS = 3_600_000;

async function main(): Promise<void> {
  const settings = settingsOrExit(['jwt', 'actor-signing']);
  const prisma = createPrisma(settings.databaseUrl);
  const connection = await Connection.connect(temporalConnectionOptions(settings.temporal));
  const client = new Client({ connection, namespace: settings.temporal.namespace, dataConverter: dataConverterFromEnv() });
  const app = createApp({
    prisma,
    client,
    taskQueue: settings.temporal.taskQueue,
    jwt: settings.jwt,
    commandTimeoutMs: settings.commandTimeoutMs,
    rateLimits: settings.rateLimits,
    idempotencyTtlHours: settings.idempotencyTtlHours,
    trustProxy: settings.trustProxy,
    actorSigner: new ActorSigner(parseSigningKey(settings.actorKeys.signing!)),
    log: (l) => console.log(l),
  });

  let stopping = false;
  const outer = express();
  outer.disable('x-powered-by');
  // while stopping, every answer closes its connection: a keep-alive client reconnects elsewhere
  outer.use((_req, res, next) => {
    if (stopping) res.set('Connection', 'close');
    next();
  });
  outer.use(app);

  const server = outer.listen(settings.port, settings.host, () => {
    const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
    console.log(`API listening on http://${host}:${settings.port} (OpenAPI at /openapi.json)`);
  });
  // requests Node refuses before the app sees them (headers over 16 KB, malformed HTTP) get a problem too
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const body = JSON.stringify({ type: 'https://jiuzhu.example.cn/problems/invalid-request', title: 'The request is invalid', status, detail: status === 431 ? 'request headers too large' : 'malformed HTTP request' });
    socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  server.on('error', (err) => {
    console.error(`API cannot listen on ${settings.host}:${settings.port}: ${err.message}`);
    process.exit(1);
  });

  // stored Idempotency-Key answers past IDEMPOTENCY_TTL_HOURS are dropped, bodies included
  const idempotency = new IdempotencyStore(prisma, { ttlHours: settings.idempotencyTtlHours });
  const purge = () => idempotency.purgeExpired().catch((err) => console.error(`idempotency purge failed: ${err.message}`));
  void purge();
  const purgeTimer = setInterval(purge, PURGE_EVERY_MS);
  purgeTimer.unref();

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(purgeTimer);
    console.log(`API stopping (${signal}): no new connections; requests in flight have ${settings.shutdownGraceMs} ms`);
    server.close(async () => {
      await connection.close().catch(() => undefined);
      await prisma.$disconnect().catch(() => undefined);
      console.log('API stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => {
      console.log('API grace period over: closing the connections still open');
      server.closeAllConnections();
    }, settings.shutdownGraceMs).unref();
    setTimeout(() => process.exit(1), settings.shutdownGraceMs + 5_000).unref();
  };
  // on, not once: tsx relays the signal its process group already got, and a second one must not kill us mid-grace
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
