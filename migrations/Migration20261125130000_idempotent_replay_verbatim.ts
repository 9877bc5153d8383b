import { Migration } from '@mikro-orm/migrations';

/** A replayed response must be the first one byte for byte: `json` keeps the text as sent, `jsonb` reorders keys. */
export class Migration20261125130000_idempotent_replay_verbatim extends Migration {
  override name = 'Migration20261125130000_idempotent_replay_verbatim';

  override up(): void {
    this.addSql(`alter table "idempotency_key" alter column "body" type json using "body"::json;`);
  }

  override down(): void {
    this.addSql(`alter table "idempotency_key" alter column "body" type jsonb using "body"::jsonb;`);
  }
}
