import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import type { AuditOutcome } from './audit-actions.js';

/** One trace, as the app writes it (record changes are written by the database's triggers). */
export interface AuditRecord {
  action: string;
  outcome: AuditOutcome;
  actorUserId: number | null;
  actorTokenId: number | null;
  recordType: string | null;
  recordId: number | null;
  patientId: number | null;
  detail: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface AuditFilter {
  userId?: number;
  patientId?: number;
  action?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
  /** The id of the last event of the previous page: only older ones. */
  before?: number;
}

export interface AuditRow {
  id: string;
  /** ISO 8601, UTC, to the millisecond. */
  occurred_at: string;
  actor_user_id: number | null;
  actor_name: string | null;
  actor_token_id: number | null;
  action: string;
  /** For the admin's page; the API and the export give the id only. */
  patient_name: string | null;
  record_type: string | null;
  record_id: string | null;
  patient_id: number | null;
  outcome: AuditOutcome;
  detail: Record<string, unknown>;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
}

/**
 * The `audit_event` table. Newest first, by keyset on (occurred_at, id): each filter has an index that serves it
 * in that order, so a page costs the same at the millionth event as at the first, and no count is ever taken.
 */
@Injectable()
export class AuditRepository {
  private pool: Promise<Pool> | undefined;

  constructor(private readonly orm: MikroORM) {}

  /**
   * On the pool, outside the request's transaction: a therapist's request runs in one as a role that may not
   * write the trail, and a trace must outlive a request that fails and rolls back.
   */
  async insert(event: AuditRecord): Promise<void> {
    await (
      await this.connection()
    ).query(
      `insert into audit_event (action, outcome, actor_user_id, actor_token_id, record_type, record_id,
                                patient_id, detail, ip, user_agent, request_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        event.action,
        event.outcome,
        event.actorUserId,
        event.actorTokenId,
        event.recordType,
        event.recordId,
        event.patientId,
        JSON.stringify(event.detail),
        event.ip,
        event.userAgent,
        event.requestId,
      ],
    );
  }

  /** Up to `limit` events matching the filter, newest first. */
  async find(filter: AuditFilter, limit: number): Promise<AuditRow[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      conditions.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.userId !== undefined) add('e.actor_user_id = ?', filter.userId);
    if (filter.patientId !== undefined) add('e.patient_id = ?', filter.patientId);
    if (filter.action !== undefined) add('e.action = ?', filter.action);
    if (filter.outcome !== undefined) add('e.outcome = ?', filter.outcome);
    if (filter.from !== undefined) add('e.occurred_at >= ?', filter.from);
    if (filter.to !== undefined) add('e.occurred_at < ?', filter.to);
    if (filter.before !== undefined) {
      add(
        '(e.occurred_at, e.id) < (select b.occurred_at, b.id from audit_event b where b.id = ?)',
        filter.before,
      );
    }
    params.push(limit);
    const { rows } = await (
      await this.connection()
    ).query<AuditRow>(
      `select e.id, to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at, e.actor_user_id, u.name as actor_name, e.actor_token_id, e.action,
              e.record_type, e.record_id, e.patient_id, p.name as patient_name, e.outcome, e.detail, host(e.ip) as ip, e.user_agent,
              e.request_id
       from audit_event e left join staff_user u on u.id = e.actor_user_id left join patient p on p.id = e.patient_id
       ${conditions.length > 0 ? `where ${conditions.join(' and ')}` : ''}
       order by e.occurred_at desc, e.id desc
       limit $${params.length}`,
      params,
    );
    return rows;
  }

  private connection(): Promise<Pool> {
    this.pool ??= this.orm.em
      .getConnection()
      .getNativeClient()
      .catch((error: unknown) => {
        this.pool = undefined;
        throw error;
      });
    return this.pool;
  }
}
