import type { UnavailableSpan } from '../scheduling/unavailability.js';

/**
 * The sheet's geometry in minutes after the day's first instant (elapsed time, so days when the clocks change
 * stay exact), on a 5-minute grid: every column is cut into segments whose lengths add up to the same total.
 */
export const GRID_MINUTES = 5;

export interface Span {
  start: number;
  end: number;
}

export interface AwaySpan extends Span {
  kind: UnavailableSpan['kind'];
  label: string;
}

export type Piece<Cluster> =
  | { kind: 'free' | 'off'; start: number; end: number }
  | { kind: 'away'; start: number; end: number; label: string; closure: boolean }
  | { kind: 'sessions'; start: number; end: number; items: Cluster[] };

export const snap = (minute: number): number => Math.round(minute / GRID_MINUTES) * GRID_MINUTES;

/** Items that overlap (after snapping) share one segment; they are drawn side by side. */
export function clusters<T extends Span>(items: readonly T[], window: Span): { span: Span; items: T[] }[] {
  const result: { span: Span; items: T[] }[] = [];
  for (const item of [...items].sort((a, b) => a.start - b.start)) {
    const start = Math.max(window.start, snap(item.start));
    const end = Math.min(window.end, Math.max(start + GRID_MINUTES, snap(item.end)));
    const last = result.at(-1);
    if (last && start < last.span.end) {
      last.span.end = Math.max(last.span.end, end);
      last.items.push(item);
    } else result.push({ span: { start, end }, items: [item] });
  }
  return result;
}

/**
 * Cuts [window.start, window.end) into segments: the clusters of sessions, and around them time away (closures
 * before time off), working time (free) or time outside the hours (`work` undefined: no hours set, all free).
 */
export function piecesOf<T extends Span>(
  window: Span,
  sessions: readonly T[],
  work: readonly Span[] | undefined,
  away: readonly AwaySpan[],
): Piece<T>[] {
  const pieces: Piece<T>[] = [];
  let cursor = window.start;
  const fill = (until: number): void => {
    if (until <= cursor) return;
    const cuts = new Set([cursor, until]);
    for (const span of [...(work ?? []), ...away]) {
      for (const edge of [snap(span.start), snap(span.end)])
        if (edge > cursor && edge < until) cuts.add(edge);
    }
    const edges = [...cuts].sort((a, b) => a - b);
    for (let index = 0; index + 1 < edges.length; index++) {
      const start = edges[index] ?? cursor;
      const end = edges[index + 1] ?? until;
      push(pieces, classify(start, end, work, away));
    }
    cursor = until;
  };
  for (const cluster of clusters(sessions, window)) {
    fill(cluster.span.start);
    pieces.push({ kind: 'sessions', ...cluster.span, items: cluster.items });
    cursor = cluster.span.end;
  }
  fill(window.end);
  return pieces;
}

function classify<T>(
  start: number,
  end: number,
  work: readonly Span[] | undefined,
  away: readonly AwaySpan[],
): Piece<T> {
  const middle = (start + end) / 2;
  const within = (span: Span): boolean => span.start <= middle && middle < span.end;
  const blocked = away.filter(within);
  const reason = blocked.find((span) => span.kind === 'closure') ?? blocked[0];
  if (reason) return { kind: 'away', start, end, label: reason.label, closure: reason.kind === 'closure' };
  return { kind: !work || work.some(within) ? 'free' : 'off', start, end };
}

/** Adds a piece, joining it to the last one when both are the same kind of time (and the same absence). */
function push<T>(pieces: Piece<T>[], piece: Piece<T>): void {
  const last = pieces.at(-1);
  const same =
    last &&
    last.kind === piece.kind &&
    last.kind !== 'sessions' &&
    (last.kind !== 'away' || (piece.kind === 'away' && last.label === piece.label));
  if (last && same) last.end = piece.end;
  else pieces.push(piece);
}

/** A length on the sheet as the two classes that size it: whole hours (`h-N`) and 5-minute steps (`f-N`). */
export const sizeClass = (minutes: number): string =>
  `dh-${Math.floor(minutes / 60)} df-${Math.round((minutes % 60) / GRID_MINUTES)}`;
