import { Migration } from '@mikro-orm/migrations';

/**
 * The waitlist's weekdays check as one flat conjunction: written with BETWEEN, PostgreSQL stored it as
 * `((a AND b) AND c)`, which a dump restores as `(a AND b AND c)`, so a restored database no longer compared equal
 * to its source (test/e2e/backup.e2e.ts). Same rule, same name.
 */
export class Migration20261205080000_waitlist_weekdays_check extends Migration {
  override name = 'Migration20261205080000_waitlist_weekdays_check';

  override up(): void {
    this.addSql(`alter table "waitlist_entry" drop constraint "waitlist_entry_weekdays_valid";`);
    this.addSql(
      `alter table "waitlist_entry" add constraint "waitlist_entry_weekdays_valid" check (cardinality("weekdays") >= 1 and cardinality("weekdays") <= 7 and "weekdays" <@ array[1, 2, 3, 4, 5, 6, 7]::smallint[]);`,
    );
  }

  override down(): void {
    this.addSql(`alter table "waitlist_entry" drop constraint "waitlist_entry_weekdays_valid";`);
    this.addSql(
      `alter table "waitlist_entry" add constraint "waitlist_entry_weekdays_valid" check (cardinality("weekdays") between 1 and 7 and "weekdays" <@ array[1, 2, 3, 4, 5, 6, 7]::smallint[]);`,
    );
  }
}
