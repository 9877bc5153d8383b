import { Temporal } from 'temporal-polyfill';
import type { FieldError } from '../common/problems/problem-details.js';
import { personOptions, type Option } from '../sessions/session.view.js';
import type { StatsPeriod, StatsQuery, StatsResponse } from './dto/stats.dto.js';
import { STATS_GROUPINGS } from './dto/stats.dto.js';

/** The drawing area of every chart, in SVG user units; the chart scales to its box (and scrolls when narrow). */
const WIDTH = 720;
const HEIGHT = 240;
const LEFT = 44;
const RIGHT = 8;
const TOP = 12;
const BOTTOM = 28;
const PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;
/** At most this many period labels under a chart; the data table names every period. */
const MAX_LABELS = 13;

/** Status series of the stacked chart, bottom up, with fills that keep 3:1 contrast against white. */
const SERIES = [
  { key: 'completed', label: 'Completed', fill: '#1f6f43' },
  { key: 'scheduled', label: 'Scheduled', fill: '#2f5fa8' },
  { key: 'no_show', label: 'No-show', fill: '#b25400' },
  { key: 'late_cancelled', label: 'Late-cancelled', fill: '#a3264b' },
  { key: 'cancelled', label: 'Cancelled', fill: '#6b6b6b' },
] as const;

interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string;
  /** The tooltip: the period and the figure. */
  title: string;
}

export interface ChartView {
  id: string;
  title: string;
  description: string;
  viewBox: string;
  plotLeft: number;
  plotRight: number;
  grid: { y: number; label: string; labelY: number }[];
  bars: Bar[];
  labels: { x: number; y: number; text: string }[];
  legend: { label: string; fill: string }[];
}

export interface PeriodRow {
  label: string;
  sessions: number;
  completed: number;
  scheduled: number;
  noShow: number;
  cancelled: number;
  lateCancelled: number;
  bookedHours: string;
  workingHours: string;
  utilisation: string;
}

export interface DashboardView {
  title: string;
  nav: { dashboard: true };
  values: { from: string; to: string };
  errors: Record<string, string>;
  errorList: FieldError[];
  groupings: Option[];
  therapistOptions: Option[];
  /** Whether the signed-in user may choose a therapist (a therapist sees only their own figures). */
  choosesTherapist: boolean;
  freshness: string;
  timeZone: string;
  rangeLabel: string;
  periodName: string;
  periodNoun: string;
  report?: {
    statusChart: ChartView;
    utilisationChart: ChartView;
    rows: PeriodRow[];
    totals: PeriodRow;
    therapists: (PeriodRow & { name: string })[];
  };
}

const scheduledOf = (p: Omit<StatsPeriod, 'period'>): number =>
  p.sessions - p.completed - p.no_show - p.cancelled - p.late_cancelled;

const percent = (value: number | null): string => (value === null ? '–' : `${(value * 100).toFixed(1)} %`);
const hours = (minutes: number): string => (minutes / 60).toFixed(1);

function periodLabel(period: string, groupBy: string, long = false): string {
  const day = Temporal.PlainDate.from(period);
  if (groupBy === 'month') {
    return day.toLocaleString('en-GB', long ? { month: 'long', year: 'numeric' } : { month: 'short' });
  }
  return long
    ? `Week of ${day.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' })}`
    : day.toLocaleString('en-GB', { day: 'numeric', month: 'short' });
}

function row(label: string, figures: Omit<StatsPeriod, 'period'>): PeriodRow {
  return {
    label,
    sessions: figures.sessions,
    completed: figures.completed,
    scheduled: scheduledOf(figures),
    noShow: figures.no_show,
    cancelled: figures.cancelled,
    lateCancelled: figures.late_cancelled,
    bookedHours: hours(figures.booked_minutes),
    workingHours: hours(figures.working_minutes),
    utilisation: percent(figures.utilisation),
  };
}

/** A round upper bound for the axis: 1, 2 or 5 times a power of ten, at least `max`. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((step) => step * power).find((bound) => bound >= max) ?? 10 * power;
}

function frame(
  periods: StatsPeriod[],
  groupBy: string,
  max: number,
  format: (value: number) => string,
): Pick<ChartView, 'viewBox' | 'plotLeft' | 'plotRight' | 'grid' | 'labels'> & { slot: number } {
  const slot = (WIDTH - LEFT - RIGHT) / Math.max(periods.length, 1);
  const every = Math.ceil(periods.length / MAX_LABELS);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((share) => {
    const y = TOP + PLOT_HEIGHT * (1 - share);
    return { y, label: format(max * share), labelY: y + 4 };
  });
  const labels = periods.flatMap((period, index) =>
    index % every === 0
      ? [{ x: LEFT + slot * (index + 0.5), y: HEIGHT - 10, text: periodLabel(period.period, groupBy) }]
      : [],
  );
  return { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, plotLeft: LEFT, plotRight: WIDTH - RIGHT, grid, labels, slot };
}

const round = (value: number): number => Math.round(value * 10) / 10;

function statusChart(periods: StatsPeriod[], groupBy: string, subject: string): ChartView {
  const max = niceMax(Math.max(0, ...periods.map((period) => period.sessions)));
  const { slot, ...axes } = frame(periods, groupBy, max, (value) => String(Math.round(value)));
  const bars = periods.flatMap((period, index) => {
    let base = TOP + PLOT_HEIGHT;
    return SERIES.flatMap((series) => {
      const value = series.key === 'scheduled' ? scheduledOf(period) : period[series.key];
      if (value <= 0) return [];
      const height = (value / max) * PLOT_HEIGHT;
      base -= height;
      return [
        {
          x: round(LEFT + slot * index + slot * 0.15),
          y: round(base),
          width: round(slot * 0.7),
          height: round(height),
          fill: series.fill,
          title: `${periodLabel(period.period, groupBy, true)}: ${value} ${series.label.toLowerCase()}`,
        },
      ];
    });
  });
  const total = periods.reduce((sum, period) => sum + period.sessions, 0);
  return {
    id: 'chart-status',
    title: `Sessions by status per ${groupBy}`,
    description: `Stacked bars of ${subject}: ${total} sessions in ${periods.length} ${groupBy}s, the highest ${Math.max(0, ...periods.map((period) => period.sessions))} in one ${groupBy}. The table below gives every figure.`,
    ...axes,
    bars,
    legend: SERIES.map(({ label, fill }) => ({ label, fill })),
  };
}

function utilisationChart(periods: StatsPeriod[], groupBy: string, subject: string): ChartView {
  const highest = Math.max(0, ...periods.map((period) => period.utilisation ?? 0));
  const max = highest <= 1 ? 1 : niceMax(highest);
  const { slot, ...axes } = frame(periods, groupBy, max, (value) => `${Math.round(value * 100)}%`);
  const bars = periods.flatMap((period, index) => {
    if (period.utilisation === null || period.utilisation <= 0) return [];
    const height = (period.utilisation / max) * PLOT_HEIGHT;
    return [
      {
        x: round(LEFT + slot * index + slot * 0.15),
        y: round(TOP + PLOT_HEIGHT - height),
        width: round(slot * 0.7),
        height: round(height),
        fill: '#2f5fa8',
        title: `${periodLabel(period.period, groupBy, true)}: ${percent(period.utilisation)} of working hours booked`,
      },
    ];
  });
  return {
    id: 'chart-utilisation',
    title: `Utilisation of working hours per ${groupBy}`,
    description: `Bars of ${subject}: booked minutes of sessions not cancelled as a share of working-hours minutes, highest ${percent(highest)}. The table below gives every figure.`,
    ...axes,
    bars,
    legend: [{ label: 'Booked share of working hours', fill: '#2f5fa8' }],
  };
}

export interface DashboardInput {
  query: StatsQuery;
  report?: StatsResponse;
  errors: FieldError[];
  therapists: { id: number; name: string }[];
  choosesTherapist: boolean;
  freshness: string;
  timeZone: string;
}

export function toDashboardView(input: DashboardInput): DashboardView {
  const { query, report } = input;
  const groupBy = report?.group_by ?? query.group_by ?? 'month';
  const subject =
    report && query.therapist_id !== undefined && report.therapists[0]
      ? report.therapists[0].name
      : 'all therapists shown';
  return {
    title: 'Dashboard',
    nav: { dashboard: true },
    values: { from: report?.from ?? query.from ?? '', to: report?.to ?? query.to ?? '' },
    errors: Object.fromEntries(input.errors.map((error) => [error.field, error.message])),
    errorList: input.errors,
    groupings: STATS_GROUPINGS.map((grouping) => ({
      value: grouping,
      label: grouping === 'week' ? 'Week' : 'Month',
      selected: grouping === groupBy,
    })),
    therapistOptions: personOptions(input.therapists, query.therapist_id),
    choosesTherapist: input.choosesTherapist,
    freshness: input.freshness,
    timeZone: input.timeZone,
    rangeLabel: report ? `${report.from} to ${report.to}` : '',
    periodName: groupBy === 'week' ? 'Week' : 'Month',
    periodNoun: groupBy,
    ...(report && {
      report: {
        statusChart: statusChart(report.overall.periods, groupBy, subject),
        utilisationChart: utilisationChart(report.overall.periods, groupBy, subject),
        rows: report.overall.periods.map((period) => row(periodLabel(period.period, groupBy, true), period)),
        totals: row('Total', report.overall.totals),
        therapists: report.therapists.map((therapist) => ({
          ...row(therapist.name, therapist.totals),
          name: therapist.name,
        })),
      },
    }),
  };
}
