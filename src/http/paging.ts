// Opaque page cursors: the key of a page's last item, as base64url JSON. Clients pass them back as they
// got them; anything else is a 400, never a wrong page.
import { HttpError } from './errors.js';

export const DEFAULT_PAGE = 50;

export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key of a cursor of `parts` strings, undefined when there is none; 400 when it is not ours. */
export function decodeCursor(cursor: string | undefined, parts: number): string[] | undefined {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (
    !Array.isArray(value) ||
    value.length !== parts ||
    !value.every((part): part is string => typeof part === 'string')
  )
    throw new HttpError(
      'validation-failed',
      'cursor: not a cursor this API gave; start from the first page.',
    );
  return value;
}
