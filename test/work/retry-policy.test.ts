// The one retry policy (src/work/retry-policy.ts): backoff, passing errors, and when an inbound message
// ends `unprocessable` (SPEC §10).
import { describe, expect, it } from 'vitest';
import {
  afterProcessingFailure,
  errorKind,
  isTransient,
  MAX_PROCESSING_ATTEMPTS,
  ReportedError,
} from '../../src/work/retry-policy.js';

const T0 = new Date('2026-11-26T12:00:00Z');
const withCode = (code: string) => Object.assign(new Error('failed'), { code });
const bug = () => new TypeError("Cannot read properties of undefined (reading 'trim')");

describe('retry policy', () => {
  it.each([
    ['SQLITE_BUSY', true],
    ['SQLITE_LOCKED_SHAREDCACHE', true],
    ['08006', true], // connection failure
    ['40001', true], // serialization failure
    ['57P01', true], // admin shutdown
    ['ECONNRESET', true],
    ['22021', false], // invalid byte sequence: the data, not the infrastructure
    ['23505', false], // unique violation
    ['SQLITE_CONSTRAINT', false],
  ])('%s is passing: %s', (code, transient) => {
    expect(isTransient(withCode(code))).toBe(transient);
  });

  it('names an error by its kind and first line, bounded, without the stack', () => {
    expect(errorKind(bug())).toBe("TypeError: Cannot read properties of undefined (reading 'trim')");
    expect(errorKind(withCode('22021'))).toBe('Error [22021]: failed');
    expect(errorKind(new Error(`first\n    at somewhere (file.js:1:1)`))).toBe('Error: first');
    expect(errorKind(new Error('x'.repeat(1000))).length).toBeLessThanOrEqual(300);
    expect(errorKind(new ReportedError('TypeError: from a thread', null, 'stack'))).toBe(
      'TypeError: from a thread',
    );
    expect(isTransient(new ReportedError('Error [SQLITE_BUSY]: busy', 'SQLITE_BUSY', ''))).toBe(true);
  });

  it('retries a first failure with backoff', () => {
    const next = afterProcessingFailure({ attempts: 0, lastError: null, error: bug() }, T0, () => 1);
    expect(next).toEqual({ kind: 'retry', at: new Date(T0.getTime() + 5_000), error: errorKind(bug()) });
  });

  it('gives up at once when the same error comes back from the same bytes', () => {
    const next = afterProcessingFailure({ attempts: 1, lastError: errorKind(bug()), error: bug() }, T0);
    expect(next).toMatchObject({ kind: 'give-up', attempts: 2 });
    if (next.kind !== 'give-up') return;
    expect(next.detail).toContain('failed the same way twice');
    expect(next.detail).toContain(errorKind(bug()));
  });

  it('retries a different error, and a passing one even when it repeats', () => {
    expect(
      afterProcessingFailure({ attempts: 1, lastError: 'RangeError: other', error: bug() }, T0).kind,
    ).toBe('retry');
    const busy = withCode('SQLITE_BUSY');
    expect(afterProcessingFailure({ attempts: 1, lastError: errorKind(busy), error: busy }, T0).kind).toBe(
      'retry',
    );
  });

  it(`gives up after ${MAX_PROCESSING_ATTEMPTS} attempts whatever the error`, () => {
    const busy = withCode('SQLITE_BUSY');
    const next = afterProcessingFailure(
      { attempts: MAX_PROCESSING_ATTEMPTS - 1, lastError: errorKind(busy), error: busy },
      T0,
    );
    expect(next).toMatchObject({ kind: 'give-up', attempts: MAX_PROCESSING_ATTEMPTS });
  });
});
