// The inbound log as the API shows it: per message its envelope and processing facts, plus either the
// outcome object of INTERFACE.md (processed messages) or `status: "queued"` alone (not processed yet).
import { Type, type Static } from 'typebox';
import type { Outcome } from '../../domain/outcome.js';
import { parseStringList } from '../../store/json-columns.js';
import type { InboundLogRow } from '../../store/inbound-log-repository.js';
import { OutcomeSchema, Nullable } from './common.js';

export const CHANNELS = ['smtp', 'http', 'imap', 'cli'] as const;
export const INBOUND_STATUSES = ['queued', 'recorded', 'failed', 'ignored', 'pending'] as const;
export const OUTCOME_REASONS = [
  'sender-not-a-user',
  'sender-not-authenticated',
  'empty-message',
  'no-customer-address',
  'no-account',
  'ambiguous-account',
  'too-large',
  'unparseable',
  'unprocessable',
  'auto-reply',
  'duplicate',
  'never-log',
] as const satisfies readonly NonNullable<Outcome['reason']>[];

const EntryFacts = {
  inboundId: Type.String(),
  receivedAt: Type.String(),
  channel: Type.Union(
    [Type.Literal('smtp'), Type.Literal('http'), Type.Literal('imap'), Type.Literal('cli')],
    { description: 'How the message came in' },
  ),
  mailFrom: Nullable(Type.String({ description: 'The envelope sender as received; "" for the null sender' })),
  rcptTo: Type.Array(Type.String(), { description: 'The envelope recipients of this workspace' }),
  sender: Nullable(
    Type.String({ description: 'The From address (normalised) once parsed, else the envelope sender' }),
  ),
  attempts: Type.Integer({ description: 'Times it was processed (retries and assignments count)' }),
  lastError: Nullable(Type.String({ description: 'The last processing error (its first line), if any' })),
};

export const ProcessedEntrySchema = Type.Object(
  { ...OutcomeSchema.properties, ...EntryFacts },
  { description: 'A processed message: the outcome object of INTERFACE.md with the inbound id and facts' },
);

export const QueuedEntrySchema = Type.Object(
  { status: Type.Literal('queued'), workspaceId: Type.String(), ...EntryFacts },
  { description: 'Stored, not processed yet: no outcome fields until a worker processes it' },
);

export const InboundLogItemSchema = Type.Union([ProcessedEntrySchema, QueuedEntrySchema], {
  description: 'One message of the inbound log',
});

const CandidateAccounts = Type.Array(
  Type.Object({ id: Type.String(), name: Nullable(Type.String({ description: 'null: no longer exists' })) }),
  { description: 'The candidate accounts of an ambiguous-account failure, with their names' },
);

const AuthenticationSchema = Nullable(
  Type.Object(
    {
      source: Type.String({
        description:
          'smtp, trusted-received (SPF for the client a trusted Received header names), trusted-header, message-only (no client IP: SPF unknown) or not-checked',
      }),
      dmarc: Type.String(),
      spfAligned: Type.Boolean(),
      dkimAligned: Type.Boolean(),
      summary: Type.String(),
    },
    { description: 'What sender verification found (SPF, DKIM, DMARC); null when not processed' },
  ),
);

const Details = {
  rawSize: Type.Integer({ description: 'Bytes of the raw message (GET …/raw, admins only)' }),
  candidateAccounts: CandidateAccounts,
  authentication: AuthenticationSchema,
};

export const InboundDetailSchema = Type.Union(
  [
    Type.Object({ ...ProcessedEntrySchema.properties, ...Details }),
    Type.Object({ ...QueuedEntrySchema.properties, ...Details }),
  ],
  { description: 'One message of the inbound log with its trace, candidate accounts and authentication' },
);

export type InboundLogItem = Static<typeof InboundLogItemSchema>;

/** A log row as the API shows it; the stored outcome is read back as the INTERFACE.md object. */
export function inboundLogItem(row: InboundLogRow): InboundLogItem {
  const facts = {
    inboundId: row.id,
    receivedAt: row.received_at,
    channel: CHANNELS.find((c) => c === row.channel) ?? 'smtp',
    mailFrom: row.mail_from,
    rcptTo: parseStringList(row.rcpt_to),
    sender: row.from_address ?? row.envelope_sender,
    attempts: row.attempts,
    // Operators' errors carry stack traces: the API shows the message only.
    lastError: row.last_error === null ? null : (row.last_error.split('\n', 1)[0] ?? null),
  };
  const outcome = outcomeOf(row);
  if (outcome === null) return { status: 'queued', workspaceId: row.workspace_id, ...facts };
  return {
    ...outcome,
    candidates: [...outcome.candidates],
    participants: outcome.participants.map((p) => ({ ...p })),
    trace: outcome.trace.map((e) => ({ ...e })),
    ...facts,
  };
}

export function outcomeOf(row: Pick<InboundLogRow, 'outcome' | 'status'>): Outcome | null {
  if (row.status === 'queued' || row.outcome === null) return null;
  return JSON.parse(row.outcome) as Outcome;
}

/** The stored authentication findings, when they have the expected shape. */
export function authenticationOf(json: string | null): Static<typeof AuthenticationSchema> {
  if (json === null) return null;
  const value: unknown = JSON.parse(json);
  if (typeof value !== 'object' || value === null) return null;
  const v: Record<string, unknown> = { ...value };
  return {
    source: String(v.source),
    dmarc: String(v.dmarc),
    spfAligned: v.spfAligned === true,
    dkimAligned: v.dkimAligned === true,
    summary: typeof v.summary === 'string' ? v.summary : '',
  };
}
