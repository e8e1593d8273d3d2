// Bundle entry of bench/cycle-start.ts: the real reviewCycle, and a no-op `review` that both sides start
// (the cycle through its activity, the baseline straight from a client), so only the way of starting differs.
export { reviewCycle } from '../../workflows/review/cycle';

export async function review(): Promise<void> {
  // nothing: what is measured is starting it
}
