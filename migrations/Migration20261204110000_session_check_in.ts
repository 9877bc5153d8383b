import { Migration } from '@mikro-orm/migrations';

const EVENT_TYPES_BEFORE = `'created', 'status_changed', 'rescheduled', 'notes_changed'`;
const EVENT_TYPES = `${EVENT_TYPES_BEFORE}, 'checked_in', 'check_in_undone'`;

/**
 * Check-in at the front desk: when the patient arrived (`checked_in_at`, null until then), and the two history
 * events that record it and its undoing. Not a status: a checked-in session is still Scheduled until it ends.
 */
export class Migration20261204110000_session_check_in extends Migration {
  override name = 'Migration20261204110000_session_check_in';

  override up(): void {
    this.addSql(`alter table "therapy_session" add column "checked_in_at" timestamptz null;`);
    this.addSql(`alter table "session_event" drop constraint "session_event_type_check";`);
    this.addSql(
      `alter table "session_event" add constraint "session_event_type_check" check ("type" in (${EVENT_TYPES}));`,
    );
  }

  override down(): void {
    this.addSql(`delete from "session_event" where "type" in ('checked_in', 'check_in_undone');`);
    this.addSql(`alter table "session_event" drop constraint "session_event_type_check";`);
    this.addSql(
      `alter table "session_event" add constraint "session_event_type_check" check ("type" in (${EVENT_TYPES_BEFORE}));`,
    );
    this.addSql(`alter table "therapy_session" drop column "checked_in_at";`);
  }
}
