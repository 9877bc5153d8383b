import { plainToInstance } from 'class-transformer';
import type { ClinicClock } from '../common/time/clinic-time.js';
import { listUrl } from '../common/web/list-url.js';
import type { Crumb } from '../common/web/crumb.js';
import type { DirectoryView } from '../people/person-list.view.js';
import { ListSessionsQuery } from './dto/session.dto.js';
import type { SessionListPage } from './session.repository.js';
import { toSessionRowView } from './session.view.js';
import type { SessionReadsService } from './session-reads.service.js';

/** How many sessions a therapist's or patient's page shows of each kind. */
export const PERSON_SESSIONS_SHOWN = 10;

/** One session as a person's page lists it: when, with whom (the other person), how long, its status. */
export interface PersonSessionRowView {
  url: string;
  date: string;
  time: string;
  zone: string;
  other: { name: string; url: string };
  durationMinutes: number;
  status: string;
  statusClass: string;
}

export interface PersonSessionListView {
  rows: PersonSessionRowView[];
  total: number;
  /** e.g. "The next 10 of 23"; empty when every session is shown. */
  summary: string;
  /** The same sessions in the full sessions list, filtered by this person and the date. */
  allUrl: string;
}

export interface PersonSessionsView {
  upcoming: PersonSessionListView;
  past: PersonSessionListView;
}

export interface SessionsOf {
  role: 'therapist' | 'patient';
  id: number;
}

/**
 * A person's upcoming sessions (from now, soonest first) and past ones (latest first), ten of each, read through
 * the sessions list itself so they follow exactly the API's rules.
 */
export async function personSessionsView(
  sessions: SessionReadsService,
  clock: ClinicClock,
  person: SessionsOf,
  now: Date = new Date(),
): Promise<PersonSessionsView> {
  const filter = person.role === 'therapist' ? { therapist_id: person.id } : { patient_id: person.id };
  const query = (plain: Record<string, unknown>): ListSessionsQuery =>
    plainToInstance(ListSessionsQuery, {
      ...filter,
      sort: 'date',
      page: 1,
      page_size: PERSON_SESSIONS_SHOWN,
      ...plain,
    });
  const [upcoming, past] = await Promise.all([
    sessions.list(query({ from: now.toISOString(), order: 'asc' })),
    sessions.list(query({ to: now.toISOString(), order: 'desc' })),
  ]);
  // The full list filters by calendar date, which its date fields can show: from today on, or up to today.
  const today = clock.today().toString();
  const returnTo = `/${person.role}s/${person.id}`;
  const toList = (page: SessionListPage, word: string, url: string): PersonSessionListView => ({
    rows: page.items.map((session) => {
      const row = toSessionRowView(session, { clock, transitionsOf: () => [] }, returnTo);
      return {
        url: row.url,
        date: row.date,
        time: row.time,
        zone: row.zone,
        other: person.role === 'therapist' ? row.patient : row.therapist,
        durationMinutes: row.durationMinutes,
        status: row.status,
        statusClass: row.statusClass,
      };
    }),
    total: page.total,
    summary: page.total > page.items.length ? `The ${word} ${page.items.length} of ${page.total}` : '',
    allUrl: url,
  });
  return {
    upcoming: toList(upcoming, 'next', listUrl('/sessions', { ...filter, from: today })),
    past: toList(past, 'latest', listUrl('/sessions', { ...filter, to: today, order: 'desc' })),
  };
}

/** A person's sessions: the fragment their page loads, or a page of its own without JavaScript. */
export interface PersonSessionsPageView {
  title: string;
  nav: Record<string, boolean>;
  breadcrumbs: Crumb[];
  /** What the other person of each session is, e.g. `Patient` on a therapist's sessions. */
  otherLabel: string;
  sessions: PersonSessionsView;
}

export const toPersonSessionsPageView = (
  directory: DirectoryView,
  person: { id: number; name: string },
  role: SessionsOf['role'],
  sessions: PersonSessionsView,
): PersonSessionsPageView => ({
  title: `Sessions of ${person.name}`,
  nav: { [directory.plural]: true },
  breadcrumbs: [
    { label: directory.title, url: directory.path },
    { label: person.name, url: `${directory.path}/${person.id}` },
    { label: 'Sessions' },
  ],
  otherLabel: role === 'therapist' ? 'Patient' : 'Therapist',
  sessions,
});
