// A throwaway actor signing pair for a test run or a recording (issue 16 API1): the private key to the
// environment for the API and the clients standing in for it (ACTOR_SIGNING_KEY), the public key to the
// environment and into the workflow bundle (the returned webpack hook).
import crypto from 'node:crypto';
import { actorKeysWebpackHook, newActorKeyPair, parseVerifyKeys } from '../../activities/crypto/actor-keys';

export function throwawayActorKeys(prefix: string): ReturnType<typeof actorKeysWebpackHook> {
  const pair = newActorKeyPair(`${prefix}-${crypto.randomBytes(3).toString('hex')}`);
  process.env.ACTOR_SIGNING_KEY = pair.signingKey;
  process.env.ACTOR_VERIFY_KEYS = pair.verifyKey;
  return actorKeysWebpackHook(parseVerifyKeys(pair.verifyKey));
}
