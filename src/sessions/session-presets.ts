import type { Temporal } from 'temporal-polyfill';
import { sessionsUrl, type SessionListState } from './session.view.js';

/** A date range the sessions list offers in one click, in the clinic's calendar. */
interface SessionPreset {
  label: string;
  /** Completes "No sessions …" when the range is empty. */
  emptyText: string;
  from?: string;
  to?: string;
  order: 'asc' | 'desc';
}

export interface SessionPresetView {
  label: string;
  url: string;
  current: boolean;
}

function presetsOf(today: Temporal.PlainDate): SessionPreset[] {
  const day = today.toString();
  return [
    { label: 'Today', emptyText: 'today', from: day, to: day, order: 'asc' },
    {
      label: 'This week',
      emptyText: 'this week',
      from: today.subtract({ days: today.dayOfWeek - 1 }).toString(),
      to: today.add({ days: 7 - today.dayOfWeek }).toString(),
      order: 'asc',
    },
    { label: 'Upcoming', emptyText: 'from today on', from: day, order: 'asc' },
    // Before today, latest first: today's sessions belong to Today and Upcoming.
    { label: 'Past', emptyText: 'before today', to: today.subtract({ days: 1 }).toString(), order: 'desc' },
  ];
}

/**
 * The list as the Sessions link opens it (no parameters at all): upcoming, from today, soonest first. Any
 * parameter, even an emptied `from`, is the user's own choice and is taken as it is; the API keeps its default.
 */
export const openingSessionQuery = (
  raw: Record<string, unknown>,
  today: Temporal.PlainDate,
): Record<string, unknown> => (Object.keys(raw).length > 0 ? raw : { from: today.toString() });

const matches = (preset: SessionPreset, state: SessionListState): boolean =>
  preset.from === state.from && preset.to === state.to;

/** The presets as links that keep the other filters, the current one marked. */
export const sessionPresets = (state: SessionListState, today: Temporal.PlainDate): SessionPresetView[] =>
  presetsOf(today).map((preset) => ({
    label: preset.label,
    url: sessionsUrl(state, {
      from: preset.from,
      to: preset.to,
      sort: 'date',
      order: preset.order,
      page: 1,
      cursor: undefined,
    }),
    current: matches(preset, state),
  }));

/** "No sessions today." when the list shows a preset's range and nothing else narrows it. */
export function presetEmptyText(state: SessionListState, today: Temporal.PlainDate): string | undefined {
  const narrowed = state.q || state.status || state.therapist_id || state.patient_id || state.series_id;
  const preset = narrowed ? undefined : presetsOf(today).find((candidate) => matches(candidate, state));
  return preset && `No sessions ${preset.emptyText}.`;
}
