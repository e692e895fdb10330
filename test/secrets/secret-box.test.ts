// Secrets at rest: AES-256-GCM sealed values open only with their key and in their context; the SQLite
// default key file is created once, 0600, and reused.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretBox, SecretKeyError } from '../../src/secrets/secret-box.js';
import { configuredSecretBox, keyFileOf } from '../../src/secrets/secret-key.js';
import { tempDir } from '../support/stores.js';

const key = Buffer.alloc(32, 1);

describe('secret box', () => {
  it('seals with a random IV and opens in the same context only', () => {
    const box = secretBox(() => key, 'no key');
    const a = box.seal('s3cret', 'salesforce:acme:clientSecret');
    expect(a).not.toContain('s3cret');
    expect(box.seal('s3cret', 'salesforce:acme:clientSecret')).not.toBe(a);
    expect(box.open(a, 'salesforce:acme:clientSecret')).toBe('s3cret');
    expect(() => box.open(a, 'salesforce:other:clientSecret')).toThrow(SecretKeyError);
    const tampered = `${a.slice(0, -2)}${a.endsWith('A') ? 'B' : 'A'}A`;
    expect(() => box.open(tampered, 'salesforce:acme:clientSecret')).toThrow(/altered/);
  });

  it('names a different key rather than calling it tampering', () => {
    const sealed = secretBox(() => key, 'no key').seal('x', 'c');
    expect(() => secretBox(() => Buffer.alloc(32, 2), 'no key').open(sealed, 'c')).toThrow(
      /encrypted with key/,
    );
  });

  it('refuses to seal without a key (PostgreSQL without TOUCHMAIL_SECRET_KEY)', () => {
    const box = configuredSecretBox(null, { kind: 'postgres', url: 'postgres://x/y' });
    expect(() => box.seal('x', 'c')).toThrow(/TOUCHMAIL_SECRET_KEY/);
  });

  it('creates the SQLite key file 0600 beside the database on first use, and reuses it', () => {
    const path = join(tempDir(), 'touchmail.db');
    const first = configuredSecretBox(null, { kind: 'sqlite', path });
    const sealed = first.seal('x', 'c');
    expect(statSync(keyFileOf(path)).mode & 0o777).toBe(0o600);
    expect(configuredSecretBox(null, { kind: 'sqlite', path }).open(sealed, 'c')).toBe('x');
  });
});
