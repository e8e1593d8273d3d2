// A small HTTP client for API tests: real requests against the app listening on a loopback port.
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { signToken, type User } from '../../api/auth';

/** A fresh secret per test process: no secret written in the repository is ever accepted (issue 16, API2). */
export const TEST_JWT_SECRET = crypto.randomBytes(32).toString('hex');

/** A token as the identity service issues them: exp (1 h), aud jiuzhu. */
export function token(sub: string, role: User['role'], jurisdiction: string, name = sub): string {
  return signToken({ sub, name, role, jurisdiction }, TEST_JWT_SECRET, '1h');
}

export interface HttpResult<T = any> {
  status: number;
  type: string;
  headers: Headers;
  body: T;
}

export interface HttpClient {
  baseUrl: string;
  request<T = any>(method: string, path: string, o?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> }): Promise<HttpResult<T>>;
  close(): Promise<void>;
}

export async function listen(app: Express): Promise<HttpClient> {
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...client(baseUrl),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function client(baseUrl: string): Omit<HttpClient, 'close'> {
  return {
    baseUrl,
    async request(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let payload: string | undefined;
      if (o.raw !== undefined) payload = o.raw;
      else if (o.body !== undefined) payload = JSON.stringify(o.body);
      if (payload !== undefined) headers['content-type'] ??= 'application/json';
      const res = await fetch(baseUrl + path, { method, headers, body: payload });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, type: res.headers.get('content-type') ?? '', headers: res.headers, body: body as any };
    },
  };
}
