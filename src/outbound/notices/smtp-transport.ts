// The SMTP client notices go out through (TOUCHMAIL_OUTBOUND_SMTP): nodemailer, and what its errors
// mean for the outbox — a 4xx reply or a broken connection is tried again later, a 5xx is final.
import nodemailer from 'nodemailer';

/**
 * Each SMTP step's timeout: well inside the outbox lease (120 s), so a stuck relay turns into a retry
 * rather than an item abandoned `sending` (which is never sent again).
 */
const TIMEOUT_MS = 20_000;

export type NoticeTransport = ReturnType<typeof createNoticeTransport>;

/** smtp://host:port (STARTTLS when offered) or smtps://host:port (TLS from the start). */
export function createNoticeTransport(url: URL) {
  return nodemailer.createTransport({
    url: url.href,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
}

export type SendFailure = { readonly permanent: boolean; readonly error: string };

/** RFC 5321 §4.2.1: a 5yz reply is a permanent failure, a 4yz one transient. */
export function isPermanentReply(responseCode: number): boolean {
  return responseCode >= 500;
}

/** RFC 5321 §4.2.1: 5yz is a permanent failure, 4yz transient; no reply at all (a connection error) is transient. */
export function classifySendError(error: unknown): SendFailure {
  const fields = typeof error === 'object' && error !== null ? error : {};
  const responseCode =
    'responseCode' in fields && typeof fields.responseCode === 'number' ? fields.responseCode : null;
  const code = 'code' in fields && typeof fields.code === 'string' ? fields.code : null;
  const response = 'response' in fields && typeof fields.response === 'string' ? fields.response : null;
  const message = error instanceof Error ? error.message : String(error);
  const text = (response ?? message).slice(0, 1000);
  if (responseCode !== null) return { permanent: isPermanentReply(responseCode), error: text };
  // Refused by nodemailer itself before any server saw it (a malformed address): trying again won't help.
  if (code === 'EENVELOPE' || code === 'EMESSAGE')
    return { permanent: true, error: `${code}: ${message}`.slice(0, 1000) };
  return { permanent: false, error: `${code ?? 'error'}: ${message}`.slice(0, 1000) };
}
