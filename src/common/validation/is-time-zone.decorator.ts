import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { Temporal } from 'temporal-polyfill';

/** The zone's IANA name in its own spelling (`america/new_york` → `America/New_York`), or `undefined`. */
function timeZoneId(value: string): string | undefined {
  // A bare offset (+05:00) is not a place: it would never follow daylight-saving time.
  if (value.length === 0 || /^[+\-\u2212]/.test(value)) return undefined;
  try {
    return Temporal.Now.zonedDateTimeISO(value).timeZoneId;
  } catch {
    return undefined;
  }
}

export function isTimeZone(value: unknown): value is string {
  return typeof value === 'string' && timeZoneId(value) !== undefined;
}

/** A time-zone name, trimmed and spelled as IANA spells it; anything else is left for validation to report. */
export const ToTimeZoneId = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (timeZoneId(value.trim()) ?? value) : value,
  );

/** An IANA time-zone name the runtime knows, e.g. `Europe/Berlin`; not a bare UTC offset. */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTimeZone',
      validator: {
        validate: isTimeZone,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be an IANA time-zone name such as Europe/London`,
      },
    },
    options,
  );
}
