import { Temporal } from 'temporal-polyfill';

/** How the pages show instants: in a configured IANA time zone and locale (`CLINIC_LOCALE`), with the zone named. */
export class ClinicClock {
  private readonly dateFormat: Intl.DateTimeFormat;
  private readonly timeFormat: Intl.DateTimeFormat;
  private readonly zoneFormat: Intl.DateTimeFormat;
  private readonly dayMonthFormat: Intl.DateTimeFormat;
  private readonly shortDateFormat: Intl.DateTimeFormat;
  private readonly weekdayFormat: Intl.DateTimeFormat;
  private readonly dayFormats = new Map<string, Intl.DateTimeFormat>();

  constructor(
    readonly timeZone: string,
    readonly locale = 'en-GB',
  ) {
    this.dateFormat = new Intl.DateTimeFormat(locale, {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    });
    this.timeFormat = new Intl.DateTimeFormat(locale, {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    this.zoneFormat = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' });
    this.dayMonthFormat = new Intl.DateTimeFormat(locale, {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
    });
    this.shortDateFormat = new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'short' });
    this.weekdayFormat = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long' });
  }

  /** e.g. `Mon, 17 Nov 2025` */
  date(instant: Date): string {
    return this.dateFormat.format(instant);
  }

  /** e.g. `Mon 17 Nov` */
  dayMonth(instant: Date): string {
    return this.dayMonthFormat.format(instant);
  }

  /** e.g. `17 Nov` */
  shortDate(instant: Date): string {
    return this.shortDateFormat.format(instant);
  }

  /** e.g. `Monday` */
  weekday(instant: Date): string {
    return this.weekdayFormat.format(instant);
  }

  /** A calendar date (no instant, so no zone can shift it) in the clinic's words, e.g. `Monday 17 November`. */
  day(date: Temporal.PlainDate, options: Intl.DateTimeFormatOptions): string {
    const key = JSON.stringify(options);
    let format = this.dayFormats.get(key);
    if (!format) {
      format = new Intl.DateTimeFormat(this.locale, { ...options, timeZone: 'UTC' });
      this.dayFormats.set(key, format);
    }
    return format.format(new Date(Date.UTC(date.year, date.month - 1, date.day, 12)));
  }

  /** e.g. `10:00` */
  time(instant: Date): string {
    return this.timeFormat.format(instant);
  }

  /** The zone's abbreviation at that instant, e.g. `CET` in winter and `CEST` in summer. */
  zone(instant: Date): string {
    return (
      this.zoneFormat.formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ??
      this.timeZone
    );
  }

  /** e.g. `Mon, 17 Nov 2025, 10:00 CET` */
  dateTime(instant: Date): string {
    return `${this.date(instant)}, ${this.time(instant)} ${this.zone(instant)}`;
  }

  /** The value of an `<input type="datetime-local">` showing this instant, e.g. `2025-11-17T10:00`. */
  localInput(instant: Date): string {
    return this.zoned(instant).toPlainDateTime().toString({ smallestUnit: 'minute' });
  }

  /** The local calendar date of an instant. */
  localDate(instant: Date): Temporal.PlainDate {
    return this.zoned(instant).toPlainDate();
  }

  zoned(instant: Date): Temporal.ZonedDateTime {
    return Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(this.timeZone);
  }

  /** The instant of a local date and time here; `undefined` when the clocks skip it (spring forward). */
  instantOf(local: Temporal.PlainDateTime): Date | undefined {
    const zoned = local.toZonedDateTime(this.timeZone, { disambiguation: 'compatible' });
    if (!zoned.toPlainDateTime().equals(local)) return undefined;
    return new Date(zoned.epochMilliseconds);
  }

  today(): Temporal.PlainDate {
    return Temporal.Now.plainDateISO(this.timeZone);
  }
}

/** Parses `YYYY-MM-DDTHH:mm` (what `datetime-local` inputs send); `undefined` for anything else. */
export function parseLocalDateTime(value: unknown): Temporal.PlainDateTime | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  try {
    return Temporal.PlainDateTime.from(value, { overflow: 'reject' });
  } catch {
    return undefined;
  }
}
