// What every sandbox of an external system (the agency, the bank) shares, so a new one is its protocol and
// its routes (issue 23 "fix the kit, don't copy"): listening and closing, the state file kept across
// restarts, the bearer key, and the hash that tells a repeated request from a different one.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Express, NextFunction, Request, Response } from 'express';

export interface RunningSandbox {
  url: string;
  close(): Promise<void>;
}

/**
 * Listens on `port` (0: any free one). `dropOpenRequests`: close() also cuts requests still open (a sandbox
 * whose faults leave requests hanging); otherwise it waits for them and only drops idle keep-alive sockets.
 */
export async function listenSandbox(app: Express, opts: { port: number; host?: string; dropOpenRequests?: boolean }): Promise<RunningSandbox> {
  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(opts.port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // keep-alive sockets from fetch would otherwise hold close() open until they time out
        if (opts.dropOpenRequests) server.closeAllConnections();
        else server.closeIdleConnections();
      }),
  };
}

/** The state kept before, or undefined; a corrupt file throws (start-up stops rather than forget). */
export function readStateFile<T>(file: string | undefined, schema: { parse(v: unknown): T }): T | undefined {
  if (!file || !fs.existsSync(file)) return undefined;
  return schema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** Writes then renames, so a crash mid-write leaves the previous state rather than half a file. */
export function writeStateFile(file: string | undefined, state: unknown): void {
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state, null, 2));
  fs.renameSync(tmp, file);
}

/** Key order must not make the same request look different. */
export function hashBody(body: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, canonical(x)]))
        : v;
  return crypto.createHash('sha256').update(JSON.stringify(canonical(body))).digest('hex');
}

/** `Authorization: Bearer <apiKey>`, compared in constant time; anything else is `unauthorized()`'s 401. */
export function bearerAuth(apiKey: string, unauthorized: () => Error) {
  const expected = Buffer.from(`Bearer ${apiKey}`);
  return (req: Request, res: Response, next: NextFunction) => {
    const given = Buffer.from(req.get('Authorization') ?? '');
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw unauthorized();
    }
    next();
  };
}
