// Issue 22 §1.3: the signer of workflow starts. Every kind's workflow refuses a start nobody signed
// (workflows/kit/start-signature.ts), so whoever starts one signs its input first:
//   - the API's intake (api/applications/service.ts, through ActorSigner.signStart);
//   - the scheduler and system intakes (the recheck cycle's reviews, a death record's stop, the roll):
//       const signer = startSignerFromEnv();                     // once, at start-up
//       const input = signer.sign({ workflowType: 'review', workflowId }, reviewInput);
//       await client.workflow.start('review', { workflowId, taskQueue, args: [input] });
//     (or from an activity that prepares a child's start input: return `signer.sign(…)` from it, so the
//     signature, not the key, enters the history). For a Temporal Schedule sign the action's workflow id:
//     the runs' `-<scheduled time>` suffix is allowed for by the workflow.
// The key is an actor signing key (activities/crypto/actor-keys.ts): give the scheduler's process a pair
// of its own (`npm run actor-key -- scheduler`), add its public key to ACTOR_VERIFY_KEYS of the workers,
// and set START_SIGNING_KEY (or START_SIGNING_KEY_FILE) there; without it ACTOR_SIGNING_KEY signs.
import fs from 'node:fs';
import { startStatement, type StartAuth, type StartTarget } from '../../workflows/kit/start-statement';
import { commandStatement, type CommandAuth, type CommandTarget } from '../../workflows/kit/command-statement';
import { actorSigningKeyFromEnv, parseSigningKey, type ActorSigningKey } from './actor-keys';

export interface StartSigner {
  /** the input with `auth`: the key's signature over workflow type, workflow id, input digest, time and key id */
  sign<I extends object>(target: StartTarget, input: I): I & { auth: StartAuth };
}

/** Signs `input` for a start of `target` (any `auth` it carries is replaced). */
export function signStart<I extends object>(key: ActorSigningKey, target: StartTarget, input: I, now: number = Date.now()): I & { auth: StartAuth } {
  const { auth: _old, ...rest } = input as I & { auth?: unknown };
  const head = { keyId: key.keyId, issuedAt: now };
  return { ...(rest as I), auth: { ...head, signature: key.sign(startStatement(target, rest, head, key.suite)) } };
}

export function startSigner(key: ActorSigningKey, now: () => number = Date.now): StartSigner {
  return { sign: (target, input) => signStart(key, target, input, now()) };
}

/** START_SIGNING_KEY(_FILE), else the actor signing key (ACTOR_SIGNING_KEY, or in development the one `make start` wrote). */
export function startSignerFromEnv(e: NodeJS.ProcessEnv = process.env): StartSigner {
  const text = e.START_SIGNING_KEY || (e.START_SIGNING_KEY_FILE ? fs.readFileSync(e.START_SIGNING_KEY_FILE, 'utf8') : undefined);
  return startSigner(text ? parseSigningKey(text) : actorSigningKeyFromEnv(e));
}

/**
 * Issue 23 §3: a system intake both starts a workflow and sends it a command (a death record's
 * update-with-start from a change report's activity). The same key signs both, as the API's ActorSigner does.
 */
export interface SystemSigner {
  sign<I extends object>(target: CommandTarget, input: I): I & { auth: CommandAuth };
  signStart<I extends object>(target: StartTarget, input: I): I & { auth: StartAuth };
}

export function systemSigner(key: ActorSigningKey, now: () => number = Date.now): SystemSigner {
  return {
    sign: (target, input) => {
      const head = { keyId: key.keyId, issuedAt: now() };
      return { ...input, auth: { ...head, signature: key.sign(commandStatement(target, input, head, key.suite)) } };
    },
    signStart: (target, input) => signStart(key, target, input, now()),
  };
}

/** The system signer of START_SIGNING_KEY(_FILE), else the actor signing key (as startSignerFromEnv). */
export function systemSignerFromEnv(e: NodeJS.ProcessEnv = process.env): SystemSigner {
  const text = e.START_SIGNING_KEY || (e.START_SIGNING_KEY_FILE ? fs.readFileSync(e.START_SIGNING_KEY_FILE, 'utf8') : undefined);
  return systemSigner(text ? parseSigningKey(text) : actorSigningKeyFromEnv(e));
}
