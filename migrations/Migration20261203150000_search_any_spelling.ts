import { Migration } from '@mikro-orm/migrations';

/**
 * Search that finds people however their names are typed: `search_normalize` lower-cases and strips accents
 * (`unaccent`), and trigram indexes on the normalized name and e-mail (and a patient's phone digits) serve the
 * searches' "contains each word" patterns. The plain-name trigram indexes they replace are dropped.
 */
export class Migration20261203150000_search_any_spelling extends Migration {
  override name = 'Migration20261203150000_search_any_spelling';

  override up(): void {
    this.addSql(`create extension if not exists unaccent;`);
    // Immutable (unaccent itself is only stable, its dictionary could change): the indexes need it so. The
    // dictionary named in full, so that the result depends on no search_path.
    this.addSql(`
      create function search_normalize(text) returns text language sql immutable parallel safe strict as $$
        select lower(public.unaccent('public.unaccent'::regdictionary, $1))
      $$;`);
    for (const table of ['therapist', 'patient']) {
      this.addSql(`drop index if exists "${table}_name_trgm";`);
      this.addSql(`drop index if exists "${table}_email_trgm";`);
      this.addSql(
        `create index "${table}_search_trgm" on "${table}" using gin (search_normalize("name" || ' ' || coalesce("email", '')) gin_trgm_ops);`,
      );
    }
    this.addSql(
      `create index "patient_phone_digits_trgm" on "patient" using gin (regexp_replace("phone", '\\D', '', 'g') gin_trgm_ops);`,
    );
  }

  override down(): void {
    this.addSql(`drop index if exists "patient_phone_digits_trgm";`);
    for (const table of ['therapist', 'patient']) {
      this.addSql(`drop index if exists "${table}_search_trgm";`);
      this.addSql(`create index "${table}_name_trgm" on "${table}" using gin ("name" gin_trgm_ops);`);
      this.addSql(`create index "${table}_email_trgm" on "${table}" using gin ("email" gin_trgm_ops);`);
    }
    this.addSql(`drop function if exists search_normalize(text);`);
  }
}
