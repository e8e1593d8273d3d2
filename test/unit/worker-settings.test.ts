import { loadWorkerSettings, POOL_HEADROOM } from '../../activities/worker-settings';

describe('§5 worker settings', () => {
  it('§5 worker: defaults: 20 activities at once, a pool of 20 + headroom, the agency at 5/s, the bank at 10/s, 30 s to finish on shutdown', () => {
    expect(loadWorkerSettings({})).toEqual({
      activityConcurrency: 20,
      workflowConcurrency: 40,
      agencyConcurrency: 5,
      agencyRatePerSecond: 5,
      bankConcurrency: 5,
      bankRatePerSecond: 10,
      shutdownGraceTime: '30s',
      poolMax: 20 + POOL_HEADROOM,
    });
  });

  it('§5 worker: the PostgreSQL pool follows the activity concurrency; the rest from the environment', () => {
    const s = loadWorkerSettings({ WORKER_MAX_CONCURRENT_ACTIVITIES: '50', AGENCY_RATE_PER_SECOND: '0.5', AGENCY_MAX_CONCURRENT_ACTIVITIES: '2', WORKER_SHUTDOWN_GRACE: '2m' });
    expect(s).toMatchObject({ activityConcurrency: 50, poolMax: 50 + POOL_HEADROOM, agencyRatePerSecond: 0.5, agencyConcurrency: 2, shutdownGraceTime: '2m' });
    expect(loadWorkerSettings({ WORKER_SHUTDOWN_GRACE: '45000' }).shutdownGraceTime).toBe(45_000);
  });

  it('§5 worker: a setting that makes no sense stops the worker at start, naming it', () => {
    expect(() => loadWorkerSettings({ WORKER_MAX_CONCURRENT_ACTIVITIES: '0' })).toThrow(/WORKER_MAX_CONCURRENT_ACTIVITIES/);
    expect(() => loadWorkerSettings({ AGENCY_RATE_PER_SECOND: 'fast' })).toThrow(/AGENCY_RATE_PER_SECOND/);
    expect(() => loadWorkerSettings({ WORKER_SHUTDOWN_GRACE: 'soon' })).toThrow(/WORKER_SHUTDOWN_GRACE/);
  });
});
