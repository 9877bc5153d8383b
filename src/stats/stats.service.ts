import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Temporal } from 'temporal-polyfill';
import { AccessScope } from '../access/access-scope.js';
import { validationProblem } from '../common/problems/problem.exception.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { Clock } from '../common/time/clock.js';
import {
  MAX_STATS_DAYS,
  type StatsFigures,
  type StatsQuery,
  type StatsResponse,
  type TherapistStats,
} from './dto/stats.dto.js';
import { StatsRepository, type StatsGrouping, type StatsRow } from './stats.repository.js';

export const STATS_FRESHNESS =
  'Exact and immediate: the counts change in the same transaction as the sessions they count.';

type Counts = Omit<StatsRow, 'therapistId' | 'therapistName' | 'period'>;

const ZERO: Counts = {
  sessions: 0,
  completed: 0,
  noShow: 0,
  cancelled: 0,
  lateCancelled: 0,
  bookedMinutes: 0,
  workingMinutes: 0,
};

const add = (sum: Counts, row: Counts): Counts => ({
  sessions: sum.sessions + row.sessions,
  completed: sum.completed + row.completed,
  noShow: sum.noShow + row.noShow,
  cancelled: sum.cancelled + row.cancelled,
  lateCancelled: sum.lateCancelled + row.lateCancelled,
  bookedMinutes: sum.bookedMinutes + row.bookedMinutes,
  workingMinutes: sum.workingMinutes + row.workingMinutes,
});

/** The JSON figures (a plain object, so that a period can spread them). */
type Figures = Pick<StatsFigures, keyof StatsFigures>;

const figures = (counts: Counts): Figures => ({
  sessions: counts.sessions,
  completed: counts.completed,
  no_show: counts.noShow,
  cancelled: counts.cancelled,
  late_cancelled: counts.lateCancelled,
  booked_minutes: counts.bookedMinutes,
  working_minutes: counts.workingMinutes,
  utilisation:
    counts.workingMinutes === 0
      ? null
      : Math.round((counts.bookedMinutes / counts.workingMinutes) * 1000) / 1000,
});

/** The stats dashboard's figures: sessions by status and utilisation of working hours, per week or month. */
@Injectable()
export class StatsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(StatsService.name);

  constructor(
    private readonly stats: StatsRepository,
    private readonly scope: AccessScope,
    private readonly clinic: ClinicClock,
    private readonly clock: Clock,
  ) {}

  /** The aggregate counts days of one zone; after the clinic's zone changes, it is recounted once, here. */
  async onApplicationBootstrap(): Promise<void> {
    const zone = await this.stats.zone();
    if (zone === undefined || zone === this.clinic.timeZone) return;
    this.logger.log(
      `Recounting the session stats by days of ${this.clinic.timeZone} (they were by ${zone}).`,
    );
    await this.stats.rebuild(this.clinic.timeZone);
  }

  /** Whether the acting user sees only their own figures (a therapist), so has no therapist to choose. */
  get ownFiguresOnly(): boolean {
    return this.scope.ownTherapistId !== undefined;
  }

  async report(query: StatsQuery): Promise<StatsResponse> {
    const { from, to } = this.range(query);
    const groupBy: StatsGrouping = query.group_by ?? 'month';
    const own = this.scope.ownTherapistId;
    // A therapist asking about another therapist finds nothing, as in the session list.
    const elsewhere = own !== undefined && query.therapist_id !== undefined && query.therapist_id !== own;
    const rows = elsewhere
      ? []
      : await this.stats.figures(from.toString(), to.toString(), groupBy, own ?? query.therapist_id);
    const periods = this.periods(from, to, groupBy);
    const therapists = new Map<number, { name: string; byPeriod: Map<string, Counts> }>();
    for (const row of rows) {
      const entry = therapists.get(row.therapistId) ?? { name: row.therapistName, byPeriod: new Map() };
      entry.byPeriod.set(row.period, row);
      therapists.set(row.therapistId, entry);
    }
    const series: TherapistStats[] = [...therapists].map(([id, { name, byPeriod }]) => {
      const counts = periods.map((period) => byPeriod.get(period) ?? ZERO);
      return {
        therapist_id: id,
        name,
        periods: periods.map((period, index) => ({ period, ...figures(counts[index] ?? ZERO) })),
        totals: figures(counts.reduce(add, ZERO)),
      };
    });
    const overall = periods.map((period) =>
      [...therapists.values()].reduce((sum, { byPeriod }) => add(sum, byPeriod.get(period) ?? ZERO), ZERO),
    );
    return {
      from: from.toString(),
      to: to.toString(),
      group_by: groupBy,
      time_zone: this.clinic.timeZone,
      freshness: STATS_FRESHNESS,
      overall: {
        periods: periods.map((period, index) => ({ period, ...figures(overall[index] ?? ZERO) })),
        totals: figures(overall.reduce(add, ZERO)),
      },
      therapists: series,
    };
  }

  private range(query: StatsQuery): { from: Temporal.PlainDate; to: Temporal.PlainDate } {
    const today = Temporal.Instant.fromEpochMilliseconds(this.clock.now().getTime())
      .toZonedDateTimeISO(this.clinic.timeZone)
      .toPlainDate();
    const to = query.to ? Temporal.PlainDate.from(query.to) : today.with({ day: today.daysInMonth });
    const from = query.from
      ? Temporal.PlainDate.from(query.from)
      : to.with({ day: 1 }).subtract({ months: 11 });
    if (Temporal.PlainDate.compare(from, to) > 0) {
      throw validationProblem([{ field: 'to', message: 'to must not be before from' }]);
    }
    if (from.until(to).days > MAX_STATS_DAYS) {
      throw validationProblem([
        { field: 'to', message: `to must be at most ${MAX_STATS_DAYS} days after from` },
      ]);
    }
    return { from, to };
  }

  /** The first day of each week (from Monday) or month the range touches, as the database truncates them. */
  private periods(from: Temporal.PlainDate, to: Temporal.PlainDate, groupBy: StatsGrouping): string[] {
    const periods: string[] = [];
    let period = groupBy === 'week' ? from.subtract({ days: from.dayOfWeek - 1 }) : from.with({ day: 1 });
    while (Temporal.PlainDate.compare(period, to) <= 0) {
      periods.push(period.toString());
      period = period.add(groupBy === 'week' ? { weeks: 1 } : { months: 1 });
    }
    return periods;
  }
}
