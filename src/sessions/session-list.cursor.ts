/** Keyset cursors of the session list: a row's sort key and id, opaque to clients (base64url JSON). */
import {
  SORT_KEYS,
  TIMESTAMP_KEYS,
  type ListCursor,
  type ListSort,
  type SessionListRow,
} from './session-list.sql.js';

/** The sort key and id of a row, as a cursor carries them. */
export function keyOf(row: SessionListRow, sort: ListSort): (string | number)[] {
  const leading: Record<ListSort, (string | number)[]> = {
    date: [row.starts_at],
    status: [row.status, row.starts_at],
    therapist: [row.therapist_name, row.starts_at],
    patient: [row.patient_name, row.starts_at],
    created_at: [row.created_key],
  };
  return [...leading[sort], row.id];
}

/** Opaque to clients: base64url of the direction and key. */
export const encodeCursor = (cursor: ListCursor): string =>
  Buffer.from(JSON.stringify([cursor.direction === 'prev' ? 'p' : 'n', ...cursor.key])).toString('base64url');

/** The cursor, or undefined when the text is not one this sort made (the caller answers 400). */
export function decodeCursor(text: string, sort: ListSort): ListCursor | undefined {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(decoded) || decoded.length !== SORT_KEYS[sort].length + 2) return undefined;
  const [direction, ...key] = decoded as unknown[];
  if (direction !== 'n' && direction !== 'p') return undefined;
  const keys = [...SORT_KEYS[sort], 's.id'];
  const valid = key.every((value, index) => {
    const column = keys[index] ?? '';
    if (column === 's.id') return Number.isSafeInteger(value) && (value as number) > 0;
    if (typeof value !== 'string') return false;
    return !TIMESTAMP_KEYS.has(column) || !Number.isNaN(Date.parse(value));
  });
  return valid
    ? { direction: direction === 'p' ? 'prev' : 'next', key: key as (string | number)[] }
    : undefined;
}

/**
 * The page's rows in list order and its neighbours' cursors, from the rows `sessionRowsQuery` returned when asked
 * for one more than `pageSize` (that extra row says whether there is more in the direction read).
 */
export function pageOfRows(
  fetched: SessionListRow[],
  criteria: { sort: ListSort; pageSize: number; cursor?: ListCursor; offset?: number },
): { rows: SessionListRow[]; next?: string; prev?: string } {
  const more = fetched.length > criteria.pageSize;
  const backwards = criteria.cursor?.direction === 'prev';
  const taken = fetched.slice(0, criteria.pageSize);
  const rows = backwards ? taken.reverse() : taken;
  const first = rows[0];
  const last = rows.at(-1);
  const hasNext = backwards ? rows.length > 0 : more;
  const hasPrev = backwards ? more : Boolean(criteria.cursor) || (criteria.offset ?? 0) > 0;
  return {
    rows,
    next: hasNext && last ? encodeCursor({ direction: 'next', key: keyOf(last, criteria.sort) }) : undefined,
    prev:
      hasPrev && first ? encodeCursor({ direction: 'prev', key: keyOf(first, criteria.sort) }) : undefined,
  };
}
