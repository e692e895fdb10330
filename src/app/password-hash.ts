// Passwords of login users (sign-in to the web UI): scrypt with a per-password salt, its parameters
// stored with the hash so they can be raised later without breaking stored hashes; constant-time compare.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Bounds of a password. 12 characters is NIST SP 800-63B's floor raised for a service reachable from
 * the internet; the ceiling bounds the work a hostile request can make us do (scrypt reads it all).
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/**
 * scrypt cost: N = 2^15, r = 8, p = 1 (RFC 7914 §2; OWASP's minimum is N = 2^17 with p = 1 or
 * N = 2^15 with more memory) — about 32 MiB and ~50–100 ms per hash on a small server.
 */
const DEFAULT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Parameters accepted from a stored hash: a corrupted row must not make us allocate gigabytes. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }) {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => {
      if (error === null) resolve(key);
      else reject(error);
    });
  });
}

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH)
    return `A password needs at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH)
    return `A password may have at most ${PASSWORD_MAX_LENGTH} characters.`;
  return null;
}

/** `scrypt$N$r$p$salt$key`, salt and key in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const { N, r, p } = DEFAULT_PARAMS;
  const key = await derive(password, salt, DEFAULT_PARAMS);
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `password` matches `stored`; false for a wrong password and for an unreadable hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (password.length > PASSWORD_MAX_LENGTH) return false;
  const [scheme, n, r, p, salt, key] = stored.split('$');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (
    scheme !== 'scrypt' ||
    salt === undefined ||
    key === undefined ||
    !Number.isInteger(params.N) ||
    params.N < 2 ||
    params.N > MAX_N ||
    !Number.isInteger(params.r) ||
    params.r < 1 ||
    params.r > MAX_R ||
    !Number.isInteger(params.p) ||
    params.p < 1 ||
    params.p > MAX_P
  )
    return false;
  const expected = Buffer.from(key, 'base64url');
  if (expected.length === 0) return false;
  const actual = await derive(password, Buffer.from(salt, 'base64url'), params);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of a random password, verified against when no login matches so failures take as long. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(18).toString('base64url'));
  return decoy;
}

/** A random password for generated logins (the demo): 24 base64url characters, 144 bits. */
export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}
