import { Migration } from '@mikro-orm/migrations';

const APP_ROLE = 'therapy_app';

/** Tables whose every change leaves a trace: record type, the column naming the patient concerned, and the
 * columns whose change alone is bookkeeping rather than a change of the record. */
const AUDITED: { table: string; recordType: string; patientColumn: string; ignored: string[] }[] = [
  { table: 'patient', recordType: 'patient', patientColumn: 'id', ignored: [] },
  { table: 'therapist', recordType: 'therapist', patientColumn: '', ignored: [] },
  { table: 'therapy_session', recordType: 'session', patientColumn: 'patient_id', ignored: ['ends_at'] },
  { table: 'working_hours', recordType: 'working_hours', patientColumn: '', ignored: [] },
  {
    table: 'staff_user',
    recordType: 'user',
    patientColumn: '',
    ignored: ['last_signed_in_at', 'mfa_last_used_step'],
  },
  { table: 'api_token', recordType: 'token', patientColumn: '', ignored: ['last_used_at'] },
];

/**
 * The audit trail: an append-only `audit_event` table. The app records reads and sign-ins itself; every change
 * of a record is recorded here, by PostgreSQL, from statement-level triggers, so no code path (nor a change made
 * with psql) can forget it. The acting user, token and client come from transaction-local settings that the app
 * sets at the start of each transaction (`app.user_id`, `app.token_id`, `app.ip`, `app.user_agent`,
 * `app.request_id`); a change without them was made outside the app and says so (no actor).
 *
 * Nobody edits the trail: a trigger refuses UPDATE, DELETE and TRUNCATE, even for a superuser or the owner, and
 * neither the owner nor the therapists' role holds those privileges. Only field names are kept, never values
 * (a session's status is not clinical, and its change is shown from → to).
 */
export class Migration20261203130000_audit_trail extends Migration {
  override name = 'Migration20261203130000_audit_trail';

  override up(): void {
    this.addSql(`
      create table "audit_event" (
        "id" bigint generated always as identity primary key,
        "occurred_at" timestamptz not null default clock_timestamp(),
        "actor_user_id" int null,
        "actor_token_id" int null,
        "action" text not null,
        "record_type" text null,
        "record_id" bigint null,
        "patient_id" int null,
        "outcome" text not null constraint "audit_event_outcome_check" check ("outcome" in ('success', 'failure', 'denied')),
        "detail" jsonb not null default '{}',
        "ip" inet null,
        "user_agent" text null,
        "request_id" text null
      );`);
    // Newest first, by any one filter, with keyset pagination on (occurred_at, id): each an index range scan.
    this.addSql(
      `create index "audit_event_occurred_index" on "audit_event" ("occurred_at" desc, "id" desc);`,
    );
    for (const column of ['actor_user_id', 'patient_id', 'action']) {
      this.addSql(
        `create index "audit_event_${column}_index" on "audit_event" ("${column}", "occurred_at" desc, "id" desc) where "${column}" is not null;`,
      );
    }
    this.addSql(`
      create function audit_event_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_event is append-only: % is refused', tg_op using errcode = 'insufficient_privilege';
      end $$;`);
    this.addSql(`
      create trigger "audit_event_append_only" before update or delete on "audit_event"
        for each row execute function audit_event_refuse_change();`);
    this.addSql(`
      create trigger "audit_event_no_truncate" before truncate on "audit_event"
        for each statement execute function audit_event_refuse_change();`);
    this.addSql(
      `revoke update, delete, truncate, references, trigger on "audit_event" from public, current_user;`,
    );
    this.addSql(`
      do $$
      begin
        if exists (select from pg_roles where rolname = '${APP_ROLE}') then
          revoke all on "audit_event" from ${APP_ROLE};
        end if;
      end $$;`);

    // One function for every audited table: `changes` holds each row's old and new image (either may be null).
    this.addSql(`
      create function audit_record_changes(record_type text, patient_column text, ignored text[], changes jsonb)
      returns void language sql security definer set search_path = public, pg_temp as $$
        insert into audit_event (actor_user_id, actor_token_id, action, record_type, record_id, patient_id,
                                 outcome, detail, ip, user_agent, request_id)
        select nullif(current_setting('app.user_id', true), '')::int,
               nullif(current_setting('app.token_id', true), '')::int,
               record_type || '.' || case
                 when c.old is null then 'create'
                 when c.new is null then 'delete'
                 when record_type = 'session' and 'status' = any (c.fields)
                      and c.new ->> 'status' in ('Cancelled', 'Late-Cancelled') then 'cancel'
                 when 'status' = any (c.fields) then 'status_change'
                 when record_type = 'token' and 'revoked_at' = any (c.fields)
                      and c.new ->> 'revoked_at' is not null then 'revoke'
                 else 'update' end,
               record_type,
               (coalesce(c.new, c.old) ->> 'id')::bigint,
               case when patient_column <> '' then (coalesce(c.new, c.old) ->> patient_column)::int end,
               'success',
               jsonb_strip_nulls(jsonb_build_object(
                 'fields', case when c.old is not null and c.new is not null then to_jsonb(c.fields) end,
                 'from', case when 'status' = any (c.fields) then c.old -> 'status' end,
                 'to', case when 'status' = any (c.fields) then c.new -> 'status' end,
                 'source', case when nullif(current_setting('app.request_id', true), '') is null then 'database' end)),
               nullif(current_setting('app.ip', true), '')::inet,
               nullif(current_setting('app.user_agent', true), ''),
               nullif(current_setting('app.request_id', true), '')
        from (
          select e -> 'old' as old, e -> 'new' as new,
                 array(select f.key from jsonb_each(e -> 'new') f
                       where f.key <> all (ignored || array['version', 'updated_at'])
                         and f.value is distinct from (e -> 'old' -> f.key)
                       order by f.key) as fields
          from jsonb_array_elements(changes) e
        ) c
        where c.old is null or c.new is null or cardinality(c.fields) > 0
      $$;`);
    this.addSql(`
      create function audit_inserted() returns trigger language plpgsql as $$
      begin
        perform audit_record_changes(tg_argv[0], tg_argv[1], tg_argv[2:],
          (select coalesce(jsonb_agg(jsonb_build_object('new', to_jsonb(n))), '[]') from new_rows n));
        return null;
      end $$;`);
    this.addSql(`
      create function audit_updated() returns trigger language plpgsql as $$
      begin
        perform audit_record_changes(tg_argv[0], tg_argv[1], tg_argv[2:],
          (select coalesce(jsonb_agg(jsonb_build_object('old', to_jsonb(o), 'new', to_jsonb(n))), '[]')
             from old_rows o join new_rows n on to_jsonb(n) -> 'id' = to_jsonb(o) -> 'id'));
        return null;
      end $$;`);
    this.addSql(`
      create function audit_deleted() returns trigger language plpgsql as $$
      begin
        perform audit_record_changes(tg_argv[0], tg_argv[1], tg_argv[2:],
          (select coalesce(jsonb_agg(jsonb_build_object('old', to_jsonb(o))), '[]') from old_rows o));
        return null;
      end $$;`);
    for (const { table, recordType, patientColumn, ignored } of AUDITED) {
      const args = [recordType, patientColumn, ...ignored].map((arg) => `'${arg}'`).join(', ');
      const on = { inserted: 'insert', updated: 'update', deleted: 'delete' } as const;
      for (const [suffix, event] of Object.entries(on)) {
        const transition =
          event === 'insert'
            ? 'new table as new_rows'
            : event === 'delete'
              ? 'old table as old_rows'
              : 'old table as old_rows new table as new_rows';
        this.addSql(
          `create trigger "${table}_audit_${suffix}" after ${event} on "${table}" referencing ${transition} for each statement execute function audit_${suffix}(${args});`,
        );
      }
    }
  }

  override down(): void {
    for (const { table } of AUDITED) {
      for (const suffix of ['inserted', 'updated', 'deleted']) {
        this.addSql(`drop trigger if exists "${table}_audit_${suffix}" on "${table}";`);
      }
    }
    this.addSql(`drop function if exists audit_inserted(), audit_updated(), audit_deleted();`);
    this.addSql(`drop function if exists audit_record_changes(text, text, text[], jsonb);`);
    this.addSql(`drop table if exists "audit_event";`);
    this.addSql(`drop function if exists audit_event_refuse_change();`);
  }
}
