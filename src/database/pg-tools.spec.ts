import { describe, expect, it } from '@jest/globals';
import {
  choosePgTools,
  libpqEnvironment,
  mainErrorLine,
  majorOfVersion,
  type PgToolsCandidate,
} from './pg-tools.js';

describe('libpqEnvironment', () => {
  it('turns every part of the URL into its libpq variable, decoding percent-escapes', () => {
    expect(
      libpqEnvironment('postgres://ther%40py:p%40ss%3Aw0rd@db.internal:6543/therapy%20sessions'),
    ).toEqual({
      PGHOST: 'db.internal',
      PGPORT: '6543',
      PGUSER: 'ther@py',
      PGPASSWORD: 'p@ss:w0rd',
      PGDATABASE: 'therapy sessions',
    });
  });

  it('leaves out what the URL leaves out, so libpq falls back to its defaults', () => {
    expect(libpqEnvironment('postgresql://localhost/therapy')).toEqual({
      PGHOST: 'localhost',
      PGDATABASE: 'therapy',
    });
  });

  it('passes sslmode and the other libpq parameters through', () => {
    const env = libpqEnvironment(
      'postgres://u:p@db.example.com/app?sslmode=verify-full&sslrootcert=/etc/ssl/rds.pem&application_name=backup&connect_timeout=5',
    );
    expect(env).toMatchObject({
      PGSSLMODE: 'verify-full',
      PGSSLROOTCERT: '/etc/ssl/rds.pem',
      PGAPPNAME: 'backup',
      PGCONNECT_TIMEOUT: '5',
    });
  });

  it("maps node-postgres's ssl=true and sslmode=no-verify to libpq's require", () => {
    expect(libpqEnvironment('postgres://h/app?ssl=true').PGSSLMODE).toBe('require');
    expect(libpqEnvironment('postgres://h/app?sslmode=no-verify').PGSSLMODE).toBe('require');
    expect(libpqEnvironment('postgres://h/app?ssl=true&sslmode=verify-ca').PGSSLMODE).toBe('verify-ca');
  });

  it('takes a socket directory from ?host= and strips the brackets of an IPv6 address', () => {
    expect(libpqEnvironment('postgres:///app?host=/var/run/postgresql').PGHOST).toBe('/var/run/postgresql');
    expect(libpqEnvironment('postgres://u@[::1]:5433/app')).toMatchObject({ PGHOST: '::1', PGPORT: '5433' });
  });

  it('refuses what is not a postgres:// URL, without echoing it (it may hold a password)', () => {
    expect(() => libpqEnvironment('mysql://u:secret@h/app')).toThrow(
      /must start with postgres:\/\/ \(not mysql:\/\/\)/,
    );
    expect(() => libpqEnvironment('//u:secret@h/app')).toThrow(/not a URL/);
    expect(() => libpqEnvironment('//u:secret@h/app')).not.toThrow(/secret/);
    expect(() => libpqEnvironment('u:secret@h/app')).not.toThrow(/secret/);
  });
});

describe('choosePgTools', () => {
  const debian = (major: number): PgToolsCandidate => ({
    binDir: `/usr/lib/postgresql/${major}/bin`,
    major,
    origin: 'debian',
  });
  const onPath = (major: number | undefined): PgToolsCandidate => ({
    binDir: '/usr/bin',
    major,
    origin: 'PATH',
  });

  it('takes the smallest Debian major that is at least the server’s', () => {
    const choice = choosePgTools(16, [debian(15), debian(18), debian(17), onPath(18)]);
    expect(choice).toEqual({
      ok: true,
      binDir: '/usr/lib/postgresql/17/bin',
      major: 17,
      pgDump: '/usr/lib/postgresql/17/bin/pg_dump',
      pgRestore: '/usr/lib/postgresql/17/bin/pg_restore',
    });
  });

  it('falls back to PATH only when no Debian directory fits', () => {
    expect(choosePgTools(17, [debian(15), onPath(17)])).toMatchObject({
      ok: true,
      binDir: '/usr/bin',
      major: 17,
    });
    expect(choosePgTools(17, [debian(15), onPath(16)])).toMatchObject({ ok: false });
  });

  it('uses PG_BIN_DIR alone when set, even if another directory would fit', () => {
    const explicit: PgToolsCandidate = { binDir: '/opt/pg/bin', major: 16, origin: 'PG_BIN_DIR' };
    expect(choosePgTools(16, [explicit])).toMatchObject({ ok: true, binDir: '/opt/pg/bin' });
    const tooOld = choosePgTools(18, [{ ...explicit, major: 16 }, debian(18)]);
    expect(tooOld).toEqual({
      ok: false,
      problem: expect.stringContaining('PG_BIN_DIR=/opt/pg/bin has version 16'),
    });
    const broken = choosePgTools(18, [{ ...explicit, major: undefined }]);
    expect(broken).toEqual({
      ok: false,
      problem: expect.stringContaining('PG_BIN_DIR=/opt/pg/bin has none that run'),
    });
  });

  it('names the server’s major, what was found and what to install, on one line', () => {
    const choice = choosePgTools(18, [debian(15), onPath(15)]);
    expect(choice.ok).toBe(false);
    const problem = choice.ok ? '' : choice.problem;
    expect(problem).toBe(
      'The PostgreSQL 18 server needs pg_dump and pg_restore 18 or newer (found 15 in /usr/lib/postgresql/15/bin, ' +
        '15 in /usr/bin): install them (apt-get install postgresql-client-18, from apt.postgresql.org) or set ' +
        'PG_BIN_DIR to the directory that has them.',
    );
    expect(choosePgTools(18, [])).toMatchObject({
      ok: false,
      problem: expect.stringContaining('(found none)'),
    });
  });
});

describe('majorOfVersion and mainErrorLine', () => {
  it('reads the major of --version and server_version texts', () => {
    expect(majorOfVersion('pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n')).toBe(15);
    expect(majorOfVersion('pg_restore (PostgreSQL) 18beta1')).toBe(18);
    expect(majorOfVersion('something else')).toBeUndefined();
  });

  it('picks the error line out of pg_restore’s output', () => {
    const stderr = [
      'pg_restore: while PROCESSING TOC:',
      'pg_restore: from TOC entry 215; 1259 16390 TABLE therapist postgres',
      'pg_restore: error: could not execute query: ERROR:  relation "therapist" already exists',
      'Command was: CREATE TABLE public.therapist (',
    ].join('\n');
    expect(mainErrorLine(stderr)).toBe(
      'pg_restore: error: could not execute query: ERROR:  relation "therapist" already exists',
    );
    expect(mainErrorLine('one\ntwo\n')).toBe('two');
    expect(mainErrorLine('')).toBe('no output');
  });
});
