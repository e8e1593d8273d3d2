// One place that turns settings into Temporal connection options, for the worker and the API alike.
import fs from 'node:fs';
import type { TemporalSettings } from './config';

export function temporalConnectionOptions(t: TemporalSettings) {
  const read = (p?: string) => (p ? fs.readFileSync(p) : undefined);
  return {
    address: t.address,
    apiKey: t.apiKey,
    tls: t.tls
      ? {
          serverNameOverride: t.tls.serverName,
          serverRootCACertificate: read(t.tls.serverRootCaPath),
          clientCertPair:
            t.tls.clientCertPath && t.tls.clientKeyPath ? { crt: read(t.tls.clientCertPath)!, key: read(t.tls.clientKeyPath)! } : undefined,
        }
      : undefined,
  };
}
