// R-REV-05: an alert for a recipient (matched by ID number against active members of active households in
// the caller's subtree) opens a verification review of the household; a person the roster does not hold
// (or holds outside the caller's subtree: not revealed) is listed as unknown; a bad row is listed with its
// field errors. Each review's id comes from a hash of source, ID number and date, so a re-post opens nothing new.
import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Prisma } from '../../activities/db';
import { appendAudit } from '../../activities/audit-log';
import { openReview } from '../../activities/review/open-review';
import type { ActorSigner } from '../actor-signing';
import { maskIdNumber } from '../../workflows/rules/id-number';
import { fieldErrors } from '../problems';
import { inSubtree, type User } from '../auth';
import { isPartner, partnerActor } from '../partners';
import { alertRowSchema, type ALERT_SOURCES, type AlertsAnswer } from './schemas';

export interface AlertServiceDeps {
  prisma: Prisma;
  client: Client;
  taskQueue: string;
  /** issue 22 §1.3: signs the reviews' starts */
  signer: ActorSigner;
}

type Source = (typeof ALERT_SOURCES)[number];

/** Stable across re-posts of the same event: what the review's business id is made of. */
export const alertSourceId = (source: string, idNumber: string, occurredOn: string) => crypto.createHash('sha256').update(JSON.stringify([source, idNumber, occurredOn])).digest('hex').slice(0, 24);

export class AlertService {
  constructor(private readonly deps: AlertServiceDeps) {}

  async receive(user: User, body: { source: Source; records: unknown[] }): Promise<AlertsAnswer> {
    if (isPartner(user)) await partnerActor(this.deps.prisma, user); // a staff id is never a partner
    const answer: AlertsAnswer = { received: body.records.length, opened: [], unknown: [], rejected: [] };
    const rows = body.records.flatMap((raw, index) => {
      const r = alertRowSchema.safeParse(raw);
      if (!r.success) {
        answer.rejected.push({ index, errors: fieldErrors(r.error, `records[${index}].`) });
        return [];
      }
      return [{ index, ...r.data }];
    });
    const members = await this.deps.prisma.householdMember.findMany({
      where: { idNumber: { in: [...new Set(rows.map((r) => r.idNumber))] }, active: true, household: { status: 'active', villageCode: { startsWith: user.jurisdiction } } },
      include: { household: { select: { householdId: true, villageCode: true, countyCode: true } } },
    });
    for (const row of rows) {
      const matches = members.filter((m) => m.idNumber === row.idNumber && inSubtree(user, m.household.villageCode));
      if (!matches.length) answer.unknown.push({ index: row.index, idNumber: row.idNumber });
      for (const m of matches) {
        const opened = await openReview(this.deps.client, this.deps.taskQueue, {
          householdId: m.household.householdId,
          countyCode: m.household.countyCode,
          period: row.occurredOn.slice(0, 7),
          reason: 'alert',
          sourceId: alertSourceId(body.source, row.idNumber, row.occurredOn),
          detail: { source: body.source, memberIdNumber: row.idNumber, occurredOn: row.occurredOn, detail: row.detail, amountFen: row.amountFen },
        }, { sign: (target, input) => this.deps.signer.signStart(target, input) });
        answer.opened.push({ idNumber: row.idNumber, householdId: m.household.householdId, workflowId: opened.workflowId, ...(opened.started ? {} : { alreadyOpen: true }) });
      }
    }
    await this.audit(user, body.source, answer);
    return answer;
  }

  /** R-SUP-05: who posted which alerts and what they opened (ID numbers masked). */
  private async audit(user: User, source: Source, a: AlertsAnswer): Promise<void> {
    await this.deps.prisma.$transaction((tx) =>
      appendAudit(
        tx,
        [
          {
            key: `alerts-${crypto.randomUUID()}`,
            at: Date.now(),
            actor: user.sub,
            actorRole: user.role,
            action: 'alerts.received',
            data: {
              source,
              received: a.received,
              opened: a.opened.map((o) => ({ idNumber: maskIdNumber(o.idNumber), householdId: o.householdId, workflowId: o.workflowId, alreadyOpen: o.alreadyOpen === true })),
              unknown: a.unknown.length,
              rejected: a.rejected.length,
            },
          },
        ],
        { jurisdiction: user.jurisdiction },
      ),
    );
  }
}
