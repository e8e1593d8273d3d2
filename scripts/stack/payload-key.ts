// Development only (`make start` with JIUZHU_ENV=development): a per-install payload key in
// .data/secrets/payload-keys (directory 0700, file 0600), made once and kept, so every case recorded on
// this machine stays readable across restarts. Outside development the operator supplies the keys
// (PAYLOAD_KEYS or PAYLOAD_KEYS_FILE) and nothing is generated.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseKeyList } from '../../activities/crypto/key-ring';

export const KEY_FILE_NAME = 'payload-keys';

/** Makes the key file if absent, checks it if present; returns the environment that points at it. */
export function ensureDevPayloadKey(secretsDir: string, log: (line: string) => void = () => undefined): { PAYLOAD_KEYS_FILE: string } {
  fs.mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(secretsDir, 0o700);
  const file = path.join(secretsDir, KEY_FILE_NAME);
  if (!fs.existsSync(file)) {
    const keyId = `dev-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${crypto.randomBytes(2).toString('hex')}`;
    const line = `${keyId}:${crypto.randomBytes(32).toString('base64')}`;
    fs.writeFileSync(file, `# payload keys of this development install (keyId:base64); see README "Personal data in Temporal"\n${line}\n`, { mode: 0o600, flag: 'wx' });
    log(`generated payload key ${keyId} in ${path.relative(process.cwd(), file)}`);
  } else {
    // .data/ may be writable by others (the embedded PostgreSQL's parent): trust only a key file we own
    if (process.getuid && fs.statSync(file).uid !== process.getuid()) throw new Error(`${file} is not owned by this user: refusing to use it as the payload key`);
    fs.chmodSync(file, 0o600); // keep it private even if a copy loosened it
  }
  parseKeyList(fs.readFileSync(file, 'utf8'), file); // a damaged file fails here, before any child starts
  return { PAYLOAD_KEYS_FILE: file };
}
