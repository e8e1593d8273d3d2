// Temporal's JSON form of a payload (proto3 JSON: metadata values and data in base64), as the Web UI
// sends it to a codec server and as history JSON files hold it.
import type { Payload } from '@temporalio/common';

export interface JsonPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

export class PayloadJsonError extends Error {
  override name = 'PayloadJsonError';
}

function bytes(value: unknown, where: string): Buffer {
  if (typeof value !== 'string' || !BASE64.test(value)) throw new PayloadJsonError(`${where} must be a base64 string`);
  return Buffer.from(value, 'base64');
}

export function payloadFromJson(p: unknown, where = 'payload'): Payload {
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw new PayloadJsonError(`${where} must be an object with metadata and data`);
  const { metadata, data } = p as JsonPayload;
  if (metadata != null && (typeof metadata !== 'object' || Array.isArray(metadata))) throw new PayloadJsonError(`${where}.metadata must be an object`);
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, bytes(v, `${where}.metadata.${k}`)])),
    data: data == null ? new Uint8Array() : bytes(data, `${where}.data`),
  };
}

export function payloadToJson(p: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}

/** True for an object that looks like a payload in history JSON (metadata with an encoding). */
export function isJsonPayload(v: unknown): v is JsonPayload {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const m = (v as JsonPayload).metadata;
  return Boolean(m && typeof m === 'object' && typeof (m as Record<string, unknown>).encoding === 'string');
}
