// Deaths (死亡比对): the API side of death records and death stops. A post is checked row by row; good rows
// go through the one intake (activities/death-stop/intake.ts: match, claim, signed update-with-start), so a
// re-post or a second source never starts a second workflow. Reads come from the `death_stop` projection.
import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Prisma } from '../../activities/db';
import { appendAudit } from '../../activities/audit-log';
import { DeathIntakeIncomplete, intakeDeathRows, type DeathRow } from '../../activities/death-stop/intake';
import type { UpdateAnswer } from '../../workflows/kit/command';
import { chinaDate } from '../../workflows/rules/dates';
import { maskIdNumber } from '../../workflows/rules/id-number';
import { deathStopStateQuery } from '../../workflows/death-stop/messages';
import { deathRecordRow } from '../../workflows/death-stop/payloads';
import type { DeathSource, DeathStopView } from '../../workflows/death-stop/state';
import type { Actor } from '../../workflows/rules/types';
import { inSubtree, type User } from '../auth';
import type { ActorSigner } from '../actor-signing';
import { fieldErrors, forbidden, notFound } from '../problems';
import { isPartner, partnerActor } from '../partners';
import { keysetPage } from '../paging';
import { SEES_ID_NUMBERS } from '../roster/service';
import type { KindRow, ReadModel } from '../kind-commands';
import type { z } from 'zod';
import type { deathRecordsAnswer } from './schemas';

type Answer = z.infer<typeof deathRecordsAnswer>;

export interface DeathServiceDeps {
  prisma: Prisma;
  client: Client;
  taskQueue: string;
  signer: ActorSigner;
  registeredActor(user: User): Promise<Actor>;
  commandTimeoutMs?: number;
}

export class DeathService {
  constructor(private readonly deps: DeathServiceDeps) {}

  /**
   * R-DTH-01: each record checked on its own; the good ones matched (in the caller's subtree: a partner's is the
   * area it reports for) and stopped. Anyone outside it is `unmatched`, whether or not a roster holds them.
   */
  async receive(user: User, body: { source: DeathSource; records: unknown[] }): Promise<Answer> {
    const today = chinaDate(Date.now());
    const row = deathRecordRow(today);
    const rejected: Answer['rejected'] = [];
    const rows: DeathRow[] = [];
    body.records.forEach((raw, index) => {
      const r = row.safeParse(raw);
      if (r.success) rows.push({ index, idNumber: r.data.idNumber, dateOfDeath: r.data.dateOfDeath });
      else rejected.push({ index, errors: fieldErrors(r.error, `records[${index}].`) });
    });
    // a system partner posts what its registry holds, never a village's report (R-REV-03 comes through the change reports)
    if (isPartner(user) && body.source === 'report') throw forbidden('R-DTH-01: a system partner posts civil_registry, funeral or police records', [{ path: 'source', message: 'not report for a system partner' }]);
    const actor = isPartner(user) ? await partnerActor(this.deps.prisma, user) : await this.deps.registeredActor(user);
    try {
      const { matched, unmatched } = rows.length ? await intakeDeathRows(this.deps, actor, body.source, rows, user.jurisdiction) : { matched: [], unmatched: [] };
      const answer = { received: body.records.length, matched, unmatched, rejected };
      await this.audit(user, body.source, answer);
      return answer;
    } catch (err) {
      if (!(err instanceof DeathIntakeIncomplete)) throw err;
      // R-SUP-05: what was sent is on the record even when the rest was not (the caller gets the 503)
      await this.audit(user, body.source, { received: body.records.length, ...err.partial, rejected }, err.partial.unsent);
      throw err.cause;
    }
  }

  /** R-SUP-05: who posted which death records and what they reached (ID numbers masked). */
  private async audit(user: User, source: DeathSource, a: Answer, unsent?: { idNumber: string }[]): Promise<void> {
    await this.deps.prisma.$transaction((tx) =>
      appendAudit(tx, [{
        key: `death-records-${crypto.randomUUID()}`,
        at: Date.now(),
        actor: user.sub,
        actorRole: user.role,
        action: 'death_records.received',
        data: { source, received: a.received, matched: a.matched.map((m) => ({ idNumber: maskIdNumber(m.idNumber), householdId: m.householdId, workflowId: m.workflowId })), unmatched: a.unmatched.length, rejected: a.rejected.length, ...(unsent ? { unsent: unsent.map((u) => maskIdNumber(u.idNumber)) } : {}) },
      }], { jurisdiction: user.jurisdiction }),
    );
  }
}

const PROJECTION_ATTEMPTS = 20;
const PROJECTION_RETRY_MS = 50;

export class DeathStopReadModel implements ReadModel<DeathStopView> {
  readonly kind = 'death_stop';
  constructor(private readonly deps: { prisma: Prisma; client: Client }) {}

  /** By its workflow id (API.md) or its death stop id (the audit's case id); outside the subtree: 404. */
  async visible(user: User, id: string): Promise<KindRow> {
    const row = await this.deps.prisma.deathStop.findUnique({ where: id.startsWith('death-stop-') ? { workflowId: id } : { deathStopId: id } });
    if (!row || !inSubtree(user, row.villageCode)) throw notFound(`no death stop ${id}`);
    return row;
  }

  closed(row: KindRow): boolean {
    return row.status !== 'open';
  }

  async at(answer: UpdateAnswer, row: KindRow): Promise<DeathStopView> {
    for (let attempt = 0; attempt < PROJECTION_ATTEMPTS; attempt++) {
      const r = await this.deps.prisma.deathStop.findUnique({ where: { deathStopId: answer.caseId }, select: { view: true, revision: true } });
      if (r?.view && Number(r.revision) >= answer.revision) return r.view as unknown as DeathStopView;
      await new Promise((res) => setTimeout(res, PROJECTION_RETRY_MS));
    }
    return this.deps.client.workflow.getHandle(row.workflowId).query(deathStopStateQuery);
  }

  /** R-DTH-02/03: state, payments held, recovery due, deadline, and its timeline. */
  async get(user: User, workflowId: string) {
    await this.visible(user, workflowId);
    const row = await this.deps.prisma.deathStop.findUniqueOrThrow({ where: { workflowId } });
    const events = await this.deps.prisma.auditEvent.findMany({ where: { caseId: row.deathStopId }, orderBy: { seq: 'asc' }, take: 1000 });
    const view = (row.view ?? { deathStopId: row.deathStopId, workflowId, step: row.step, status: row.status, deadline: null, paymentsHeld: null, recoveryDue: null }) as Record<string, unknown>;
    // as for households: staff who act on the person see the ID number, readers and village assistants masked
    const idNumber = SEES_ID_NUMBERS.includes(user.role) ? row.idNumber : maskIdNumber(row.idNumber);
    return {
      ...view,
      idNumber,
      timeline: events.map((e) => ({ seq: e.seq.toString(), at: e.at.toISOString(), actor: e.actor, actorRole: e.actorRole, action: e.action, reason: e.reason, data: e.data })),
    };
  }

  /** Death stops in the caller's subtree, by step and due date, paged by an opaque cursor. */
  async list(user: User, q: { jurisdiction?: string; step?: string; dueBefore?: string; limit: number; cursor?: string }) {
    const scope = q.jurisdiction ?? user.jurisdiction;
    if (!inSubtree(user, scope)) return { items: [], nextCursor: null };
    const rows = await this.deps.prisma.deathStop.findMany({
      where: {
        villageCode: { startsWith: scope },
        ...(q.step ? { step: q.step } : {}),
        ...(q.dueBefore ? { dueOn: { lt: new Date(`${q.dueBefore}T00:00:00Z`) } } : {}),
        ...(q.cursor ? { deathStopId: { gt: q.cursor } } : {}),
      },
      orderBy: { deathStopId: 'asc' },
      take: q.limit + 1,
    });
    const day = (d: Date | null) => d?.toISOString().slice(0, 10) ?? null;
    return keysetPage('death-stops', rows, q.limit, (r) => r.deathStopId, (r) => ({ deathStopId: r.deathStopId, workflowId: r.workflowId, householdId: r.householdId, villageCode: r.villageCode, dateOfDeath: day(r.dateOfDeath)!, step: r.step, status: r.status, assignee: r.assignee, dueOn: day(r.dueOn), overdue: r.overdue, recoveryFen: r.recoveryFen }));
  }
}
