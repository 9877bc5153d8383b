import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/** The BCP 47 tag in its canonical spelling (`en-gb` → `en-GB`) when this runtime can format dates in it. */
function localeId(value: string): string | undefined {
  try {
    const [canonical] = Intl.getCanonicalLocales(value);
    return canonical && Intl.DateTimeFormat.supportedLocalesOf(canonical).length === 1
      ? canonical
      : undefined;
  } catch {
    return undefined;
  }
}

export const isLocale = (value: unknown): value is string =>
  typeof value === 'string' && localeId(value) !== undefined;

/** A locale tag, trimmed and canonical; anything else is left for validation to report. */
export const ToLocaleId = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (localeId(value.trim()) ?? value) : value,
  );

/** A BCP 47 language tag the runtime formats dates in, e.g. `en-GB` or `de-CH`. */
export function IsLocale(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLocale',
      validator: {
        validate: isLocale,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a language tag such as en-GB or de-DE`,
      },
    },
    options,
  );
}
