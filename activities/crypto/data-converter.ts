// The one DataConverter of every Temporal client and worker of the service: the worker, the API's
// client, the codec server, the tests and the history recorder (issue 11 §3). Built from the environment
// (key-ring.ts for the keys; PAYLOAD_CRYPTO_SUITE picks aes-256-gcm, the default, or sm4). A missing
// or malformed key throws, so a process refuses to start rather than write personal data in clear.
// Failure messages and stack traces go through the codec too (failure-converter.ts).
import type { DataConverter } from '@temporalio/common';
import { keyRingFromEnv } from './key-ring';
import { PayloadCryptoCodec, type PlaintextPolicy } from './payload-codec';
import { parseSuite } from './suites';

/**
 * Issue 22 §1.3: outside development (JIUZHU_ENV not `development`) decoding refuses a plaintext payload
 * instead of passing it through; `plaintext` overrides (the codec server only shows what is in a history).
 */
export function payloadCodecFromEnv(env: NodeJS.ProcessEnv = process.env, plaintext?: PlaintextPolicy): PayloadCryptoCodec {
  return new PayloadCryptoCodec(keyRingFromEnv(env), parseSuite(env.PAYLOAD_CRYPTO_SUITE), plaintext ?? (env.JIUZHU_ENV === 'development' ? 'pass' : 'refuse'));
}

/** For bundleWorkflowCode({ failureConverterPath }): workflow-side failures are sealed as well. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

export function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): DataConverter {
  return { payloadCodecs: [payloadCodecFromEnv(env)], failureConverterPath: FAILURE_CONVERTER_PATH };
}
