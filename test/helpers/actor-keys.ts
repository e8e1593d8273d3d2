// A throwaway actor signing pair for a test run or a recording (issue 16 API1): the private key to the
// environment for the API and the clients standing in for it (ACTOR_SIGNING_KEY), the public key to the
// environment and into the workflow bundle (the returned webpack hook). The ring also trusts an SM2 key
// (JIUZHU_TEST_ACTOR_SM2_KEY), for the tests of the national suite.
import crypto from 'node:crypto';
import { actorKeysWebpackHook, newActorKeyPair, parseVerifyKeys } from '../../activities/crypto/actor-keys';

export function throwawayActorKeys(prefix: string): ReturnType<typeof actorKeysWebpackHook> {
  const id = `${prefix}-${crypto.randomBytes(3).toString('hex')}`;
  const pair = newActorKeyPair(id);
  const sm = newActorKeyPair(`${id}-sm2`, 'sm2');
  process.env.ACTOR_SIGNING_KEY = pair.signingKey;
  process.env.JIUZHU_TEST_ACTOR_SM2_KEY = sm.signingKey;
  process.env.ACTOR_VERIFY_KEYS = `${pair.verifyKey},${sm.verifyKey}`;
  return actorKeysWebpackHook(parseVerifyKeys(process.env.ACTOR_VERIFY_KEYS));
}
