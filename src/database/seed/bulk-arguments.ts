import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { StartupError } from '../../common/startup-error.js';
import type { BulkSeedOptions } from './bulk-data.js';
import type { BulkSeedSummary } from './bulk-seed.js';

const LIMITS = { therapists: 100_000, patients: 10_000_000, sessions: 100_000_000, streams: 16 } as const;

/** `--therapists N --patients N --sessions N [--streams N]`: all three or none (none: the small demo seed). */
export function bulkSeedArguments(args: string[], timeZone: string): BulkSeedOptions | undefined {
  const { values } = parseArgs({
    args,
    options: {
      therapists: { type: 'string' },
      patients: { type: 'string' },
      sessions: { type: 'string' },
      streams: { type: 'string' },
      force: { type: 'boolean' },
      file: { type: 'string' },
    },
    strict: true,
  });
  const given = [values.therapists, values.patients, values.sessions].filter((value) => value !== undefined);
  if (given.length === 0) return undefined;
  if (given.length < 3) throw new StartupError('Give --therapists, --patients and --sessions together.');
  const count = (name: keyof typeof LIMITS, value: string | undefined, fallback: number): number => {
    const parsed = value === undefined ? fallback : Number(value);
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > LIMITS[name]) {
      throw new StartupError(`--${name} must be a whole number from 1 to ${LIMITS[name]}.`);
    }
    return parsed;
  };
  return {
    therapists: count('therapists', values.therapists, 0),
    patients: count('patients', values.patients, 0),
    sessions: count('sessions', values.sessions, 0),
    streams: count('streams', values.streams, Math.min(availableParallelism(), 4)),
    timeZone,
  };
}

export function printBulkSeedSummary(
  summary: BulkSeedSummary,
  elapsedMs: number,
  log: (line: string) => void,
): void {
  log(
    `Seeded ${summary.therapists} therapists, ${summary.patients} patients, ${summary.sessions} sessions ` +
      `in ${(elapsedMs / 1000).toFixed(1)} s.`,
  );
  for (const [status, count] of Object.entries(summary.byStatus)) {
    log(`  ${status.padEnd(15)} ${String(count).padStart(10)}`);
  }
  for (const [phase, seconds] of summary.phases)
    log(`  ${phase.padEnd(40)} ${seconds.toFixed(1).padStart(7)} s`);
}
