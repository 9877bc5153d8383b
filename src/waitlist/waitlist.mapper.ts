import { pageMeta, type Page } from '../common/pagination/page.js';
import type { WaitlistEntryResponse, WaitlistListResponse } from './dto/waitlist.dto.js';
import type { WaitlistEntry } from './waitlist-entry.entity.js';

/** `HH:MM:SS` as stored → `HH:MM` as entered. */
const hhmm = (time: string | null): string | null => (time === null ? null : time.slice(0, 5));

/** The patient and therapist must be loaded (the repository populates them). */
export const toWaitlistEntryResponse = (entry: WaitlistEntry): WaitlistEntryResponse => ({
  id: entry.id,
  patient_id: entry.patient.id,
  patient_name: entry.patient.getEntity().name,
  therapist_id: entry.therapist?.id ?? null,
  therapist_name: entry.therapist?.getEntity().name ?? null,
  earliest_date: entry.earliestDate,
  latest_date: entry.latestDate,
  weekdays: entry.weekdays,
  time_from: hhmm(entry.timeFrom),
  time_to: hhmm(entry.timeTo),
  notes: entry.notes,
  created_at: entry.createdAt.toISOString(),
  closed_at: entry.closedAt?.toISOString() ?? null,
  closed_reason: entry.closedReason,
  session_id: entry.session?.id ?? null,
});

export const toWaitlistListResponse = (page: Page<WaitlistEntry>): WaitlistListResponse => ({
  data: page.items.map(toWaitlistEntryResponse),
  meta: pageMeta(page),
});
