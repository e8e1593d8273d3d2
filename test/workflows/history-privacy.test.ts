// Issue 11 §3: personal data never sits in Temporal's history in plain text. A real application runs on
// the time-skipping server with the test run's payload key; its history, as the server stores it and the
// Web UI would show it, is searched byte by byte for every member's ID number and name.
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { dataConverterFromEnv, payloadCodecFromEnv } from '../../activities/crypto/data-converter';
import { isEncrypted } from '../../activities/crypto/payload-codec';
import { workflowTestbed } from '../helpers/temporal';
import { poorFamily } from '../helpers/people';
import { investigation, startApplication, waitForStep } from '../helpers/application';
import * as m from '../../workflows/application/messages';

const tb = workflowTestbed();

/** Every payload in a history object (anything with metadata and data bytes). */
function payloadsIn(node: unknown, out: Payload[] = []): Payload[] {
  if (!node || typeof node !== 'object' || node instanceof Uint8Array) return out;
  const o = node as Record<string, unknown>;
  if (o.metadata && typeof o.metadata === 'object' && o.data instanceof Uint8Array) out.push(o as Payload);
  for (const v of Object.values(o)) payloadsIn(v, out);
  return out;
}

/** Everything a reader of the history could see: its JSON and every byte string in it read as UTF-8. */
function readableText(history: unknown): string {
  const bytes: string[] = [];
  const walk = (n: unknown) => {
    if (n instanceof Uint8Array) bytes.push(Buffer.from(n).toString('utf8'));
    else if (n && typeof n === 'object') Object.values(n).forEach(walk);
  };
  walk(history);
  return historyToJSON(history as never) + '\n' + bytes.join('\n');
}

describe('§3 personal data out of Temporal history', () => {
  it('§3 personal data: no member ID number, name or bank account appears in the history, while the state query still answers with them', async () => {
    const input = poorFamily();
    const members = input.household.members;
    const secrets = [...members.flatMap((x) => [x.idNumber, x.name]), input.account!.accountNo];
    await tb.run(async (tq) => {
      const { handle, receipt } = await startApplication(tb.env.client, input, tq);
      expect(receipt.step).toBe('verifying');
      // past intake and the agency's verification (activity inputs with every ID number), then an
      // update whose arguments name a member by ID number
      await waitForStep(handle, 'investigating');
      await handle.executeUpdate(m.recordInvestigationUpdate, { args: [investigation(input)] });

      const view = await handle.query(m.stateQuery);
      expect(view.household.members.map((x) => [x.idNumber, x.name])).toEqual(members.map((x) => [x.idNumber, x.name]));

      const history = await handle.fetchHistory();
      const text = readableText(history);
      for (const s of secrets) expect({ secret: s, found: text.includes(s) }).toEqual({ secret: s, found: false });

      // the search can fail: the same history, decrypted with the key, holds them all
      const payloads = payloadsIn(history);
      const encrypted = payloads.filter(isEncrypted);
      expect(encrypted.length).toBeGreaterThan(5);
      const decoded = await payloadCodecFromEnv().decode(encrypted);
      const clear = decoded.map((p) => JSON.stringify(defaultPayloadConverter.fromPayload(p))).join('\n');
      for (const s of secrets) expect({ secret: s, found: clear.includes(s) }).toEqual({ secret: s, found: true });

      // and the encrypted history replays with the key ring, as a running case's would after a worker restart
      await expect(
        Worker.runReplayHistory({ workflowBundle: { codePath: process.env.JIUZHU_TEST_WORKFLOW_BUNDLE! }, dataConverter: dataConverterFromEnv() }, history, handle.workflowId),
      ).resolves.toBeUndefined();
    });
  });
});
