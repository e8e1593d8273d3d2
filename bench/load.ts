// Closed-loop load: `clients` workers each take the next index and await `op(i)` until `n` are done.
// Rate = completed / wall time of the whole side; latency is per operation, from call to answer.
export interface LoadResult {
  n: number;
  clients: number;
  seconds: number;
  /** completed operations per second */
  rate: number;
  /** per operation, in index order: when it was called and answered (epoch ms) */
  spans: { start: number; end: number }[];
  failures: { index: number; error: string }[];
}

export async function closedLoop(n: number, clients: number, op: (i: number) => Promise<void>, progress?: (done: number) => void): Promise<LoadResult> {
  const spans: LoadResult['spans'] = new Array(n);
  const failures: LoadResult['failures'] = [];
  let next = 0;
  let done = 0;
  const t0 = Date.now();
  const tick = setInterval(() => progress?.(done), 2_000);
  try {
    await Promise.all(
      Array.from({ length: Math.min(clients, n) }, async () => {
        for (let i = next++; i < n; i = next++) {
          const start = Date.now();
          try {
            await op(i);
          } catch (err) {
            failures.push({ index: i, error: err instanceof Error ? err.message : String(err) });
          }
          spans[i] = { start, end: Date.now() };
          done++;
        }
      }),
    );
  } finally {
    clearInterval(tick);
  }
  const seconds = (Date.now() - t0) / 1000;
  return { n, clients, seconds, rate: (n - failures.length) / seconds, spans, failures };
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);
