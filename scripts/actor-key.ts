// A new actor signing pair for a deployment (issue 16 API1): npm run actor-key -- <keyId>
// Prints the API's ACTOR_SIGNING_KEY (keep it secret, on the API hosts only) and the line to add to the
// workers' ACTOR_VERIFY_KEYS (public; keep the old key listed until every API signs with the new one).
import { newActorKeyPair } from '../activities/crypto/actor-keys';

const keyId = process.argv[2] ?? `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
const pair = newActorKeyPair(keyId);
console.log(`ACTOR_SIGNING_KEY=${pair.signingKey}`);
console.log(`ACTOR_VERIFY_KEYS=${pair.verifyKey}`);
