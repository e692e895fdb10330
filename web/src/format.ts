// How the UI writes dates, sizes and the product's codes in plain words.

const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function when(iso: string | null): string {
  if (iso === null || iso === '') return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DATE.format(date);
}

export function bytes(size: number | null): string {
  if (size === null) return 'size unknown';
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** Failure and ignore reasons of the outcome object (INTERFACE.md), in words (SPEC §3–§5). */
export const REASONS: Readonly<Record<string, string>> = {
  'sender-not-a-user': 'The sender is not a team member of this workspace',
  'sender-not-authenticated': 'The sender’s domain did not authenticate the message',
  'empty-message': 'Nothing to log: no subject, no text, no attachment, no forwarded mail',
  'no-customer-address': 'No customer address was found',
  'no-account': 'No account matches the customer addresses',
  'ambiguous-account': 'Several accounts match: choose one',
  'too-large': 'The message is too large',
  unparseable: 'The message could not be read',
  unprocessable: 'Touchmail could not process this message (it is kept: retry it after an update)',
  'auto-reply': 'Automatic reply, bounce or list mail',
  duplicate: 'Already recorded',
  'never-log': 'A participant is on the never-log list: nothing of it is kept',
};

export function reasonText(reason: string | null): string {
  if (reason === null) return '';
  return REASONS[reason] ?? reason;
}

export const SCENARIOS: Readonly<Record<string, string>> = {
  bcc: 'Bcc/Cc on outgoing mail',
  forward: 'Forwarded customer mail',
  note: 'Meeting notes',
};

export function scenarioText(scenario: string | null): string {
  if (scenario === null) return 'Imported history';
  return SCENARIOS[scenario] ?? scenario;
}

export const STATUSES = ['recorded', 'failed', 'pending', 'ignored', 'queued'] as const;
