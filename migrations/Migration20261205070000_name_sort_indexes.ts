import { Migration } from '@mikro-orm/migrations';

/**
 * The session list sorted by therapist or patient name: PostgreSQL walks the people in name order (these indexes)
 * and each one's sessions by their (person, starts_at, id) index, sorting one person's sessions at a time
 * (Incremental Sort) instead of every session; a cursor starts the walk at its name.
 */
export class Migration20261205070000_name_sort_indexes extends Migration {
  override name = 'Migration20261205070000_name_sort_indexes';

  override up(): void {
    this.addSql(`create index "therapist_name_id_index" on "therapist" ("name", "id");`);
    this.addSql(`create index "patient_name_id_index" on "patient" ("name", "id");`);
  }

  override down(): void {
    this.addSql(`drop index if exists "patient_name_id_index";`);
    this.addSql(`drop index if exists "therapist_name_id_index";`);
  }
}
