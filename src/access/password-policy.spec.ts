import { describe, expect, it } from '@jest/globals';
import { generateTemporaryPassword, passwordProblem } from './password-policy.js';

const owner = { email: 'rita.reception@clinic.example', name: 'Rita Okonkwo' };

describe('password policy', () => {
  it('accepts a long passphrase that names nobody', () => {
    expect(passwordProblem('quiet lantern orbits the marsh', owner)).toBeUndefined();
  });

  it.each([
    ['short', 'Use at least 12 characters.'],
    ['x'.repeat(257), 'Use at most 256 characters.'],
    ['rita.reception@clinic.example', 'Leave your e-mail address and your name out of your password.'],
    ['my name is OKONKWO, hello!', 'Leave your e-mail address and your name out of your password.'],
    ['receptionist-lantern-42', 'Leave your e-mail address and your name out of your password.'],
  ])('refuses %j: %s', (password, reason) => {
    expect(passwordProblem(password, owner)).toBe(reason);
  });

  it('refuses a guessable password with zxcvbn’s own advice', () => {
    const reason = passwordProblem('password1234', owner);
    expect(reason).toMatch(/^This password is too easy to guess\. \S/);
    expect(reason).toContain('commonly used password');
  });

  it('counts a name with its accents and spaces dropped as the name', () => {
    expect(passwordProblem('zoeoneil-was-here-1999', { email: 'z@clinic.example', name: "Zoë O'Neil" })).toBe(
      'Leave your e-mail address and your name out of your password.',
    );
  });

  it('leaves a two-letter name to the score alone', () => {
    expect(passwordProblem('always marching forward', { email: 'al@x.example', name: 'Al' })).toBeUndefined();
  });

  it('draws temporary passwords the rule accepts', () => {
    const password = generateTemporaryPassword(owner);
    expect(password).toHaveLength(16);
    expect(passwordProblem(password, owner)).toBeUndefined();
  });
});
