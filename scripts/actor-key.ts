// A new actor signing pair for a deployment (issue 16 API1): npm run actor-key -- <keyId> [--sm2]
// Prints the API's ACTOR_SIGNING_KEY (keep it secret, on the API hosts only) and the line to add to the
// workers' ACTOR_VERIFY_KEYS (public; keep the old key listed until every API signs with the new one).
// --sm2: an SM2 pair (GB/T 32918, SM3 digests) for a deployment under the national suites (密评).
import { newActorKeyPair } from '../activities/crypto/actor-keys';

const args = process.argv.slice(2);
const keyId = args.find((a) => !a.startsWith('--')) ?? `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
const pair = newActorKeyPair(keyId, args.includes('--sm2') ? 'sm2' : 'ed25519');
console.log(`ACTOR_SIGNING_KEY=${pair.signingKey}`);
console.log(`ACTOR_VERIFY_KEYS=${pair.verifyKey}`);
