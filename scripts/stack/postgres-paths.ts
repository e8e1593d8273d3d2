// Where the embedded PostgreSQL's binaries and data live (issue 11 §5). Not as root: the package's own
// binaries and the data directory the caller names (.data/pg for `make start`). As root PostgreSQL runs
// as the `postgres` system user, which cannot reach a project cloned into a private folder (/root/…,
// `mktemp -d`, mode 0700), and the user's folders must not be opened up for it. So as root the binaries
// are copied once per version, and the data lives, in a directory that user can reach: JIUZHU_PG_ROOT
// (default /var/lib/jiuzhu), e.g. /var/lib/jiuzhu/postgresql-17.9.0-beta.17/bin and
// /var/lib/jiuzhu/<hash of the data directory the caller named>/pg.
import crypto from 'node:crypto';
import path from 'node:path';

export const DEFAULT_PG_ROOT = '/var/lib/jiuzhu';

/** persistent: the cluster outlives the process (`make start`); scratch: a fresh one that stop() removes (tests, scripts). */
export type PostgresLifetime = 'persistent' | 'scratch';

export interface PlacementInput {
  asRoot: boolean;
  /** where the caller wants the data: used as is when not root, and as the key of the persistent cluster as root */
  dataDir: string;
  lifetime: PostgresLifetime;
  /** JIUZHU_PG_ROOT */
  pgRoot: string;
  /** the package's `native` folder (bin, lib, share) and its version */
  nativeDir: string;
  version: string;
  /** as root: a cluster initialised in `dataDir` before this change (PG_VERSION present), kept in place */
  legacyCluster: boolean;
  /** names a scratch cluster (unique per run) */
  scratchId: string;
}

export interface Placement {
  binDir: string;
  dataDir: string;
  /** as root: copy nativeDir here (once; reused when complete) */
  nativeCopy?: { from: string; to: string };
  /** the directory holding dataDir that stop() removes (scratch clusters as root only) */
  removeOnStop?: string;
}

/** A short, stable name for a data directory (the project's .data/pg for `make start`). */
export function clusterKey(dataDir: string): string {
  return crypto.createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
}

export function placePostgres(i: PlacementInput): Placement {
  if (!i.asRoot) return { binDir: path.join(i.nativeDir, 'bin'), dataDir: path.resolve(i.dataDir) };
  const nativeCopy = { from: i.nativeDir, to: path.join(i.pgRoot, `postgresql-${i.version}`) };
  const binDir = path.join(nativeCopy.to, 'bin');
  if (i.legacyCluster) return { binDir, dataDir: path.resolve(i.dataDir), nativeCopy };
  if (i.lifetime === 'persistent') return { binDir, dataDir: path.join(i.pgRoot, clusterKey(i.dataDir), 'pg'), nativeCopy };
  const instance = path.join(i.pgRoot, `scratch-${i.scratchId}`);
  return { binDir, dataDir: path.join(instance, 'pg'), nativeCopy, removeOnStop: instance };
}
