// Issue 16 API1: the API signs every command it sends a workflow, so a workflow takes no command that did
// not pass the API's authentication and authorization (an Update sent straight to Temporal is refused by
// the validator: workflows/kit/command-signature.ts). One place signs: the API's service, and clients
// that stand in for the API (tests, the history recorder) through `signingInterceptor`.
import crypto from 'node:crypto';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { actorSigningKeyFromEnv, type ActorSigningKey } from '../activities/crypto/actor-keys';
import { commandStatement, type CommandAuth, type CommandTarget } from '../workflows/kit/command-statement';
import type { StartTarget } from '../workflows/kit/start-statement';
import { signStart } from '../activities/crypto/start-signing';

export class ActorSigner {
  constructor(
    private readonly key: ActorSigningKey,
    private readonly now: () => number = Date.now,
  ) {}

  /** The input with `auth`: the key's signature over actor, workflow id, Update name and id, payload digest, time and key id. */
  sign<I extends object>(target: CommandTarget, input: I): I & { auth: CommandAuth } {
    const head = { keyId: this.key.keyId, issuedAt: this.now() };
    const signature = this.key.sign(commandStatement(target, input, head, this.key.suite));
    return { ...input, auth: { ...head, signature } };
  }

  /** Issue 22 §1.3: a workflow start's input with `auth` (workflows/kit/start-signature.ts checks it first thing). */
  signStart<I extends object>(target: StartTarget, input: I): I & { auth: CommandAuth } {
    return signStart(this.key, target, input, this.now());
  }
}

/** The API's signer, from ACTOR_SIGNING_KEY(_FILE) (in development the key `make start` wrote). */
export function actorSignerFromEnv(e: NodeJS.ProcessEnv = process.env): ActorSigner {
  return new ActorSigner(actorSigningKeyFromEnv(e));
}

const isCommand = (arg: unknown): arg is { actor: unknown; auth?: unknown } => typeof arg === 'object' && arg !== null && 'actor' in arg;
const unsignedInput = (arg: unknown): arg is object => typeof arg === 'object' && arg !== null && !Array.isArray(arg) && !('auth' in arg);

/** The start's arguments with the first (the kind's one input object) signed, unless it is signed already. */
function signedArgs(signer: ActorSigner, target: StartTarget, args: unknown[]): unknown[] {
  const [first, ...rest] = args;
  return unsignedInput(first) ? [signer.signStart(target, first), ...rest] : args;
}

/**
 * For a client that acts as the API (tests, scripts/record-histories.ts): signs every command Update that
 * is not signed yet, giving it an Update id when it has none (the signature covers the id), and every
 * workflow start whose input is not signed yet (issue 22 §1.3).
 */
export function signingInterceptor(signer: ActorSigner): WorkflowClientInterceptor {
  return {
    startWithDetails(input, next) {
      const target = { workflowType: input.workflowType, workflowId: input.options.workflowId };
      return next({ ...input, options: { ...input.options, args: signedArgs(signer, target, input.options.args) } });
    },
    signalWithStart(input, next) {
      const target = { workflowType: input.workflowType, workflowId: input.options.workflowId };
      return next({ ...input, options: { ...input.options, args: signedArgs(signer, target, input.options.args) } });
    },
    startUpdateWithStart(input, next) {
      const o = input.workflowStartOptions;
      return next({ ...input, workflowStartOptions: { ...o, args: signedArgs(signer, { workflowType: input.workflowType, workflowId: o.workflowId }, o.args) } });
    },
    startUpdate(input, next) {
      const [first, ...rest] = input.args;
      if (!isCommand(first) || first.auth !== undefined) return next(input);
      const updateId = input.options.updateId ?? crypto.randomUUID();
      const target = { workflowId: input.workflowExecution.workflowId, update: input.updateName, updateId };
      return next({ ...input, options: { ...input.options, updateId }, args: [signer.sign(target, first), ...rest] });
    },
  };
}
