// Opaque paging cursors (the API's paging convention: `?cursor=` from the previous page's `nextCursor`):
// the position where a page ended, as base64url JSON, read back strictly.
import { HttpError } from './errors.js';

export function encodeCursor(position: readonly string[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position of a cursor of `size` parts; 400 for anything this API did not hand out. */
export function decodeCursor(cursor: string, size: number): string[] {
  let value: unknown = null;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // reported below, like any other malformed cursor
  }
  if (!Array.isArray(value) || value.length !== size || !value.every((v) => typeof v === 'string'))
    throw new HttpError('validation-failed', 'The cursor is not one this API handed out.');
  return value.map(String);
}
