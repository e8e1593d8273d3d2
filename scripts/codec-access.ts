// Issue 21 §5.4: who may use the codec server, and the audit trail of what they decoded. The codec
// decrypts every payload of a namespace, whatever the case's jurisdiction (a payload does not say whose
// case it belongs to), so only the roles that read across cases without working them may call it:
// supervisors and auditors (READERS). Caseworkers, approvers, finance and the bank are refused.
import crypto from 'node:crypto';
import type { Prisma } from '../activities/db';
import { appendAudit } from '../activities/audit-log';
import type { User } from '../api/auth';
import { READERS, type Role } from '../api/roles';

export const CODEC_ROLES: Role[] = READERS;

export interface CodecUse {
  user: User;
  op: 'encode' | 'decode';
  namespace: string;
  payloads: number;
}

/** One audit event per call (who, namespace, how many payloads: never what they hold), on the caller's jurisdiction chain. */
export function codecAuditTrail(prisma: Prisma): (use: CodecUse) => Promise<void> {
  return async ({ user, op, namespace, payloads }) => {
    await prisma.$transaction((tx) =>
      appendAudit(
        tx,
        [{ key: `codec-${op}-${crypto.randomUUID()}`, at: Date.now(), actor: user.sub, actorRole: user.role, action: op === 'decode' ? 'payloads.decoded' : 'payloads.encoded', data: { namespace, payloads } }],
        { jurisdiction: user.jurisdiction },
      ),
    );
  };
}
