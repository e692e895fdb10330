// The one error catalogue of the HTTP API: codes with their status; every error answers
// `{ "error": { "code", "message" } }` and never a stack trace.
export const ERRORS = {
  'bad-request': 400,
  'validation-failed': 400,
  unauthenticated: 401,
  forbidden: 403,
  /** A session-cookie request changing something without the session's X-CSRF-Token. */
  'csrf-failed': 403,
  'not-found': 404,
  /** The request was not complete in time (Node's requestTimeout). */
  'request-timeout': 408,
  conflict: 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'rate-limited': 429,
  /** Request headers over Node's 16 KiB (maxHeaderSize): refused before any route sees them. */
  'headers-too-large': 431,
  'internal-error': 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** A field-level problem of a rejected document (the import's and settings' paths). */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

export class HttpError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Every problem found, when a document was refused (answered as `error.problems`). */
    readonly problems?: readonly Problem[],
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = ERRORS[code];
  }
}

export function errorBody(code: ErrorCode, message: string, problems?: readonly Problem[]) {
  return { error: problems === undefined ? { code, message } : { code, message, problems } };
}
