// R-SUP-05: anchors the audit chains' heads (a signed Merkle root). Started by the Temporal Schedule
// `audit-anchor` (activities/audit/schedule.ts); one run anchors everything that moved, in batches.
import { proxyActivities } from '@temporalio/workflow';
import type { AnchorSummary, AuditActivities } from '../../activities/audit/anchor';

const { anchorAuditHeads } = proxyActivities<AuditActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: ['AuditSigningKeyMissing'] },
});

const MAX_BATCHES = 50; // bounded history; what is left goes to the next run

export async function auditAnchor(): Promise<AnchorSummary[]> {
  const anchors: AnchorSummary[] = [];
  for (let i = 0; i < MAX_BATCHES; i++) {
    const a = await anchorAuditHeads();
    if (!a) break;
    anchors.push(a);
    if (!a.more) break;
  }
  return anchors;
}
