import { describe, expect, it } from '@jest/globals';
import { InvalidConfigurationError, loadAppConfig } from './app-config.js';

describe('loadAppConfig', () => {
  it('uses the documented defaults', () => {
    expect(loadAppConfig({})).toEqual({
      nodeEnv: 'development',
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      embeddedDatabasePort: 54329,
      embeddedDatabaseDir: '.data/pg',
      database: {
        connectTimeoutMs: 2000,
        statementTimeoutMs: 3000,
        idleInTransactionTimeoutMs: 10_000,
        poolMax: 10,
      },
      databaseWaitSeconds: 30,
      seedDemoData: true,
      migrateOnStart: true,
      clinicName: 'Riverside Therapy Practice',
      clinicTimezone: 'UTC',
      clinicLocale: 'en-GB',
      logLevel: 'info',
      lateCancelHours: 24,
      backfillDays: 730,
      bookingHorizonYears: 2,
      shutdownTimeoutMs: 10_000,
      http: { headersTimeoutMs: 20_000, requestTimeoutMs: 30_000 },
      access: {
        // Generated at start-up when SESSION_SECRET is unset.
        sessionSecret: expect.stringMatching(/^[\w-]{43}$/),
        sessionSecretGenerated: true,
        cookieSecure: false,
        idleTimeoutMs: 30 * 60_000,
        absoluteLifetimeMs: 12 * 3_600_000,
        firstAdmin: undefined,
        signInAttemptsPerMinute: 5,
        apiRequestsPerMinute: 600,
        // The demo mode (embedded database, demo data): not required; the key falls back to the session secret.
        mfaRequired: false,
        mfaEncryptionKey: expect.stringMatching(/^[\w-]{43}$/),
        rateLimitWindowSeconds: 60,
      },
    });
  });

  it('requires two-factor sign-in by default in production, except in the demo mode', () => {
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) };
    expect(loadAppConfig({ ...production, DATABASE_URL: 'postgres://u@db/x' }).access.mfaRequired).toBe(true);
    expect(loadAppConfig({ ...production, SEED_DEMO_DATA: 'false' }).access.mfaRequired).toBe(true);
    expect(loadAppConfig(production).access.mfaRequired).toBe(false);
    expect(loadAppConfig({ DATABASE_URL: 'postgres://u@db/x' }).access.mfaRequired).toBe(false);
    expect(loadAppConfig({ ...production, MFA_REQUIRED: 'false' }).access.mfaRequired).toBe(false);
    expect(loadAppConfig({ MFA_REQUIRED: 'true' }).access.mfaRequired).toBe(true);
    const config = loadAppConfig({ ...production, MFA_ENCRYPTION_KEY: 'k'.repeat(32) });
    expect(config.access.mfaEncryptionKey).toBe('k'.repeat(32));
    expect(() => loadAppConfig({ MFA_REQUIRED: 'maybe', MFA_ENCRYPTION_KEY: 'short' })).toThrow(
      /MFA_REQUIRED[\s\S]*MFA_ENCRYPTION_KEY must be at least 32 characters/,
    );
  });

  it('reads and converts every variable', () => {
    const config = loadAppConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u@db/x',
      SEED_DEMO_DATA: 'false',
      MIGRATE_ON_START: '0',
      CLINIC_TIMEZONE: 'Europe/Berlin',
      CLINIC_LOCALE: 'de-de',
      LOG_LEVEL: 'warn',
      DATABASE_CONNECT_TIMEOUT_MS: '500',
      DATABASE_STATEMENT_TIMEOUT_MS: '1500',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '4000',
      DATABASE_POOL_MAX: '3',
      DATABASE_WAIT_SECONDS: '0',
      SHUTDOWN_TIMEOUT_MS: '2500',
      HTTP_HEADERS_TIMEOUT_MS: '5000',
      HTTP_REQUEST_TIMEOUT_MS: '8000',
    });
    expect(config).toMatchObject({
      shutdownTimeoutMs: 2500,
      http: { headersTimeoutMs: 5000, requestTimeoutMs: 8000 },
      database: {
        connectTimeoutMs: 500,
        statementTimeoutMs: 1500,
        idleInTransactionTimeoutMs: 4000,
        poolMax: 3,
      },
      databaseWaitSeconds: 0,
      port: 8080,
      databaseUrl: 'postgres://u@db/x',
      seedDemoData: false,
      migrateOnStart: false,
      clinicTimezone: 'Europe/Berlin',
      clinicLocale: 'de-DE',
      logLevel: 'warn',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadAppConfig({ DATABASE_URL: '', PORT: '' })).toMatchObject({
      databaseUrl: undefined,
      port: 3000,
    });
  });

  it('reads METRICS_TOKEN, and refuses one that is short or has spaces', () => {
    expect(loadAppConfig({}).metricsToken).toBeUndefined();
    expect(loadAppConfig({ METRICS_TOKEN: '' }).metricsToken).toBeUndefined();
    expect(loadAppConfig({ METRICS_TOKEN: 'a-long-enough-token' }).metricsToken).toBe('a-long-enough-token');
    for (const token of ['short', 'has spaces in the middle']) {
      expect(() => loadAppConfig({ METRICS_TOKEN: token })).toThrow(
        /METRICS_TOKEN: .*16 printable characters/,
      );
    }
  });

  it('reports every invalid variable at once', () => {
    const attempt = (): unknown =>
      loadAppConfig({
        PORT: '70000',
        CLINIC_TIMEZONE: 'Mars/Base',
        CLINIC_LOCALE: 'klingon',
        SEED_DEMO_DATA: 'maybe',
        LOG_LEVEL: 'loud',
        SHUTDOWN_TIMEOUT_MS: '-1',
      });
    expect(attempt).toThrow(InvalidConfigurationError);
    try {
      attempt();
    } catch (error) {
      expect(
        (error as InvalidConfigurationError).problems.map((problem) => problem.split(':')[0]).sort(),
      ).toEqual([
        'CLINIC_LOCALE',
        'CLINIC_TIMEZONE',
        'LOG_LEVEL',
        'PORT',
        'SEED_DEMO_DATA',
        'SHUTDOWN_TIMEOUT_MS',
      ]);
    }
  });
});
