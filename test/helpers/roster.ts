// Legacy roster rows for import tests: fictitious households with valid ID numbers.
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { idNumberFor } from './people';
import { listen, TEST_JWT_SECRET, type HttpClient } from './http';
import type { TestDatabase } from './db';

export const TRAINING_VILLAGE = '140599100201';
export const QINSHUI_VILLAGE = '140521100201';

/** A legacy household as POST /v1/roster/import takes it: a couple, the head holding the account. */
export function legacyHousehold(overrides: Record<string, unknown> = {}, region = '140599') {
  const head = { name: '赵大山', idNumber: idNumberFor('1958-02-03', region), relation: 'self', birthDate: '1958-02-03' };
  const spouse = { name: '钱桂花', idNumber: idNumberFor('1960-07-21', region), relation: 'spouse', birthDate: '1960-07-21' };
  return {
    programme: 'DIBAO',
    villageCode: TRAINING_VILLAGE,
    enrolledOn: '2021-04-10',
    monthlyFen: 84000,
    reviewClass: 'annual',
    members: [head, spouse],
    account: { bank: '中国农业银行沁水支行', accountNo: '6228480000012345678', holderIdNumber: head.idNumber },
    ...overrides,
  };
}

/** The API without Temporal (the roster needs none): reads and imports only. */
export async function rosterApp(db: TestDatabase): Promise<HttpClient> {
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  return listen(createApp({ prisma: db.prisma, client, taskQueue: 'unused', jwt: { secret: TEST_JWT_SECRET } }));
}
