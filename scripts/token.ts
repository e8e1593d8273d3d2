// Development tokens: npm run token -- --sub zhangmin --role township_caseworker --jurisdiction 140599100 [--name 张敏] [--ttl 8h]
// Signed with JWT_SECRET (the development default unless set). Production tokens come from the
// province's identity service and are checked with JWT_PUBLIC_KEY.
import { parseArgs } from 'node:util';
import { claimsSchema, signToken } from '../api/auth';
import { loadSettings } from '../activities/config';

const { values } = parseArgs({
  options: { sub: { type: 'string' }, role: { type: 'string' }, jurisdiction: { type: 'string' }, name: { type: 'string' }, ttl: { type: 'string', default: '8h' } },
});
const claims = claimsSchema.safeParse({ sub: values.sub, name: values.name ?? values.sub, role: values.role, jurisdiction: values.jurisdiction });
if (!claims.success) {
  console.error('usage: npm run token -- --sub <user id> --role <role> --jurisdiction <区划代码> [--name <name>] [--ttl 8h]');
  for (const i of claims.error.issues) console.error(`  ${i.path.join('.')}: ${i.message}`);
  process.exit(2);
}
const settings = loadSettings();
if (!settings.jwt.secret) {
  console.error('JWT_PUBLIC_KEY is set: tokens are issued by the identity service, not minted here');
  process.exit(2);
}
console.log(signToken(claims.data, settings.jwt.secret, values.ttl as '8h', settings.jwt.issuer));
