import { runInNewContext } from 'node:vm';
import { describe, expect, it } from '@jest/globals';
import { ConnectionException, DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { describeDatabaseError, isDatabaseOutage, problemFromDatabaseError } from './database-problems.js';

/** An error as node-postgres raises it: a message, and for server errors a SQLSTATE in `code`. */
const pgError = (message: string, code?: string): Error => Object.assign(new Error(message), { code });
/** The same error as MikroORM rethrows it from a query. */
const driverError = (message: string, code?: string): DriverException =>
  new DriverException(pgError(message, code));

describe('isDatabaseOutage', () => {
  it.each([
    ['admin shutdown', '57P01'],
    ['crash shutdown', '57P02'],
    ['cannot connect now (starting up)', '57P03'],
    ['too many connections', '53300'],
    ['statement timeout (query_canceled)', '57014'],
    ['connection failure (class 08)', '08006'],
    ['connection does not exist (class 08)', '08003'],
    ['refused', 'ECONNREFUSED'],
    ['reset', 'ECONNRESET'],
    ['host not resolvable yet', 'EAI_AGAIN'],
  ])('treats %s (%s) as an outage, raw or wrapped by MikroORM', (message, code) => {
    expect(isDatabaseOutage(pgError(message, code))).toBe(true);
    expect(isDatabaseOutage(driverError(message, code))).toBe(true);
  });

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'Query read timeout',
    'Client has encountered a connection error and is not queryable',
  ])('treats node-postgres’s "%s" as an outage', (message) => {
    expect(isDatabaseOutage(pgError(message))).toBe(true);
    expect(isDatabaseOutage(driverError(message))).toBe(true);
  });

  it('treats MikroORM’s ConnectionException, and errors found through cause or AggregateError, as outages', () => {
    expect(isDatabaseOutage(new ConnectionException(pgError('could not connect')))).toBe(true);
    const refusedTwice = new AggregateError([
      pgError('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'),
      pgError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
    ]);
    expect(isDatabaseOutage(refusedTwice)).toBe(true);
    expect(isDatabaseOutage(new Error('query failed', { cause: pgError('x', '57P01') }))).toBe(true);
  });

  it('recognises a socket error made in another realm, as Node’s own errors are inside a vm context', () => {
    const foreign: unknown = runInNewContext(
      "Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })",
    );
    expect(foreign instanceof Error).toBe(false);
    expect(isDatabaseOutage(foreign)).toBe(true);
    expect(describeDatabaseError(foreign)).toBe('ECONNREFUSED connect ECONNREFUSED 127.0.0.1:5432');
  });

  it.each([
    ['unique violation', '23505'],
    ['value too long', '22001'],
    ['deadlock', '40P01'],
    ['serialization failure', '40001'],
    ['syntax error', '42601'],
    ['bad password', '28P01'],
    ['no such database', '3D000'],
    ['disk full', '53100'],
    ['a bug', undefined],
  ])('does not treat %s (%s) as an outage', (message, code) => {
    expect(isDatabaseOutage(driverError(message, code))).toBe(false);
  });

  it('ignores what is not an Error', () => {
    expect(isDatabaseOutage('ECONNREFUSED')).toBe(false);
    expect(isDatabaseOutage(undefined)).toBe(false);
  });
});

describe('problemFromDatabaseError', () => {
  it('answers an outage with 503 service-unavailable', () => {
    const problem = problemFromDatabaseError(driverError('Connection terminated unexpectedly'));
    expect(problem?.problemType).toBe('service-unavailable');
    expect(problem?.getStatus()).toBe(503);
  });

  it('still translates errors a client causes into 4xx, and leaves other faults to the 500 path', () => {
    const unique = new UniqueConstraintViolationException(
      Object.assign(pgError('duplicate key', '23505'), { constraint: 'therapist_email_unique' }),
    );
    expect(problemFromDatabaseError(unique)?.getStatus()).toBe(409);
    expect(problemFromDatabaseError(driverError('syntax error', '42601'))).toBeUndefined();
  });
});

describe('describeDatabaseError', () => {
  it('gives the code and the first line only, for a one-line log entry', () => {
    expect(describeDatabaseError(driverError('terminating connection\n - detail: more', '57P01'))).toBe(
      '57P01 terminating connection',
    );
    expect(describeDatabaseError(pgError('Query read timeout'))).toBe('Query read timeout');
  });
});
