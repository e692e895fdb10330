// Password hashing: scrypt round trip with its own salt and parameters, constant-length compare, and
// stored hashes that are corrupt or ask for absurd costs refused rather than run.
import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from '../../src/app/password-hash.js';

describe('password hashing', () => {
  it('verifies the password it hashed, and no other', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts each hash: one password, two different hashes', async () => {
    const [a, b] = await Promise.all([
      hashPassword('same password here'),
      hashPassword('same password here'),
    ]);
    expect(a).not.toBe(b);
  });

  it('treats composed and decomposed Unicode as the same password (NFC)', async () => {
    const hash = await hashPassword('Gr\u00fc\u00dfe aus K\u00f6ln');
    expect(await verifyPassword('Gru\u0308\u00dfe aus Ko\u0308ln', hash)).toBe(true);
  });

  it('verifies with the parameters stored in the hash (so they can be raised later)', async () => {
    const hash = await hashPassword('parameters travel along');
    const [, , , , salt, key] = hash.split('$');
    // The same key with other parameters is a different hash: the stored ones are the ones used.
    expect(await verifyPassword('parameters travel along', `scrypt$16384$8$1$${salt}$${key}`)).toBe(false);
  });

  it.each([
    ['not a hash'],
    ['bcrypt$10$abc$def'],
    ['scrypt$1073741824$8$1$c2FsdA$a2V5'],
    ['scrypt$32768$8$1$c2FsdA$'],
    ['scrypt$x$8$1$c2FsdA$a2V5'],
  ])('refuses the stored value %s without running it', async (stored) => {
    expect(await verifyPassword('whatever password', stored)).toBe(false);
  });

  it('bounds passwords: at least 12 characters, at most 256', () => {
    expect(passwordProblem('eleven char')).toContain('at least 12');
    expect(passwordProblem('twelve chars')).toBeNull();
    expect(passwordProblem('x'.repeat(257))).toContain('at most 256');
  });
});
