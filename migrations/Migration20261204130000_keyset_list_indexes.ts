import { Migration } from '@mikro-orm/migrations';

/** The list's old indexes and the composite ones with `id` last that replace them. */
const REPLACED: [string, string[]][] = [
  ['starts_at', ['starts_at', 'id']],
  ['status_starts_at', ['status', 'starts_at', 'id']],
  ['therapist_id_starts_at', ['therapist_id', 'starts_at', 'id']],
  ['patient_id_starts_at', ['patient_id', 'starts_at', 'id']],
  ['series_id_starts_at', ['series_id', 'starts_at', 'id']],
];

const indexName = (columns: string[]): string => `therapy_session_${columns.join('_')}_index`;

/**
 * Keyset (cursor) pagination: each sort of the session list is its key then `id`, and a row comparison
 * `(key, id) > (…)` walks an index in that exact order, without sorting, however deep the page. So every list
 * index ends in `id`; `created_at` gets one of its own for its sort.
 */
export class Migration20261204130000_keyset_list_indexes extends Migration {
  override name = 'Migration20261204130000_keyset_list_indexes';

  override up(): void {
    for (const [old, columns] of REPLACED) {
      this.addSql(`drop index if exists "therapy_session_${old}_index";`);
      this.addSql(
        `create index "${indexName(columns)}" on "therapy_session" (${columns.map((c) => `"${c}"`).join(', ')});`,
      );
    }
    this.addSql(
      `create index "${indexName(['created_at', 'id'])}" on "therapy_session" ("created_at", "id");`,
    );
  }

  override down(): void {
    this.addSql(`drop index if exists "${indexName(['created_at', 'id'])}";`);
    for (const [old, columns] of REPLACED) {
      this.addSql(`drop index if exists "${indexName(columns)}";`);
      const oldColumns = columns.slice(0, -1).map((c) => `"${c}"`);
      this.addSql(
        `create index "therapy_session_${old}_index" on "therapy_session" (${oldColumns.join(', ')});`,
      );
    }
  }
}
