import { stopOrder } from '../../scripts/stack/stop-order';

const named = (...names: string[]) => names.map((name) => ({ name }));

describe('make start: stop order', () => {
  it('issue 16: make start stops the API before the worker, then the rest in reverse order of start', () => {
    expect(stopOrder(named('postgres', 'temporal', 'agency', 'worker', 'api')).map((s) => s.name)).toEqual(['api', 'worker', 'agency', 'temporal', 'postgres']);
    // whatever the order they were started in, or parts added later (a codec server…)
    expect(stopOrder(named('postgres', 'temporal', 'api', 'codec', 'worker')).map((s) => s.name)).toEqual(['api', 'worker', 'codec', 'temporal', 'postgres']);
    expect(stopOrder(named('worker', 'api')).map((s) => s.name)).toEqual(['api', 'worker']);
  });
});
