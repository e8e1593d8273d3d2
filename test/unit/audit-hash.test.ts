// R-SUP-05: the tamper-evident audit trail. Canonical JSON and the hash chain, recomputed independently
// here with node:crypto. Pure logic: no database, no Temporal.
import crypto from 'node:crypto';
import { canonicalJson, eventHash, GENESIS_HASH, type HashedFields } from '../../activities/audit-log';

const sha256 = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');

const event: HashedFields = {
  seq: 7n,
  at: new Date('2026-09-21T02:30:00.000Z'),
  actor: 'u-township-1',
  actorRole: 'township_caseworker',
  action: 'application.accepted',
  workflowId: 'application-140521-0001',
  caseId: 'case-0001',
  jurisdiction: '140521100',
  reason: null,
  data: { programme: 'DIBAO', members: ['140521198001010013'], amountFen: 60000 },
  eventKey: 'application-140521-0001/accepted',
};

// The body written out by hand: keys in code-unit order
// (action < actor < actorRole < at < caseId < data < eventKey < jurisdiction < reason < seq < workflowId),
// seq as a decimal string, at as an ISO string, data's keys sorted too (amountFen < members < programme).
const eventBody =
  '{"action":"application.accepted","actor":"u-township-1","actorRole":"township_caseworker",' +
  '"at":"2026-09-21T02:30:00.000Z","caseId":"case-0001",' +
  '"data":{"amountFen":60000,"members":["140521198001010013"],"programme":"DIBAO"},' +
  '"eventKey":"application-140521-0001/accepted","jurisdiction":"140521100","reason":null,"seq":"7",' +
  '"workflowId":"application-140521-0001"}';

describe('canonicalJson', () => {
  it('R-SUP-05: sorts object keys at every level, inside arrays too', () => {
    const v = { b: 1, a: { d: [{ z: 1, y: 2 }, 3], c: 'x' } };
    expect(canonicalJson(v)).toBe('{"a":{"c":"x","d":[{"y":2,"z":1},3]},"b":1}');
  });

  it('R-SUP-05: the same content in another key order gives the same text', () => {
    expect(canonicalJson({ x: { q: 1, p: 2 }, w: [1] })).toBe(canonicalJson({ w: [1], x: { p: 2, q: 1 } }));
  });

  it('R-SUP-05: drops undefined object members and keeps null', () => {
    expect(canonicalJson({ a: undefined, b: null, c: { d: undefined, e: 1 } })).toBe('{"b":null,"c":{"e":1}}');
  });

  it('R-SUP-05: writes scalars as JSON, undefined as null, and keeps non-ASCII text', () => {
    expect(canonicalJson('张三')).toBe('"张三"');
    expect(canonicalJson(42)).toBe('42');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson({ '名字': 'a"b' })).toBe('{"名字":"a\\"b"}');
  });

  it('R-SUP-05: the hashed body of an event is the hand-written canonical text', () => {
    expect(canonicalJson({ ...event, seq: event.seq.toString(), at: event.at.toISOString() })).toBe(eventBody);
  });
});

describe('eventHash', () => {
  it('R-SUP-05: the genesis hash is 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0000000000000000000000000000000000000000000000000000000000000000');
  });

  it('R-SUP-05: the hash is sha256(prevHash + "\\n" + canonical body)', () => {
    expect(eventHash(GENESIS_HASH, event)).toBe(sha256(`${'0'.repeat(64)}\n${eventBody}`));
  });

  it('R-SUP-05: each event chains on the previous hash', () => {
    const h1 = sha256(`${'0'.repeat(64)}\n${eventBody}`);
    const second: HashedFields = { ...event, seq: 8n, action: 'application.rejected', reason: '人均收入高于标准', data: {}, eventKey: 'k2' };
    const body2 =
      '{"action":"application.rejected","actor":"u-township-1","actorRole":"township_caseworker",' +
      '"at":"2026-09-21T02:30:00.000Z","caseId":"case-0001","data":{},"eventKey":"k2","jurisdiction":"140521100",' +
      '"reason":"人均收入高于标准","seq":"8","workflowId":"application-140521-0001"}';
    expect(eventHash(h1, second)).toBe(sha256(`${h1}\n${body2}`));
    // the same event on another chain has another hash
    expect(eventHash(GENESIS_HASH, second)).not.toBe(eventHash(h1, second));
  });

  it('R-SUP-05: does not depend on the key order of the data', () => {
    const reordered: HashedFields = { ...event, data: { amountFen: 60000, programme: 'DIBAO', members: ['140521198001010013'] } };
    expect(eventHash(GENESIS_HASH, reordered)).toBe(eventHash(GENESIS_HASH, event));
  });

  const changes: [string, Partial<HashedFields>][] = [
    ['seq', { seq: 8n }],
    ['at', { at: new Date('2026-09-21T02:30:00.001Z') }],
    ['actor', { actor: 'u-township-2' }],
    ['actorRole', { actorRole: null }],
    ['action', { action: 'application.rejected' }],
    ['workflowId', { workflowId: null }],
    ['caseId', { caseId: 'case-0002' }],
    ['jurisdiction', { jurisdiction: '140521101' }],
    ['reason', { reason: '' }],
    ['data (amount)', { data: { programme: 'DIBAO', members: ['140521198001010013'], amountFen: 60001 } }],
    ['data (nested array)', { data: { programme: 'DIBAO', members: [], amountFen: 60000 } }],
    ['eventKey', { eventKey: 'application-140521-0001/accepted#2' }],
  ];
  it.each(changes)('R-SUP-05: changing %s changes the hash', (_field, change) => {
    expect(eventHash(GENESIS_HASH, { ...event, ...change })).not.toBe(eventHash(GENESIS_HASH, event));
  });

  it('R-SUP-05: changing the previous hash changes the hash', () => {
    expect(eventHash('1'.repeat(64), event)).not.toBe(eventHash(GENESIS_HASH, event));
  });
});
