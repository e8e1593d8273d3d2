// The payload key ring (issue 11 §3): every key that may decrypt, and the one that encrypts.
//   PAYLOAD_KEYS       keyId:base64(32 bytes)[,keyId:base64…]   (or PAYLOAD_KEYS_FILE: the same list in a
//                      file, commas or newlines, so the keys need not sit in a process's environment)
//   PAYLOAD_KEY_ID     the key that encrypts; may be left out when the ring holds one key
// Rotation: add the new key to the ring, point PAYLOAD_KEY_ID at it, and keep the old keys for as long
// as histories encrypted with them are kept (the retention period of the namespace).
import fs from 'node:fs';

export interface KeyRing {
  /** the key id new payloads are encrypted with */
  encryptWith: string;
  keys: ReadonlyMap<string, Buffer>;
}

export const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

export class KeyRingError extends Error {
  override name = 'KeyRingError';
}

/** Parses `keyId:base64[,keyId:base64…]` (commas or newlines; blank lines and `#` comments ignored). */
export function parseKeyList(text: string, source = 'PAYLOAD_KEYS'): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  const entries = text
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e && !e.startsWith('#'));
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const b64 = entry.slice(colon + 1).trim();
    if (!KEY_ID.test(id)) throw new KeyRingError(`${source}: each entry is keyId:base64 with a key id of letters, digits, '.', '_' or '-' (got "${id || entry.slice(0, 12)}…")`);
    if (keys.has(id)) throw new KeyRingError(`${source}: key id ${id} appears twice`);
    const key = Buffer.from(b64, 'base64');
    // Buffer.from ignores bad characters: re-encode to refuse anything that is not exactly the key
    if (key.length !== KEY_BYTES || key.toString('base64').replace(/=+$/, '') !== b64.replace(/=+$/, '')) {
      throw new KeyRingError(`${source}: key ${id} must be ${KEY_BYTES} random bytes in base64 (got ${key.length} bytes); generate one with: openssl rand -base64 32`);
    }
    keys.set(id, key);
  }
  return keys;
}

export function keyRing(keys: Map<string, Buffer>, encryptWith?: string): KeyRing {
  if (keys.size === 0) throw new KeyRingError('the payload key ring is empty');
  const id = encryptWith ?? (keys.size === 1 ? [...keys.keys()][0] : undefined);
  if (!id) throw new KeyRingError(`PAYLOAD_KEY_ID must name the key that encrypts when the ring holds ${keys.size} keys (${[...keys.keys()].join(', ')})`);
  if (!keys.has(id)) throw new KeyRingError(`PAYLOAD_KEY_ID=${id} is not in the key ring (${[...keys.keys()].join(', ')})`);
  return { encryptWith: id, keys };
}

/** The ring from PAYLOAD_KEYS or PAYLOAD_KEYS_FILE; refuses with what to set when neither is there. */
export function keyRingFromEnv(env: NodeJS.ProcessEnv = process.env): KeyRing {
  const inline = env.PAYLOAD_KEYS?.trim();
  const file = env.PAYLOAD_KEYS_FILE?.trim();
  let text: string;
  let source: string;
  if (inline) {
    text = inline;
    source = 'PAYLOAD_KEYS';
  } else if (file) {
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new KeyRingError(`PAYLOAD_KEYS_FILE=${file} cannot be read: ${(err as Error).message}`);
    }
    source = `PAYLOAD_KEYS_FILE ${file}`;
  } else {
    const dev = env.JIUZHU_ENV === 'development' ? ' (`make start` generates one in development)' : '';
    throw new KeyRingError(
      `no payload encryption key: set PAYLOAD_KEYS=keyId:base64(32 bytes) (or PAYLOAD_KEYS_FILE) and PAYLOAD_KEY_ID${dev}; ` +
        'personal data in Temporal histories is encrypted with it (generate a key with: openssl rand -base64 32)',
    );
  }
  return keyRing(parseKeyList(text, source), env.PAYLOAD_KEY_ID?.trim() || undefined);
}
