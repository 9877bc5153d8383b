import { describe, expect, it } from '@jest/globals';
import { checkPassword, parseTokenCreate, parseUserCreate } from './account-arguments.js';

const base = ['--email', 'Nina@Clinic.Example', '--name', 'Nina'];

describe('user:create arguments', () => {
  it('reads an account (e-mail lower-cased, the therapist id as a number)', () => {
    expect(parseUserCreate([...base, '--role', 'therapist', '--therapist-id', '7'])).toEqual({
      email: 'nina@clinic.example',
      name: 'Nina',
      role: 'therapist',
      therapistId: 7,
    });
  });

  it.each([
    [[...base, '--role', 'owner'], /^Unknown role "owner": use one of admin, receptionist, therapist\.$/],
    [[...base, '--role', 'therapist'], /^A therapist account needs --therapist-id/],
    [
      [...base, '--role', 'admin', '--therapist-id', '3'],
      /^--therapist-id is only for the therapist role, not admin\.$/,
    ],
    [[...base, '--role', 'therapist', '--therapist-id', 'abc'], /^--therapist-id must be a positive/],
    [[...base, '--role', 'therapist', '--therapist-id', '99999999999'], /^--therapist-id must be a positive/],
    [['--email', 'not-an-address', '--name', 'N', '--role', 'admin'], /^Not an e-mail/],
    [['--email', 'a@b.example', '--role', 'admin'], /^--name is required\.$/],
    [[...base, '--role', 'admin', '--extra'], /^Unknown option '--extra'/],
  ])('refuses %j in one line', (args, message) => {
    expect(() => parseUserCreate(args)).toThrow(message);
  });

  it('refuses a password the policy refuses, in one line', () => {
    const owner = { email: 'nina@clinic.example', name: 'Nina Patel' };
    expect(() => checkPassword('x'.repeat(11), owner)).toThrow(
      /^The password is refused: Use at least 12 characters\.$/,
    );
    expect(() => checkPassword('nina patel forever', owner)).toThrow(/your name out of your password\.$/);
    expect(() => checkPassword('password1234', owner)).toThrow(/too easy to guess/);
    expect(checkPassword('quiet lantern orbits the marsh', owner)).toBe('quiet lantern orbits the marsh');
  });
});

describe('token:create arguments', () => {
  it('reads a request with an optional expiry', () => {
    expect(parseTokenCreate([...base, '--expires-at', '2040-01-01T00:00:00Z'])).toEqual({
      email: 'nina@clinic.example',
      name: 'Nina',
      expiresAt: new Date('2040-01-01T00:00:00Z'),
    });
  });

  it.each([
    [[...base, '--expires-at', '2020-01-01T00:00:00Z'], /is in the past\.$/],
    [[...base, '--expires-at', 'next week'], /^--expires-at must be an ISO 8601/],
    [[...base, '--expires-at', '2030-01-01T10:00'], /^--expires-at must be/],
    [['--email', 'a@b.example'], /^--name is required\.$/],
  ])('refuses %j in one line', (args, message) => {
    expect(() => parseTokenCreate(args)).toThrow(message);
  });
});
