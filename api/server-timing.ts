// Server-Timing (W3C) of a request's phases inside the API: durations only, on a successful answer, for
// the intake benchmark (bench/intake.ts) and a browser's developer tools. Never what was found.
import { performance } from 'node:perf_hooks';

export class ServerTiming {
  private last = performance.now();
  private readonly phases: [string, number][] = [];

  /** The phase `name` ends now (it began where the previous one ended). */
  mark(name: string): void {
    const now = performance.now();
    this.phases.push([name, now - this.last]);
    this.last = now;
  }

  header(): string {
    return this.phases.map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`).join(', ');
  }
}
