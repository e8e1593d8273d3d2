// Issue 11 §3: the codec server the Temporal Web UI calls to show decrypted payloads, over real HTTP on
// 127.0.0.1, with the test run's payload key (global setup).
import type { AddressInfo } from 'node:net';
import { defaultPayloadConverter } from '@temporalio/common';
import { payloadCodecFromEnv } from '../../activities/crypto/data-converter';
import { payloadFromJson, payloadToJson } from '../../activities/crypto/payload-json';
import { startCodecServer } from '../../scripts/codec-server';
import { codecAuditTrail } from '../../scripts/codec-access';
import { deactivatedStaff } from '../../api/auth';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { token, TEST_JWT_SECRET } from '../helpers/http';

const UI = 'http://localhost:8233';
const codec = payloadCodecFromEnv();
const person = { name: '李秀英', idNumber: '140599197008170228' };
let server: Awaited<ReturnType<typeof startCodecServer>>;
let db: TestDatabase;
const logs: string[] = [];
const supervisor = token('hewei', 'supervisor', '1405', '何伟');

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startCodecServer({
    codec,
    port: 0,
    namespaces: ['default'],
    log: (l) => logs.push(l),
    auth: { jwt: { secret: TEST_JWT_SECRET }, refuse: deactivatedStaff(db.prisma) },
    audit: codecAuditTrail(db.prisma),
  });
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', origin: UI, authorization: `Bearer ${supervisor}`, ...headers },
    body: JSON.stringify(body),
  });

describe('codec server for the Temporal Web UI', () => {
  it('§3 codec server: listens on 127.0.0.1 only', () => {
    expect((server.server.address() as AddressInfo).address).toBe('127.0.0.1');
  });

  it('§3 codec server: POST /decode returns what the worker’s codec encrypted, in Temporal’s JSON form', async () => {
    const encrypted = await codec.encode([defaultPayloadConverter.toPayload(person), defaultPayloadConverter.toPayload(42)]);
    const res = await post('/decode', { payloads: encrypted.map(payloadToJson) });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI);
    const body = (await res.json()) as { payloads: unknown[] };
    const decoded = body.payloads.map((p) => defaultPayloadConverter.fromPayload(payloadFromJson(p)));
    expect(decoded).toEqual([person, 42]);
    // the log says how many, never what
    expect(logs.some((l) => l.includes('decode 2 payload(s) for namespace default'))).toBe(true);
    expect(logs.join('\n')).not.toContain(person.idNumber);
  });

  it('§3 codec server: POST /encode encrypts what the UI sends (a signal from the UI) so the worker can read it', async () => {
    const res = await post('/encode', { payloads: [payloadToJson(defaultPayloadConverter.toPayload(person))] });
    expect(res.status).toBe(200);
    const [p] = ((await res.json()) as { payloads: unknown[] }).payloads.map((x) => payloadFromJson(x));
    expect(Buffer.from(p.metadata!.encoding).toString()).toBe('binary/encrypted');
    expect(Buffer.from(p.data!).includes(person.idNumber)).toBe(false);
    const [back] = await codec.decode([p]);
    expect(defaultPayloadConverter.fromPayload(back)).toEqual(person);
  });

  it('§3 codec server: an empty list, which the Temporal CLI sends as {} (proto3 JSON), is answered with no payloads', async () => {
    const res = await post('/decode', {});
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ payloads: [] });
  });

  it('§3 codec server: answers the Web UI’s CORS preflight, and refuses any other origin', async () => {
    const preflight = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: { origin: UI, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(UI);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-namespace');

    const evil = await fetch(`${server.url}/decode`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const encrypted = await codec.encode([defaultPayloadConverter.toPayload(person)]);
    const direct = await post('/decode', { payloads: encrypted.map(payloadToJson) }, { origin: 'https://evil.example' });
    expect(direct.status).toBe(403);
  });

  it('§3 codec server: refuses a namespace it does not serve, a malformed body, and a tampered payload (loudly, 422)', async () => {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(person)]);
    expect((await post('/decode', { payloads: [payloadToJson(encrypted)] }, { 'x-namespace': 'other' })).status).toBe(403);
    expect((await post('/decode', { payloads: 'x' })).status).toBe(400);
    expect((await post('/decode', [1, 2])).status).toBe(400);
    expect((await post('/decode', { payloads: [{ metadata: { encoding: 'not base64!' } }] })).status).toBe(400);
    const tampered = Buffer.from(encrypted.data!);
    tampered[tampered.length - 1] ^= 1;
    const res = await post('/decode', { payloads: [payloadToJson({ ...encrypted, data: tampered })] });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/authentication failed|mismatch/);
  });
});

describe('issue 21 §5.4: the codec server authenticates its callers and audits each decode', () => {
  const encrypted = () => codec.encode([defaultPayloadConverter.toPayload(person), defaultPayloadConverter.toPayload(7)]).then((ps) => ps.map(payloadToJson));

  it('API2 §5.4: without a valid bearer token nothing is decoded (401), not even for the Web UI’s origin', async () => {
    const payloads = await encrypted();
    for (const authorization of [undefined, 'Bearer not-a-jwt', `Bearer ${token('hewei', 'supervisor', '1405').slice(0, -2)}xx`]) {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-namespace': 'default', origin: UI };
      if (authorization) headers.authorization = authorization;
      const res = await fetch(`${server.url}/decode`, { method: 'POST', headers, body: JSON.stringify({ payloads }) });
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain(person.idNumber);
    }
  });

  it('API2 §5.4: only supervisors and auditors may decode (403 for caseworkers and others); a deactivated member is refused', async () => {
    const payloads = await encrypted();
    for (const role of ['township_caseworker', 'county_approver', 'finance_officer', 'bank'] as const) {
      const res = await post('/decode', { payloads }, { authorization: `Bearer ${token('x1', role, '140521')}` });
      expect(res.status).toBe(403);
    }
    expect((await post('/decode', { payloads }, { authorization: `Bearer ${token('sj-aud', 'auditor', '14')}` })).status).toBe(200);
    await db.prisma.staffMember.create({ data: { staffId: 'gone-sup', name: '离职', role: 'supervisor', jurisdiction: '1405', active: false } });
    expect((await post('/decode', { payloads }, { authorization: `Bearer ${token('gone-sup', 'supervisor', '1405')}` })).status).toBe(401);
  });

  it('R-SUP-05 §5.4: each decode writes an audit event: who, which namespace, how many payloads (never what they hold)', async () => {
    const before = await db.prisma.auditEvent.count({ where: { action: 'payloads.decoded', actor: 'hewei' } });
    expect((await post('/decode', { payloads: await encrypted() })).status).toBe(200);
    const events = await db.prisma.auditEvent.findMany({ where: { action: 'payloads.decoded', actor: 'hewei' }, orderBy: { seq: 'asc' } });
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({ actor: 'hewei', actorRole: 'supervisor', jurisdiction: '1405', data: { namespace: 'default', payloads: 2 } });
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain(person.idNumber);
  });

  it('API2 §5.4: the Web UI may send the token cross-origin: the preflight allows the Authorization header with credentials', async () => {
    const preflight = await fetch(`${server.url}/decode`, { method: 'OPTIONS', headers: { origin: UI, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
  });
});
