import { describe, expect, it } from '@jest/globals';
import { defaultBackupFile, formatSize, parseBackupArguments, summariseArchiveList } from './backup.js';

describe('backup arguments and names', () => {
  it('names a default backup by its UTC time, in backups/', () => {
    expect(defaultBackupFile(new Date('2026-12-03T10:15:07.123Z'))).toBe(
      'backups/therapy-sessions-20261203T101507Z.dump',
    );
  });

  it('reads --file and --force, and refuses anything else', () => {
    expect(parseBackupArguments('backup', [])).toEqual({ file: undefined, force: false });
    expect(parseBackupArguments('backup', ['--file', 'x.dump'])).toEqual({ file: 'x.dump', force: false });
    expect(parseBackupArguments('restore', ['--file=x.dump', '--force'])).toEqual({
      file: 'x.dump',
      force: true,
    });
    expect(() => parseBackupArguments('restore', [])).toThrow('db restore needs --file PATH');
    expect(() => parseBackupArguments('backup', ['--force'])).toThrow('db backup takes no --force');
    expect(() => parseBackupArguments('backup', ['--fiel', 'x'])).toThrow(/Unknown option '--fiel'/);
    expect(() => parseBackupArguments('backup', ['x.dump'])).toThrow(/Usage: db backup/);
  });

  it('formats sizes in binary units', () => {
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(49_783)).toBe('48.6 KiB');
    expect(formatSize(5 * 1024 ** 3)).toBe('5.0 GiB');
  });
});

describe('summariseArchiveList', () => {
  it('counts the TOC entries and reads the versions from the header', () => {
    const list = [
      ';',
      '; Archive created at 2026-12-02 12:47:28 UTC',
      ';     dbname: drill_src',
      ';     TOC Entries: 66',
      ';     Dumped from database version: 15.20 (Debian 15.20-0+deb12u1)',
      ';     Dumped by pg_dump version: 15.20 (Debian 15.20-0+deb12u1)',
      ';',
      '; Selected TOC Entries:',
      ';',
      '2; 3079 16385 EXTENSION - btree_gist ',
      '215; 1259 16390 TABLE public therapist postgres',
      '3370; 0 16390 TABLE DATA public therapist postgres',
      '',
    ].join('\n');
    expect(summariseArchiveList(list)).toEqual({
      entries: 3,
      dumpedFrom: '15.20 (Debian 15.20-0+deb12u1)',
      dumpedBy: '15.20 (Debian 15.20-0+deb12u1)',
    });
  });
});
