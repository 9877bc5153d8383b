import { raw } from '@mikro-orm/postgresql';

/** More words than this add nothing a person types to find someone; they only lengthen the query. */
const MAX_WORDS = 6;

/** The words of a search, each of which must be found, in any order ("maria g", "Boyer Dedric"). */
export const searchWords = (q: string): string[] => q.trim().split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);

/**
 * The text a person is found by, as the trigram indexes hold it (the same expression, or they go unused):
 * name and e-mail, lower-cased and without accents. `alias` is the person's table in the query.
 */
export const personSearchText = (alias: string): string =>
  `search_normalize(${alias}.name || ' ' || coalesce(${alias}.email, ''))`;

/**
 * A filter on `expression(alias)` containing `word`, both normalized by PostgreSQL alike (so "gonzalez" finds
 * "González", "ł" finds "l"); a fresh fragment per use, as MikroORM requires of keys.
 */
export const containsWord = (
  expression: (alias: string) => string,
  word: string,
): Record<string, unknown> => ({
  [raw((alias) => expression(alias))]: {
    $like: raw(`'%' || search_normalize(?) || '%'`, [escapeLike(word)]),
  },
});

/** A phone number's digits when `q` is one ("020 7946-0000", "+44 20 79460000"): at least four of them. */
export function phoneDigits(q: string): string | undefined {
  if (!/^[\d\s()+\-./]+$/.test(q)) return undefined;
  const digits = q.replace(/\D/g, '');
  return digits.length >= 4 ? digits : undefined;
}

/** A filter on a phone column's digits containing `digits`, as `patient_phone_digits_trgm` holds them. */
export const phoneContains = (digits: string): Record<string, unknown> => ({
  [raw((alias) => `regexp_replace(${alias}.phone, '\\D', '', 'g')`)]: { $like: `%${digits}%` },
});

/** LIKE's wildcards (and its escape character) in the user's text, taken literally. */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (character) => `\\${character}`);
