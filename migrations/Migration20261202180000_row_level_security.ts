import { Migration } from '@mikro-orm/migrations';

/** The role a therapist's requests run as (`SET LOCAL ROLE`), so PostgreSQL itself limits them to their rows. */
const APP_ROLE = 'therapy_app';

/**
 * Defence in depth for therapists: row-level security on sessions, patients and session history, in force for
 * the role `therapy_app`, which the app switches to inside each therapist's request (with `app.therapist_id`
 * set for that transaction). Neither a superuser nor the tables' owner is subject to RLS, which is why the switch
 * is to a role that is neither. Creating that role needs CREATEROLE (or a superuser); without it the migration
 * leaves the role for an operator to create (see the README) and the app says so at start-up.
 *
 * Also: each history entry records the user who made the change (`actor_id`), instead of the free text that
 * was always null until accounts existed.
 */
export class Migration20261202180000_row_level_security extends Migration {
  override name = 'Migration20261202180000_row_level_security';

  override up(): void {
    this.addSql(`alter table "session_event" drop column "actor";`);
    this.addSql(`
      alter table "session_event" add column "actor_id" int null
        constraint "session_event_actor_id_foreign" references "staff_user" ("id") on delete restrict;`);
    this.addSql(`
      do $$
      begin
        if not exists (select from pg_roles where rolname = '${APP_ROLE}')
           and (select rolsuper or rolcreaterole from pg_roles where rolname = current_user) then
          begin
            create role ${APP_ROLE} nologin;
          exception when duplicate_object or unique_violation then
            null; -- another database on this server created it at the same moment
          end;
        end if;
        if exists (select from pg_roles where rolname = '${APP_ROLE}') then
          grant usage on schema public to ${APP_ROLE};
          grant select, insert, update, delete on all tables in schema public to ${APP_ROLE};
          grant usage, select on all sequences in schema public to ${APP_ROLE};
          alter default privileges in schema public grant select, insert, update, delete on tables to ${APP_ROLE};
          alter default privileges in schema public grant usage, select on sequences to ${APP_ROLE};
          if not pg_has_role(current_user, '${APP_ROLE}', 'member') then
            begin
              grant ${APP_ROLE} to current_user;
            exception when insufficient_privilege then
              -- PostgreSQL 16+: CREATEROLE alone may not grant a role someone else made; the README says what to run.
              raise notice 'could not join role ${APP_ROLE}: row-level security stays off until an operator grants it';
            end;
          end if;
        end if;
      end $$;`);
    this.addSql(`
      create function app_therapist_id() returns int language sql stable as $$
        select nullif(current_setting('app.therapist_id', true), '')::int
      $$;`);
    const therapistOwns = (sessionAlias: string): string =>
      `exists (select from "therapy_session" s where ${sessionAlias} and s."therapist_id" = app_therapist_id())`;
    const policies: Record<string, string> = {
      therapy_session: `"therapist_id" = app_therapist_id()`,
      patient: therapistOwns(`s."patient_id" = "patient"."id"`),
      session_event: therapistOwns(`s."id" = "session_event"."session_id"`),
    };
    for (const [table, scope] of Object.entries(policies)) {
      this.addSql(`alter table "${table}" enable row level security;`);
      // Every other role that is subject to RLS (a non-owner login role an operator may use) sees everything.
      this.addSql(
        `create policy "${table}_staff" on "${table}" using (current_user <> '${APP_ROLE}') with check (current_user <> '${APP_ROLE}');`,
      );
      this.addSql(
        `create policy "${table}_therapist" on "${table}" to ${APP_ROLE} using (${scope}) with check (${scope});`,
      );
    }
  }

  override down(): void {
    for (const table of ['therapy_session', 'patient', 'session_event']) {
      this.addSql(`drop policy if exists "${table}_therapist" on "${table}";`);
      this.addSql(`drop policy if exists "${table}_staff" on "${table}";`);
      this.addSql(`alter table "${table}" disable row level security;`);
    }
    this.addSql(`drop function if exists app_therapist_id();`);
    this.addSql(`alter table "session_event" drop column "actor_id";`);
    this.addSql(`alter table "session_event" add column "actor" text null;`);
  }
}
