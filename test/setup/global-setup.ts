// Starts one embedded PostgreSQL for the whole test run, prepares a template database (migrations and
// reference data applied) that each test file clones, and bundles the workflow code once.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../../activities/crypto/data-converter';
import { throwawayActorKeys } from '../helpers/actor-keys';
import { startPostgres, ensureDatabase } from '../../scripts/stack/postgres';
import { applyMigrations } from '../../scripts/migrate';
import { seedReferenceData } from '../../scripts/seed';
import { freePort } from '../../scripts/stack/ports';

export default async function globalSetup(): Promise<void> {
  // the tests run as development (demo staff seeded; issue 16): a test of production sets JIUZHU_ENV itself
  process.env.JIUZHU_ENV ??= 'development';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-test-'));
  const pg = await startPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), log: () => undefined });
  await ensureDatabase(pg.url('postgres'), 'jiuzhu_template');
  await applyMigrations(pg.url('jiuzhu_template'));
  await seedReferenceData(pg.url('jiuzhu_template'));
  (globalThis as Record<string, unknown>).__JIUZHU_PG__ = pg;
  process.env.JIUZHU_TEST_PG_ADMIN_URL = pg.url('postgres');
  process.env.JIUZHU_TEST_DIR = dir;
  // a fresh payload key per run (issue 11 §3): every Temporal payload of the tests is encrypted with it
  const keyId = `test-${crypto.randomBytes(3).toString('hex')}`;
  process.env.PAYLOAD_KEYS = `${keyId}:${crypto.randomBytes(32).toString('base64')}`;
  process.env.PAYLOAD_KEY_ID = keyId;
  // a fresh actor signing pair per run (issue 16 API1): the API under test signs commands with the private
  // key, the bundle verifies with the public one (in the test clients' signing too: test/helpers/temporal.ts)
  const actorKeysHook = throwawayActorKeys('test');

  // the test server's launcher that starts its clock on TEST_EPOCH (test/helpers/temporal.ts), compiled
  // once here rather than inside the five seconds the SDK gives a server to start
  // (not fatal here: without the installed jars only the files that start a server fail, saying why)
  try {
    execFileSync('sh', [path.join(__dirname, '..', '..', 'scripts', 'temporal-test-server.sh'), '--build'], { stdio: 'inherit' });
  } catch (err) {
    console.warn(`the test server's launcher was not built: ${(err as Error).message}`);
  }

  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    webpackConfigHook: actorKeysHook,
    logger: { info: () => undefined, warn: console.warn, error: console.error, debug: () => undefined, trace: () => undefined, log: () => undefined },
  });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, code);
  process.env.JIUZHU_TEST_WORKFLOW_BUNDLE = bundlePath;
}
