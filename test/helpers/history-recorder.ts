// The history recorder (the case kit's): writes a workflow's history for the replay tests, decrypted
// (fictitious people only, so it replays under any key ring) and add-only: a file already recorded is what
// running cases look like and is never overwritten (STYLE "Versioning").
import fs from 'node:fs';
import path from 'node:path';
import type { temporal } from '@temporalio/proto';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { payloadCodecFromEnv } from '../../activities/crypto/data-converter';
import { isJsonPayload, payloadFromJson, payloadToJson } from '../../activities/crypto/payload-json';

export const HISTORIES = path.join(__dirname, '..', 'histories');

/** The history JSON with every encrypted payload replaced by its plain form. */
export async function decryptedHistoryJson(json: string): Promise<string> {
  // a history holds plaintext payloads the SDK's core writes itself (patch markers): they stay as they are
  const codec = payloadCodecFromEnv(process.env, 'pass');
  const open = async (node: unknown): Promise<unknown> => {
    if (Array.isArray(node)) return Promise.all(node.map(open));
    if (!node || typeof node !== 'object') return node;
    if (isJsonPayload(node)) return payloadToJson((await codec.decode([payloadFromJson(node)]))[0]);
    const entries = await Promise.all(Object.entries(node).map(async ([k, v]) => [k, await open(v)] as const));
    return Object.fromEntries(entries);
  };
  return JSON.stringify(await open(JSON.parse(json)), null, 2);
}

/** Writes `<dir>/<name>.json`; refuses to replace a recorded history. */
export async function saveHistory(dir: string, name: string, history: temporal.api.history.v1.IHistory): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  if (fs.existsSync(file)) throw new Error(`${file} exists: histories are add-only; record the new branch under a new name`);
  fs.writeFileSync(file, await decryptedHistoryJson(historyToJSON(history)), { flag: 'wx' });
  return file;
}
