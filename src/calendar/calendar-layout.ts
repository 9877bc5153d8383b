import type { Temporal } from 'temporal-polyfill';
import type { ClinicClock } from '../common/time/clinic-time.js';
import { listUrl } from '../common/web/list-url.js';
import type { SessionWithPeople } from '../sessions/session.repository.js';
import { statusClass } from '../sessions/session.view.js';

/** The hours the week grid shows; sessions outside them are pinned to its edge and say so. */
export const FIRST_HOUR = 7;
export const LAST_HOUR = 21;
export const SLOT_MINUTES = 15;
const ROWS = ((LAST_HOUR - FIRST_HOUR) * 60) / SLOT_MINUTES;
/**
 * Most lanes side by side in a day: four stay at least 24 px wide (WCAG 2.2 target size) in a day column at
 * 375 px. The sessions beyond the last lane are counted in a "+N" link to that day's sheet, which shows them all.
 */
export const MAX_LANES = 4;
/** Two rows: a block is never shorter than the 24 px a target needs, whatever the session's length. */
const MIN_BLOCK_MINUTES = 2 * SLOT_MINUTES;

interface Placed {
  day: number;
  rowStart: number;
  rowSpan: number;
  lane: number;
  lanes: number;
}

export interface CalendarBlock extends Placed {
  url: string;
  /** Everything the block says, for its title (hover) and accessible name. */
  label: string;
  time: string;
  start: string;
  title: string;
  /** The patient's initials, shown when the lane is too narrow for the name. */
  titleShort: string;
  /** The therapist, in everyone's week. */
  subtitle: string;
  subtitleShort: string;
  statusClass: string;
  outsideHours: boolean;
}

/** Sessions that did not fit beside the others: a link to the day sheet, where each has its place. */
export interface CalendarMore extends Placed {
  url: string;
  count: number;
  label: string;
}

/** Row of the grid (1 is the day header) where a local time of day begins. */
export const rowOf = (minutesIntoDay: number): number =>
  2 + Math.floor((minutesIntoDay - FIRST_HOUR * 60) / SLOT_MINUTES);

/** "Jordan Lee" → "JL", "Dr. Maya Chen" → "MC": the first and last word that is not a title. */
export function initials(name: string): string {
  const words = name
    .split(/\s+/)
    .filter((word) => word && !word.endsWith('.') && !/^(Dr|Mr|Mrs|Ms|Mx)$/.test(word));
  const chosen = words.length > 1 ? [words[0], words.at(-1)] : words;
  return chosen.map((word) => (word ?? '').charAt(0).toUpperCase()).join('') || name.charAt(0);
}

interface Interval {
  session: SessionWithPeople;
  day: number;
  start: number;
  end: number;
  lane: number;
}

/**
 * Places each session in its day column and time rows; sessions that overlap in one day share the column in
 * side-by-side lanes (a cluster of overlapping sessions gets as many lanes as it needs at most at once, up to
 * MAX_LANES; those beyond go into a "+N" link per overlapping run).
 */
export function layOut(
  sessions: SessionWithPeople[],
  monday: Temporal.PlainDate,
  clock: ClinicClock,
  showTherapist: boolean,
): { blocks: CalendarBlock[]; more: CalendarMore[] } {
  const blocks: CalendarBlock[] = [];
  const more: CalendarMore[] = [];
  let cluster: Interval[] = [];
  const closeCluster = (): void => {
    const needed = Math.max(1, ...cluster.map(({ lane }) => lane + 1));
    const lanes = Math.min(MAX_LANES, needed);
    // Too many at once: the last lane holds the "+N" link instead of a session.
    const fits = (interval: Interval): boolean => needed <= MAX_LANES || interval.lane < MAX_LANES - 1;
    for (const interval of cluster.filter(fits))
      blocks.push(toBlock(interval, lanes, monday, clock, showTherapist));
    more.push(
      ...overflow(
        cluster.filter((interval) => !fits(interval)),
        lanes,
        monday,
        clock,
      ),
    );
    cluster = [];
  };
  let currentDay = 0;
  for (const session of sessions) {
    const start = clock.zoned(session.startsAt);
    const day = start.toPlainDate().since(monday).days + 1;
    const startMinutes = start.hour * 60 + start.minute;
    const end = startMinutes + Math.max(session.durationMinutes, MIN_BLOCK_MINUTES);
    if (day !== currentDay || cluster.every((other) => other.end <= startMinutes)) closeCluster();
    currentDay = day;
    const busy = new Set(cluster.filter((other) => other.end > startMinutes).map(({ lane }) => lane));
    let lane = 0;
    while (busy.has(lane)) lane++;
    cluster.push({ session, day, start: startMinutes, end, lane });
  }
  closeCluster();
  return { blocks, more };
}

function rows(start: number, end: number): { rowStart: number; rowSpan: number } {
  const rowStart = Math.min(ROWS + 1, Math.max(2, rowOf(start)));
  const rowEnd = Math.min(ROWS + 2, Math.max(rowStart + 2, rowOf(end + SLOT_MINUTES - 1)));
  return { rowStart, rowSpan: Math.min(16, rowEnd - rowStart) };
}

function toBlock(
  { session, day, start, lane }: Interval,
  lanes: number,
  monday: Temporal.PlainDate,
  clock: ClinicClock,
  showTherapist: boolean,
): CalendarBlock {
  const therapist = session.therapist.$.name;
  const patient = session.patient.$.name;
  const time = `${clock.time(session.startsAt)}–${clock.time(session.endsAt)}`;
  const end = start + session.durationMinutes;
  const outsideHours = start < FIRST_HOUR * 60 || end > LAST_HOUR * 60;
  const weekday = clock.day(monday.add({ days: day - 1 }), { weekday: 'long' });
  return {
    url: `/sessions/${session.id}`,
    day,
    ...rows(start, end),
    lane,
    lanes,
    label: `${weekday} ${time}${outsideHours ? ' (outside the grid)' : ''}: ${patient} with ${therapist}, ${session.status}`,
    time,
    start: clock.time(session.startsAt),
    title: patient,
    titleShort: initials(patient),
    subtitle: showTherapist ? therapist : '',
    subtitleShort: showTherapist ? initials(therapist) : '',
    statusClass: statusClass(session.status),
    outsideHours,
  };
}

/** One "+N" link per run of hidden sessions that overlap each other, in the last lane. */
function overflow(
  hidden: Interval[],
  lanes: number,
  monday: Temporal.PlainDate,
  clock: ClinicClock,
): CalendarMore[] {
  const runs: Interval[][] = [];
  for (const interval of hidden) {
    const run = runs.at(-1);
    if (run && run.some((other) => other.end > interval.start)) run.push(interval);
    else runs.push([interval]);
  }
  return runs.map((run) => {
    const first = run[0] as Interval;
    const date = monday.add({ days: first.day - 1 });
    const from = clock.time(first.session.startsAt);
    const count = run.length;
    return {
      url: listUrl('/day', { date: date.toString() }),
      day: first.day,
      ...rows(Math.min(...run.map(({ start }) => start)), Math.max(...run.map(({ end }) => end))),
      lane: lanes - 1,
      lanes,
      count,
      label: `${count} more ${count === 1 ? 'session' : 'sessions'} from ${from} on ${clock.day(date, { weekday: 'long', day: 'numeric', month: 'long' })}: open the day sheet`,
    };
  });
}
