import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { CANCELLED_STATUSES, SessionStatus } from '../sessions/session-status.js';

/** PostgreSQL's `undefined_table`: a database the app starts on before `migrate` has run (MIGRATE_ON_START=false). */
const UNDEFINED_TABLE = '42P01';

export type StatsGrouping = 'week' | 'month';

/** One therapist's figures for one period (a week from Monday, or a calendar month), as the database sums them. */
export interface StatsRow {
  therapistId: number;
  therapistName: string;
  /** The first day of the period, YYYY-MM-DD; weeks start on Monday. */
  period: string;
  sessions: number;
  completed: number;
  noShow: number;
  cancelled: number;
  lateCancelled: number;
  bookedMinutes: number;
  workingMinutes: number;
}

const inList = (statuses: readonly string[]): string => statuses.map((status) => `'${status}'`).join(', ');

/**
 * Reads the trigger-kept aggregate `session_daily_stats` (see its migration), never the sessions: a year of 200
 * therapists is at most 200 × 365 × 5 rows. Working minutes come from the weekly working hours, counted over the
 * days of the range. A therapist's transaction sees only their own rows (row-level security).
 */
@Injectable()
export class StatsRepository {
  constructor(private readonly em: EntityManager) {}

  async figures(from: string, to: string, groupBy: StatsGrouping, therapistId?: number): Promise<StatsRow[]> {
    const one = therapistId === undefined ? [] : [therapistId];
    const only = (column: string): string => (therapistId === undefined ? '' : `and ${column} = ?`);
    const rows = await this.em.execute<
      {
        therapist_id: number;
        therapist_name: string;
        period: string;
        sessions: string;
        completed: string;
        no_show: string;
        cancelled: string;
        late_cancelled: string;
        booked_minutes: string;
        working_minutes: string;
      }[]
    >(
      `with counts as (
         select s.therapist_id, date_trunc(?, s.day)::date as period,
                sum(s.sessions) as sessions,
                sum(s.sessions) filter (where s.status = '${SessionStatus.Completed}') as completed,
                sum(s.sessions) filter (where s.status = '${SessionStatus.NoShow}') as no_show,
                sum(s.sessions) filter (where s.status = '${SessionStatus.Cancelled}') as cancelled,
                sum(s.sessions) filter (where s.status = '${SessionStatus.LateCancelled}') as late_cancelled,
                sum(s.booked_minutes) filter (where s.status not in (${inList(CANCELLED_STATUSES)})) as booked_minutes
         from session_daily_stats s
         where s.day between ?::date and ?::date ${only('s.therapist_id')}
         group by 1, 2
       ), work as (
         select w.therapist_id, date_trunc(?, d.day)::date as period,
                sum(w.end_minute - w.start_minute) as working_minutes
         from generate_series(?::date, ?::date, interval '1 day') as d(day)
         join working_hours w on w.weekday = extract(isodow from d.day) ${only('w.therapist_id')}
         group by 1, 2
       )
       select t.id as therapist_id, t.name as therapist_name, to_char(p.period, 'YYYY-MM-DD') as period,
              coalesce(c.sessions, 0) as sessions, coalesce(c.completed, 0) as completed,
              coalesce(c.no_show, 0) as no_show, coalesce(c.cancelled, 0) as cancelled,
              coalesce(c.late_cancelled, 0) as late_cancelled, coalesce(c.booked_minutes, 0) as booked_minutes,
              coalesce(w.working_minutes, 0) as working_minutes
       from (select therapist_id, period from counts union select therapist_id, period from work) as p
       join therapist t on t.id = p.therapist_id
       left join counts c on c.therapist_id = p.therapist_id and c.period = p.period
       left join work w on w.therapist_id = p.therapist_id and w.period = p.period
       order by t.name, t.id, p.period`,
      [groupBy, from, to, ...one, groupBy, from, to, ...one],
    );
    return rows.map((row) => ({
      therapistId: row.therapist_id,
      therapistName: row.therapist_name,
      period: row.period,
      sessions: Number(row.sessions),
      completed: Number(row.completed),
      noShow: Number(row.no_show),
      cancelled: Number(row.cancelled),
      lateCancelled: Number(row.late_cancelled),
      bookedMinutes: Number(row.booked_minutes),
      workingMinutes: Number(row.working_minutes),
    }));
  }

  /** The zone the aggregate's days are in; undefined before the migrations have made it (they may run later). */
  async zone(): Promise<string | undefined> {
    try {
      const [row] = await this.em.execute<{ time_zone: string }[]>(
        'select time_zone from session_stats_zone',
      );
      return row?.time_zone;
    } catch (error) {
      if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return undefined;
      throw error;
    }
  }

  /** Recounts the aggregate from the sessions, by days of `timeZone`. */
  async rebuild(timeZone: string): Promise<void> {
    await this.em.execute('select rebuild_session_stats(?)', [timeZone]);
  }
}
