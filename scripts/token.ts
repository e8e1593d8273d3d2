// Development tokens: npm run token -- --sub zhangmin --role township_caseworker --jurisdiction 140599100 [--name 张敏] [--ttl 8h]
// Only for a development stack (JIUZHU_ENV=development): signed with JWT_SECRET or the per-install secret
// `make start` wrote under .data/secrets/. Outside development it refuses whatever secret it can read
// (issue 21 §5.1): production tokens come from the province's identity service (JWT_PUBLIC_KEY).
// Tokens carry exp (at most JWT_MAX_LIFETIME away) and aud (JWT_AUDIENCE): the API refuses any other.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { claimsSchema, signToken } from '../api/auth';
import { isDevelopment, JWT_SECRET_FILE, parseDuration, settingsOrExit } from '../activities/config';

const { values } = parseArgs({
  options: { sub: { type: 'string' }, role: { type: 'string' }, jurisdiction: { type: 'string' }, name: { type: 'string' }, ttl: { type: 'string', default: '8h' } },
});
const claims = claimsSchema.safeParse({ sub: values.sub, name: values.name ?? values.sub, role: values.role, jurisdiction: values.jurisdiction });
if (!claims.success) {
  console.error('usage: npm run token -- --sub <user id> --role <role> --jurisdiction <区划代码> [--name <name>] [--ttl 8h]');
  for (const i of claims.error.issues) console.error(`  ${i.path.join('.')}: ${i.message}`);
  process.exit(2);
}
// A development stack: JIUZHU_ENV=development, or (JIUZHU_ENV unset, as in a developer's shell) the
// per-install secret `make start` wrote, which exists only where a development stack ran. A JWT_SECRET in
// the environment of a host that is not development is a deployment's: never minted with.
const fromEnv = Boolean(process.env.JWT_SECRET || process.env.JWT_SECRET_FILE);
const devStack = isDevelopment() || (!process.env.JIUZHU_ENV && !fromEnv && fs.existsSync(JWT_SECRET_FILE));
if (!devStack) {
  console.error(
    'refusing to start (not a development stack): npm run token mints only with JIUZHU_ENV=development or the per-install secret of `make start`; ' +
      'a deployment\'s JWT_SECRET is never used here (tokens come from the identity service)',
  );
  process.exit(2);
}
// JWT_SECRET, else JWT_SECRET_FILE, else the per-install secret of `make start` if there is one
const fallbackFile = !fromEnv && fs.existsSync(JWT_SECRET_FILE) ? { JWT_SECRET_FILE } : {};
const settings = settingsOrExit(['jwt'], { ...process.env, ...fallbackFile });
if (!settings.jwt.secret) {
  console.error('JWT_PUBLIC_KEY is set: tokens are issued by the identity service, not minted here');
  process.exit(2);
}
const ttl = parseDuration(values.ttl!, '--ttl');
if (ttl <= 0 || ttl > settings.jwt.maxLifetimeSec) {
  console.error(`--ttl must be between 1s and JWT_MAX_LIFETIME (${settings.jwt.maxLifetimeSec}s): the API refuses longer tokens`);
  process.exit(2);
}
console.log(signToken(claims.data, settings.jwt.secret, ttl, settings.jwt.issuer, settings.jwt.audience));
