// The per-install JWT secret of `make start` (issue 16, API2): 32 random bytes written once under
// .data/secrets/ (directory 0700, file 0600), handed to the API as JWT_SECRET and read by `npm run token`.
// No secret that appears in the repository is ever accepted.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { JWT_SECRET_FILE } from '../../activities/config';

export function ensureJwtSecret(file = JWT_SECRET_FILE): string {
  return ensureSecretFile(file);
}

/** A random secret kept in `file` (created once, 0600 in a 0700 directory); the same on every later call. */
export function ensureSecretFile(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.chmodSync(path.dirname(file), 0o700);
  try {
    // 'wx': never overwrite (a second start keeps the tokens already minted valid)
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  fs.chmodSync(file, 0o600);
  return fs.readFileSync(file, 'utf8').trim();
}
