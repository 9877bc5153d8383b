import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

export const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const normalised = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalised)) return true;
  if (['false', '0', 'no', 'off'].includes(normalised)) return false;
  return value;
};

export const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/**
 * Reads the variables a class declares (an empty one counts as unset, so its default applies), validates them,
 * and adds each problem to `problems`. Optional variables are declared `= undefined`, so that the class's
 * instances list them.
 */
export function validateEnvironment<T extends object>(
  variables: new () => T,
  env: Record<string, string | undefined>,
  problems: string[],
): T {
  const defined = Object.fromEntries(
    Object.keys(new variables())
      .map((key) => [key, env[key] === '' ? undefined : env[key]] as const)
      .filter(([, value]) => value !== undefined),
  );
  const vars = plainToInstance(variables, defined);
  const errors = validateSync(vars, { forbidUnknownValues: true, stopAtFirstError: true });
  for (const error of errors) {
    problems.push(`${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`);
  }
  return vars;
}
