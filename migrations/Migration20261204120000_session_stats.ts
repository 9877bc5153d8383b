import { Migration } from '@mikro-orm/migrations';

const APP_ROLE = 'therapy_app';

const NEW_ROWS = `select "therapist_id", "starts_at", "status", "duration_minutes", 1 as "sign" from new_rows`;
const OLD_ROWS = `select "therapist_id", "starts_at", "status", "duration_minutes", -1 as "sign" from old_rows`;

/** Adds the signed rows of `changes` to the counts: +1 for a row that appears, -1 for one that goes. */
const applyChanges = (changes: string): string => `
  insert into "session_daily_stats" as s ("therapist_id", "day", "status", "sessions", "booked_minutes")
  select c."therapist_id", (c."starts_at" at time zone (select "time_zone" from "session_stats_zone"))::date,
         c."status", sum(c."sign"), sum(c."sign" * c."duration_minutes")
  from (${changes}) as c
  group by 1, 2, 3
  having sum(c."sign") <> 0 or sum(c."sign" * c."duration_minutes") <> 0
  on conflict ("day", "therapist_id", "status") do update
    set "sessions" = s."sessions" + excluded."sessions",
        "booked_minutes" = s."booked_minutes" + excluded."booked_minutes";`;

const TRIGGERS = [
  ['inserted', 'insert', 'new table as new_rows', NEW_ROWS],
  ['updated', 'update', 'old table as old_rows new table as new_rows', `${NEW_ROWS} union all ${OLD_ROWS}`],
  ['deleted', 'delete', 'old table as old_rows', OLD_ROWS],
] as const;

/**
 * The stats dashboard reads counts, not sessions: `session_daily_stats` holds, per therapist, local day and status,
 * how many sessions there are and their booked minutes. Statement-level triggers on `therapy_session` apply every
 * insert, update and delete to it in the same transaction, so it is exact and immediate (no refresh, no lag).
 *
 * A day is a day in the clinic's zone, which is configuration: `session_stats_zone` records the zone the table was
 * built in and the app rebuilds the table (`rebuild_session_stats`) when it starts with another one. The bulk seed,
 * which loads with triggers off, rebuilds it at its end. Therapists read only their own rows, like their sessions.
 */
export class Migration20261204120000_session_stats extends Migration {
  override name = 'Migration20261204120000_session_stats';

  override up(): void {
    this.addSql(`
      create table "session_stats_zone" (
        "only_row" boolean primary key default true check ("only_row"),
        "time_zone" text not null
      );`);
    this.addSql(`insert into "session_stats_zone" ("time_zone") values ('UTC');`);
    this.addSql(`
      create table "session_daily_stats" (
        "therapist_id" int not null references "therapist" ("id") on delete cascade,
        "day" date not null,
        "status" text not null,
        "sessions" int not null,
        "booked_minutes" int not null,
        primary key ("day", "therapist_id", "status")
      );`);
    this.addSql(
      `create index "session_daily_stats_therapist_id_day_index" on "session_daily_stats" ("therapist_id", "day");`,
    );
    this.addSql(`
      create function rebuild_session_stats(zone text) returns void language sql as $$
        update "session_stats_zone" set "time_zone" = zone;
        truncate "session_daily_stats";
        insert into "session_daily_stats" ("therapist_id", "day", "status", "sessions", "booked_minutes")
        select "therapist_id", ("starts_at" at time zone zone)::date, "status", count(*), sum("duration_minutes")
        from "therapy_session" group by 1, 2, 3;
      $$;`);
    this.addSql(`select rebuild_session_stats('UTC');`);
    for (const [name, event, transitions, changes] of TRIGGERS) {
      // Runs as its owner: a therapist's statement may change the counts, which they may only read.
      this.addSql(`
        create function session_stats_${name}() returns trigger language plpgsql security definer
        set search_path = public as $$
        begin
          ${applyChanges(changes)}
          return null;
        end $$;`);
      this.addSql(
        `create trigger "therapy_session_stats_${name}" after ${event} on "therapy_session" referencing ${transitions} for each statement execute function session_stats_${name}();`,
      );
    }
    const scope = `"therapist_id" = app_therapist_id()`;
    this.addSql(`alter table "session_daily_stats" enable row level security;`);
    this.addSql(
      `create policy "session_daily_stats_staff" on "session_daily_stats" using (current_user <> '${APP_ROLE}') with check (current_user <> '${APP_ROLE}');`,
    );
    this.addSql(
      `create policy "session_daily_stats_therapist" on "session_daily_stats" for select to ${APP_ROLE} using (${scope});`,
    );
    this.addSql(`
      do $$
      begin
        if exists (select from pg_roles where rolname = '${APP_ROLE}') then
          grant select on "session_daily_stats", "session_stats_zone" to ${APP_ROLE};
        end if;
      end $$;`);
  }

  override down(): void {
    for (const [name] of TRIGGERS) {
      this.addSql(`drop trigger "therapy_session_stats_${name}" on "therapy_session";`);
      this.addSql(`drop function session_stats_${name}();`);
    }
    this.addSql(`drop function rebuild_session_stats(text);`);
    this.addSql(`drop table "session_daily_stats";`);
    this.addSql(`drop table "session_stats_zone";`);
  }
}
