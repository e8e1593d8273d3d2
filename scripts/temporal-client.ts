// A Temporal client for an operator command (npm run cycle, npm run policy): the service's settings
// (TEMPORAL_ADDRESS…) and its payload codec, so what it starts the worker can read. In development the
// per-install key `make start` made (.data/secrets/payload-keys) is used when none is configured.
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadSettings, SECRETS_DIR } from '../activities/config';
import { dataConverterFromEnv } from '../activities/crypto/data-converter';
import { temporalConnectionOptions } from '../activities/temporal-connection';
import { KEY_FILE_NAME } from './stack/payload-key';

export interface OperatorTemporal {
  client: Client;
  taskQueue: string;
  close(): Promise<void>;
}

export async function connectOperatorClient(env: NodeJS.ProcessEnv = process.env): Promise<OperatorTemporal> {
  const devKeys = path.join(SECRETS_DIR, KEY_FILE_NAME);
  const e = !env.PAYLOAD_KEYS && !env.PAYLOAD_KEYS_FILE && fs.existsSync(devKeys) ? { ...env, PAYLOAD_KEYS_FILE: devKeys } : env;
  const settings = loadSettings(e);
  const dataConverter = dataConverterFromEnv(e);
  const connection = await Connection.connect(temporalConnectionOptions(settings.temporal));
  return {
    client: new Client({ connection, namespace: settings.temporal.namespace, dataConverter }),
    taskQueue: settings.temporal.taskQueue,
    close: () => connection.close(),
  };
}
