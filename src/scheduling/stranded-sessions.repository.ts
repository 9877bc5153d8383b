import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { TimeSpan } from './schedule-rules.js';

/** A Scheduled session as the stranded-session check reads it, with the names a list shows. */
export interface ScheduledSessionRow {
  id: number;
  therapistId: number;
  therapistName: string;
  therapistTimeZone: string | null;
  patientId: number;
  patientName: string;
  startsAt: Date;
  endsAt: Date;
}

/** The most sessions one check looks at (a change rarely strands more; the list says when it stops). */
export const STRANDED_LIMIT = 500;

/**
 * Sessions yet to start, read by the scheduling rules. Plain SQL on the sessions' table, so that scheduling does
 * not depend on the sessions module (which depends on it); a therapist's transaction still sees only their rows.
 */
@Injectable()
export class StrandedSessionsRepository {
  constructor(private readonly em: EntityManager) {}

  /** Scheduled sessions starting after `now` that overlap `range`, of these therapists (all when undefined). */
  async findScheduled(
    range: TimeSpan,
    now: Date,
    therapistIds?: readonly number[],
  ): Promise<ScheduledSessionRow[]> {
    if (therapistIds?.length === 0) return [];
    const byTherapist = therapistIds
      ? `and s.therapist_id in (${therapistIds.map(() => '?').join(', ')})`
      : '';
    const rows = await this.em.execute<
      {
        id: number;
        therapist_id: number;
        therapist_name: string;
        time_zone: string | null;
        patient_id: number;
        patient_name: string;
        starts_at: Date;
        ends_at: Date;
      }[]
    >(
      `select s.id, s.therapist_id, t.name as therapist_name, t.time_zone, s.patient_id, p.name as patient_name,
              s.starts_at, s.ends_at
         from therapy_session s
         join therapist t on t.id = s.therapist_id
         join patient p on p.id = s.patient_id
        where s.status = 'Scheduled' and s.starts_at > ? and s.starts_at < ? and s.ends_at > ? ${byTherapist}
        order by s.starts_at, s.id
        limit ${STRANDED_LIMIT}`,
      [now, range.end, range.start, ...(therapistIds ?? [])],
    );
    return rows.map((row) => ({
      id: row.id,
      therapistId: row.therapist_id,
      therapistName: row.therapist_name,
      therapistTimeZone: row.time_zone,
      patientId: row.patient_id,
      patientName: row.patient_name,
      startsAt: new Date(row.starts_at),
      endsAt: new Date(row.ends_at),
    }));
  }
}
