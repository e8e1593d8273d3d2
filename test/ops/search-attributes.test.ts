// §5 search attributes (issue 11): the typed keys of workflows/kit/search-attributes.ts are known to the
// servers jiuzhu runs on, and an operator's Web UI query finds the overdue cases of a county.
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { createTimeSkippingEnv } from '../helpers/temporal';
import { dataConverterFromEnv } from '../../activities/crypto/data-converter';
import { registerSearchAttributes } from '../helpers/search-attributes';
import { startTemporalDevServer, type DevServer } from '../../scripts/stack/temporal';
import { freePort } from '../../scripts/stack/ports';
import { COUNTY, DUE_AT, KIND, OVERDUE, STEP, SEARCH_ATTRIBUTE_CLI_TYPES } from '../../workflows/kit/search-attributes';

jest.setTimeout(180_000);

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv({ register: false });
  });
  afterAll(() => env?.teardown());

  it('§5 search attributes: refused until registered, then every Jiuzhu* key is upserted and described', async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'fixtures', 'search-attribute-probe.ts'), logger: quiet });
    const dueAt = '2026-12-01T00:00:00.000Z';
    const start = (workflowId: string) =>
      env.client.workflow.start('searchAttributeProbe', { taskQueue: 'sa-probe', workflowId, args: [dueAt], typedSearchAttributes: [{ key: COUNTY, value: '140521' }] });

    const refused = await start('sa-before').catch((err: Error) => err);
    expect(String((refused as Error).cause)).toMatch(/search attribute JiuzhuCounty is not defined/);
    await registerSearchAttributes(env.connection);
    await registerSearchAttributes(env.connection); // a second test bed on the same server

    // the test bed's client encrypts payloads (issue 11 §3): the worker decrypts with the same key
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'sa-probe', workflowBundle: { code }, dataConverter: dataConverterFromEnv() });
    await worker.runUntil(async () => {
      const handle = await start('sa-after');
      await handle.result();
      const described = await handle.describe();
      expect(described.typedSearchAttributes.get(KIND)).toBe('application');
      expect(described.typedSearchAttributes.get(STEP)).toBe('investigating');
      expect(described.typedSearchAttributes.get(COUNTY)).toBe('140521');
      expect(described.typedSearchAttributes.get(OVERDUE)).toBe(true);
      expect(described.typedSearchAttributes.get(DUE_AT)?.toISOString()).toBe(dueAt);
    });
  });
});

describe('dev server of make start', () => {
  let server: DevServer;
  let connection: Connection;
  beforeAll(async () => {
    server = await startTemporalDevServer({ port: await freePort(), log: () => undefined });
    connection = await Connection.connect({ address: server.address });
  });
  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });

  it('§5 search attributes: every Jiuzhu* key is registered with its type', async () => {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    const types = Object.fromEntries(Object.keys(SEARCH_ATTRIBUTE_CLI_TYPES).map((name) => [name, customAttributes?.[name]]));
    // IndexedValueType: 2 keyword, 5 bool, 6 datetime
    expect(types).toEqual({ JiuzhuKind: 2, JiuzhuStep: 2, JiuzhuCounty: 2, JiuzhuOverdue: 5, JiuzhuDueAt: 6 });
  });

  it('§5 search attributes: the README query finds the overdue cases of one county', async () => {
    const client = new Client({ connection });
    // no worker: the search attributes given at start are indexed before any task runs
    const cases: [string, string, boolean][] = [
      ['sa-overdue-140521', '140521', true],
      ['sa-on-time-140521', '140521', false],
      ['sa-overdue-140522', '140522', true],
    ];
    for (const [workflowId, county, overdue] of cases) {
      await client.workflow.start('application', {
        taskQueue: 'nobody-polls',
        workflowId,
        typedSearchAttributes: [
          { key: KIND, value: 'application' },
          { key: COUNTY, value: county },
          { key: OVERDUE, value: overdue },
        ],
      });
    }
    const query = `JiuzhuKind = "application" AND JiuzhuCounty = "140521" AND JiuzhuOverdue = true AND ExecutionStatus = "Running"`;
    let found: string[] = [];
    for (let i = 0; i < 50 && found.length === 0; i++) {
      found = [];
      for await (const w of client.workflow.list({ query })) found.push(w.workflowId);
      if (!found.length) await new Promise((r) => setTimeout(r, 200)); // visibility is eventually consistent
    }
    expect(found).toEqual(['sa-overdue-140521']);
  });
});

const quiet = { info: () => undefined, warn: () => undefined, error: console.error, debug: () => undefined, trace: () => undefined, log: () => undefined };
