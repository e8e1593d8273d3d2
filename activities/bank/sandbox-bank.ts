// A sandbox of the agent bank (protocol in protocol.ts) for development and tests: the same HTTP contract,
// idempotent by reference (R-PAY-09: a duplicate submission answers the first transfer and is counted),
// settling asynchronously (accepted → paid after `settleDelayMs`, computed when someone looks, so it needs
// no timers and survives restarts), statements by value date (R-PAY-06), and faults a test can inject.
import crypto from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { bearerAuth, hashBody, listenSandbox, readStateFile, writeStateFile, type RunningSandbox } from '../http/sandbox-server';
import {
  batchRequestSchema,
  dateSchema,
  sandboxConfigSchema,
  sandboxFaultsSchema,
  transferRequestSchema,
  transferSchema,
  UNKNOWN_TRANSFER,
  type SandboxFaults,
  type Transfer,
  type TransferRequestBody,
} from './protocol';

export interface SandboxBankOptions {
  apiKey: string;
  /** accepted → paid after this long (0: at the next look) */
  settleDelayMs?: number;
  /** JSON file that keeps every transfer across restarts (written atomically) */
  stateFile?: string;
  /** one line per request; bodies (account numbers) are never logged */
  log?: (line: string) => void;
}

const storedSchema = transferRequestSchema.extend(transferSchema.omit({ reference: true }).shape).extend({ dueAt: z.string(), bodyHash: z.string() });
type StoredTransfer = z.infer<typeof storedSchema>;
const batchStoredSchema = z.object({ batchId: z.string(), bodyHash: z.string(), lines: z.array(z.object({ lineId: z.string(), reference: z.string() })) });
const stateFileSchema = z.object({ transfers: z.array(storedSchema), batches: z.array(batchStoredSchema), duplicates: z.record(z.string(), z.int()) });

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly type = 'about:blank',
  ) {
    super(detail);
  }
}

/** YYYY-MM-DD in China (UTC+8, no daylight saving). */
export const chinaDate = (ms: number): string => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

export function createSandboxBankApp(opts: SandboxBankOptions) {
  const transfers = new Map<string, StoredTransfer>();
  const batches = new Map<string, z.infer<typeof batchStoredSchema>>();
  const duplicates = new Map<string, number>();
  let settleDelayMs = opts.settleDelayMs ?? 5000;
  let faults: Required<Omit<SandboxFaults, 'rejectAccounts'>> & { rejectAccounts: Set<string> } = { timeoutAfterAccept: 0, timeoutMode: 'drop', rejectAccounts: new Set(), down: false, refuseLookups: 0 };

  // A corrupt state file stops start-up: forgetting transfers would let a payment be made twice.
  const state = readStateFile(opts.stateFile, stateFileSchema);
  if (state) {
    for (const t of state.transfers) transfers.set(t.reference, t);
    for (const b of state.batches) batches.set(b.batchId, b);
    for (const [ref, n] of Object.entries(state.duplicates)) duplicates.set(ref, n);
  }

  function persist(): void {
    writeStateFile(opts.stateFile, { transfers: [...transfers.values()], batches: [...batches.values()], duplicates: Object.fromEntries(duplicates) });
  }

  /** Settles a transfer whose time has come; a settled one never changes again. */
  function look(t: StoredTransfer): Transfer {
    if (t.status === 'accepted' && Date.now() >= Date.parse(t.dueAt)) {
      t.status = faults.rejectAccounts.has(t.payee.accountNo) ? 'failed' : 'paid';
      t.settledOn = chinaDate(Date.parse(t.dueAt));
      if (t.status === 'failed') Object.assign(t, { code: 'account_rejected', reason: 'the payee bank rejected the account' });
      persist();
    }
    return view(t);
  }

  /** The transfer a reference names: the first one when it was submitted before (counted as a duplicate). */
  function admit(body: TransferRequestBody): { transfer: StoredTransfer; created: boolean } {
    const bodyHash = hashBody(body);
    const held = transfers.get(body.reference);
    if (held) {
      if (held.bodyHash !== bodyHash) throw new HttpProblem(422, 'Unprocessable Content', `reference ${body.reference} was submitted before with a different transfer`);
      duplicates.set(body.reference, (duplicates.get(body.reference) ?? 0) + 1);
      return { transfer: held, created: false };
    }
    const now = Date.now();
    const transfer: StoredTransfer = { ...body, bankRef: `BK${crypto.randomUUID().replace(/-/g, '').slice(0, 20).toUpperCase()}`, status: 'accepted', acceptedAt: new Date(now).toISOString(), dueAt: new Date(now + settleDelayMs).toISOString(), bodyHash };
    transfers.set(body.reference, transfer);
    return { transfer, created: true };
  }

  const app = express();
  app.disable('x-powered-by');
  if (opts.log) app.use(requestLogger(opts.log));
  app.use(bearerAuth(opts.apiKey, () => new HttpProblem(401, 'Unauthorized', 'missing or wrong API key')));
  app.use(express.json({ limit: '5mb', type: ['application/json', 'application/*+json'] }));
  app.use('/v1', (_req, res, next) => {
    if (!faults.down) return next();
    res.setHeader('Retry-After', '1');
    throw new HttpProblem(503, 'Service Unavailable', 'sandbox: the bank is down (fault injected)');
  });

  app.post('/v1/transfers', (req, res) => {
    const body = transferRequestSchema.parse(req.body);
    if (req.get('Idempotency-Key')?.trim() !== body.reference) throw new HttpProblem(400, 'Bad Request', 'Idempotency-Key must be the transfer reference');
    const { transfer, created } = admit(body);
    persist();
    if (created && faults.timeoutAfterAccept > 0) {
      // the bank holds the transfer, the caller never learns it: the doubt R-PAY-09 is about
      faults.timeoutAfterAccept--;
      if (faults.timeoutMode === 'drop') req.socket.destroy();
      return; // hang: no answer until the caller gives up (close() ends the connection)
    }
    // a new transfer is answered as accepted, even with no settlement delay: it settles at the next look
    res.status(created ? 201 : 200).json(created ? view(transfer) : look(transfer));
  });

  app.get('/v1/transfers/:reference', (req, res) => {
    const t = transfers.get(req.params.reference);
    if (!t) throw new HttpProblem(404, 'Not Found', 'the bank never received this reference', UNKNOWN_TRANSFER);
    if (faults.refuseLookups > 0) {
      // the lookup refused while the bank holds the transfer: the doubt a client must not read as "no transfer"
      faults.refuseLookups--;
      throw new HttpProblem(400, 'Bad Request', 'sandbox: lookup refused (fault injected)');
    }
    res.json(look(t));
  });

  app.post('/v1/batches', (req, res) => {
    const body = batchRequestSchema.parse(req.body);
    const bodyHash = hashBody(body);
    const held = batches.get(body.batchId);
    if (held) {
      if (held.bodyHash !== bodyHash) throw new HttpProblem(422, 'Unprocessable Content', `batch ${body.batchId} was submitted before with different lines`);
      res.status(200).json({ batchId: held.batchId, accepted: held.lines.length });
      return;
    }
    // refuse the whole file before anything is created when one line contradicts a transfer held
    for (const [i, { lineId: _l, ...line }] of body.lines.entries()) {
      const t = transfers.get(line.reference);
      if (t && t.bodyHash !== hashBody(line)) throw new HttpProblem(422, 'Unprocessable Content', `lines.${i}: reference ${line.reference} was submitted before with a different transfer`);
    }
    for (const { lineId: _l, ...line } of body.lines) admit(line);
    batches.set(body.batchId, { batchId: body.batchId, bodyHash, lines: body.lines.map((l) => ({ lineId: l.lineId, reference: l.reference })) });
    persist();
    res.status(202).json({ batchId: body.batchId, accepted: body.lines.length });
  });

  app.get('/v1/batches/:batchId', (req, res) => {
    const b = batches.get(req.params.batchId);
    if (!b) throw new HttpProblem(404, 'Not Found', 'no such batch');
    res.json({ batchId: b.batchId, lines: b.lines.map((l) => ({ ...l, transfer: look(transfers.get(l.reference)!) })) });
  });

  app.get('/v1/statements/:date', (req, res) => {
    const date = dateSchema.parse(req.params.date);
    const lines = [...transfers.values()]
      .map((t) => ({ t, view: look(t) }))
      .filter(({ view }) => view.settledOn === date && view.status !== 'accepted')
      .map(({ t, view }) => ({ reference: t.reference, bankRef: t.bankRef, amountFen: t.amountFen, status: view.status === 'paid' ? ('paid' as const) : ('returned' as const), valueDate: date }));
    res.json({ date, lines });
  });

  app.put('/sandbox/config', (req, res) => {
    settleDelayMs = sandboxConfigSchema.parse(req.body).settleDelayMs ?? settleDelayMs;
    res.json({ settleDelayMs });
  });

  app.put('/sandbox/faults', (req, res) => {
    const f = sandboxFaultsSchema.parse(req.body);
    faults = {
      timeoutAfterAccept: f.timeoutAfterAccept ?? faults.timeoutAfterAccept,
      timeoutMode: f.timeoutMode ?? faults.timeoutMode,
      rejectAccounts: f.rejectAccounts ? new Set(f.rejectAccounts) : faults.rejectAccounts,
      down: f.down ?? faults.down,
      refuseLookups: f.refuseLookups ?? faults.refuseLookups,
    };
    res.json({ ...faults, rejectAccounts: [...faults.rejectAccounts] });
  });

  // for tests to count: it only looks (settles nothing), so counting never changes what the bank answers
  app.get('/sandbox/transfers', (req, res) => {
    const reference = typeof req.query.reference === 'string' ? req.query.reference : undefined;
    const list = [...transfers.values()].filter((t) => reference === undefined || t.reference === reference);
    const dup = reference === undefined ? [...duplicates.values()].reduce((a, b) => a + b, 0) : (duplicates.get(reference) ?? 0);
    res.json({ count: list.length, duplicates: dup, transfers: list.map((t) => ({ ...view(t), amountFen: t.amountFen, accountNo: t.payee.accountNo })) });
  });

  app.use((_req: Request, _res: Response) => {
    throw new HttpProblem(404, 'Not Found', 'no such endpoint');
  });
  app.use(problemHandler);
  return { app };
}

export async function startSandboxBank(opts: SandboxBankOptions & { port: number; host?: string }): Promise<RunningSandbox> {
  // requests left hanging by the `hang` fault would hold close() open
  return listenSandbox(createSandboxBankApp(opts).app, { ...opts, dropOpenRequests: true });
}

function view(t: StoredTransfer): Transfer {
  const { reference, bankRef, status, acceptedAt, settledOn, code, reason } = t;
  return { reference, bankRef, status, acceptedAt, settledOn, code, reason };
}

function requestLogger(log: (line: string) => void) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = Date.now();
    res.on('finish', () => log(`${new Date(started).toISOString()} ${req.method} ${req.originalUrl} ${res.statusCode} ${Date.now() - started}ms`));
    next();
  };
}

function problemHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  let p: HttpProblem;
  let errors: { path: string; message: string }[] | undefined;
  if (err instanceof HttpProblem) p = err;
  else if (err instanceof z.ZodError) {
    errors = err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    p = new HttpProblem(400, 'Bad Request', 'the request failed validation');
  } else if (typeof (err as { status?: unknown })?.status === 'number' && (err as { status: number }).status < 500) {
    p = new HttpProblem((err as { status: number }).status, 'Bad Request', (err as Error).message); // body-parser
  } else {
    console.error('sandbox bank: unexpected error', err);
    p = new HttpProblem(500, 'Internal Server Error', 'unexpected error');
  }
  res
    .status(p.status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: p.type, title: p.title, status: p.status, detail: p.detail, ...(errors ? { errors } : {}) }));
}
