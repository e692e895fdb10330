// Use-cases of an inbound message: ingest (store it raw first, then process), process a stored one,
// and resolve (the same evaluation as a dry run, nothing written).
import { createHash, randomUUID } from 'node:crypto';
import { normalizeEmail, type Email } from '../domain/address.js';
import { checkGates, type SenderAuthentication } from '../domain/gates.js';
import type { Envelope } from '../domain/message.js';
import { outcome as makeOutcome, type Outcome, type OutcomeReason } from '../domain/outcome.js';
import { resolveAccount } from '../domain/resolve-account.js';
import { classifyMessage, type Classification } from '../domain/scenario.js';
import { draftTouchpoint, type TouchpointDraft } from '../domain/touchpoint.js';
import { TraceBuilder, type Trace } from '../domain/trace.js';
import type { WorkspaceContext } from '../domain/workspace.js';
import { parseMessage } from '../mime/parse-message.js';
import { sqlDirectory } from '../store/directory-repository.js';
import { completeInbound, getInbound, insertInbound } from '../store/inbound-repository.js';
import type { Executor } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { findSameMail, insertTouchpoint, mergeParticipants } from '../store/touchpoint-repository.js';
import {
  findLoginByAddress,
  loadWorkspaceContext,
  workspaceIdByTouchpointAddress,
} from '../store/workspace-repository.js';

export interface MessageDependencies {
  readonly store: Store;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly maxMessageBytes: number;
}

export function defaultDependencies(store: Store, maxMessageBytes: number): MessageDependencies {
  return { store, now: () => new Date(), newId: randomUUID, maxMessageBytes };
}

export interface RawMessage {
  readonly raw: Uint8Array;
  readonly envelope: Envelope;
}

/** A message that no workspace takes: refused before anything is stored (SMTP: 550 5.1.1). */
export class NoWorkspaceError extends Error {
  constructor(readonly addresses: readonly string[]) {
    super(
      addresses.length === 0
        ? 'No recipient given and no touchpoint address in To, Cc or Delivered-To: pass --rcpt ADDRESS.'
        : `No workspace has the touchpoint address ${addresses.join(' or ')}.`,
    );
    this.name = 'NoWorkspaceError';
  }
}

/**
 * The workspace a message is for: from the envelope recipients, or without an envelope from the touchpoint
 * address in To/Cc/Delivered-To (SPEC §2). Bcc'd mail carries the address only in the envelope.
 */
export async function routeToWorkspace(
  db: Executor,
  message: RawMessage,
): Promise<{ workspaceId: string; rcpt: Email }> {
  let candidates: Email[] = [...message.envelope.rcptTo];
  if (candidates.length === 0) {
    const parsed = await parseMessage(message.raw, {
      maxMessageBytes: Number.MAX_SAFE_INTEGER,
      now: new Date(),
    });
    if (parsed.ok)
      candidates = [
        ...parsed.message.deliveredTo,
        ...parsed.message.to.map((a) => a.email),
        ...parsed.message.cc.map((a) => a.email),
      ];
  }
  for (const rcpt of candidates) {
    const workspaceId = await workspaceIdByTouchpointAddress(db, rcpt);
    if (workspaceId !== null) return { workspaceId, rcpt };
  }
  throw new NoWorkspaceError(message.envelope.rcptTo);
}

/** Stores the message (durably, status queued), then processes it; returns its outcome. */
export async function ingestMessage(
  deps: MessageDependencies,
  message: RawMessage,
  channel: 'smtp' | 'http' | 'imap' | 'cli',
): Promise<{ inboundId: string; outcome: Outcome }> {
  const { workspaceId, rcpt } = await routeToWorkspace(deps.store.db, message);
  const inboundId = deps.newId();
  await insertInbound(deps.store.db, {
    id: inboundId,
    workspaceId,
    receivedAt: deps.now(),
    channel,
    raw: message.raw,
    sha256: sha256(message.raw),
    mailFrom: message.envelope.mailFrom,
    rcptTo: message.envelope.rcptTo.length > 0 ? message.envelope.rcptTo : [rcpt],
  });
  return { inboundId, outcome: await processInbound(deps, workspaceId, inboundId) };
}

/** Evaluates a stored inbound message and records the result: touchpoint and outcome in one transaction. */
export async function processInbound(
  deps: MessageDependencies,
  workspaceId: string,
  inboundId: string,
): Promise<Outcome> {
  const db = deps.store.db;
  const row = await getInbound(db, workspaceId, inboundId);
  if (row === null) throw new Error(`No inbound message ${inboundId} in workspace ${workspaceId}`);
  const envelope: Envelope = { mailFrom: row.mail_from, rcptTo: parseRcpt(row.rcpt_to) };
  const evaluation = await evaluate(
    deps,
    db,
    workspaceId,
    { raw: row.raw, envelope },
    row.raw_sha256,
    new Date(row.received_at),
    inboundId,
  );
  const now = deps.now();
  return db.transaction().execute(async (trx) => {
    const outcome =
      evaluation.draft === null ? evaluation.outcome : await record(trx, deps, workspaceId, evaluation, now);
    await completeInbound(trx, workspaceId, inboundId, outcome, now);
    return outcome;
  });
}

/** Dry run: the outcome ingest would give; a repeat of recorded mail shows as the duplicate it would be. */
export async function resolveMessage(deps: MessageDependencies, message: RawMessage): Promise<Outcome> {
  const { workspaceId } = await routeToWorkspace(deps.store.db, message);
  const evaluation = await evaluate(
    deps,
    deps.store.db,
    workspaceId,
    message,
    sha256(message.raw),
    deps.now(),
    null,
  );
  if (evaluation.draft === null) return evaluation.outcome;
  const same = await findSameMail(
    deps.store.db,
    workspaceId,
    evaluation.draft.accountId,
    keysOf(evaluation.draft),
  );
  if (same === null) return evaluation.outcome;
  const known = new Set(same.participants.map((p) => p.email));
  const adds = evaluation.draft.participants.some((p) => !known.has(p.email));
  return adds
    ? { ...evaluation.outcome, touchpointId: same.id }
    : { ...evaluation.outcome, status: 'ignored', reason: 'duplicate', touchpointId: same.id };
}

interface Evaluation {
  /** The outcome as far as the rules go: `recorded` means "to be recorded" until record() runs. */
  readonly outcome: Outcome;
  readonly draft: TouchpointDraft | null;
}

/** Not checked until sender authentication lands (SPEC §3 G3): the gate's hook, passing for now. */
const AUTHENTICATION_NOT_CHECKED: SenderAuthentication = {
  verdict: 'not-checked',
  detail: 'sender authentication is not verified yet',
};

async function evaluate(
  deps: MessageDependencies,
  db: Executor,
  workspaceId: string,
  message: RawMessage,
  rawSha256: string,
  receivedAt: Date,
  inboundId: string | null,
): Promise<Evaluation> {
  const trace = new TraceBuilder();
  const base = {
    workspaceId,
    scenario: null,
    accountId: null,
    candidates: [],
    touchpointId: null,
    participants: [],
    subject: null,
    occurredAt: null,
  };
  const stop = (
    status: Outcome['status'],
    reason: OutcomeReason,
    extra: Partial<Outcome> = {},
  ): Evaluation => ({
    outcome: makeOutcome({ ...base, status, reason, ...extra, trace: trace.entries }),
    draft: null,
  });

  const workspace = await loadWorkspaceContext(db, workspaceId);
  if (workspace === null) throw new Error(`Workspace ${workspaceId} does not exist`);
  const parsed = await parseMessage(message.raw, { maxMessageBytes: deps.maxMessageBytes, now: receivedAt });
  if (!parsed.ok) {
    trace.add('parse', parsed.detail);
    return stop('failed', parsed.reason);
  }
  const mail = parsed.message;
  const headline = { subject: mail.subject, occurredAt: mail.date };
  trace.add('parse', describeMessage(mail.from?.email ?? null, mail.messageId, message.envelope));

  const login = mail.from === null ? null : await findLoginByAddress(db, workspaceId, mail.from.email);
  if (login !== null && !login.active)
    trace.add('gate.sender', `${login.email} is a login user but not active.`);
  const sender = login !== null && login.active ? login : null;
  const gate = checkGates(
    {
      message: mail,
      envelope: message.envelope,
      sender,
      authentication: AUTHENTICATION_NOT_CHECKED,
      policy: workspace.senderAuthPolicy,
    },
    trace,
  );
  if (gate !== null || sender === null || mail.from === null)
    return stop(gate?.status ?? 'failed', gate?.reason ?? 'sender-not-a-user', headline);

  const classification = classifyMessage({ message: mail, sender: mail.from, workspace }, trace);
  const seen = { ...headline, scenario: classification.scenario, participants: classification.participants };
  if (classification.customerAddresses.length === 0) {
    trace.add('customers', 'No customer (external) address found.');
    return stop('failed', 'no-customer-address', seen);
  }
  trace.add('customers', `Customer addresses, in order: ${classification.customerAddresses.join(', ')}.`);

  const decision = await resolveAccount(
    {
      customerAddresses: classification.customerAddresses,
      senderAddresses: [sender.email, ...sender.aliases],
      senderEmail: mail.from.email,
      now: receivedAt,
    },
    sqlDirectory(db, workspaceId),
  );
  for (const entry of decision.trace) trace.add(entry.step, entry.detail);
  if (decision.kind === 'unmatched') return stop('failed', 'no-account', seen);
  if (decision.kind === 'ambiguous')
    return stop('failed', 'ambiguous-account', { ...seen, candidates: decision.candidates });

  const draft = draftTouchpoint({
    message: mail,
    rawSha256,
    classification,
    accountId: decision.accountId,
    workspace,
    author: sender,
    receivedAt,
    inboundId,
    trace: trace.entries,
  });
  return { outcome: matchedOutcome(workspace, classification, draft, trace.entries), draft };
}

function matchedOutcome(
  workspace: WorkspaceContext,
  classification: Classification,
  draft: TouchpointDraft,
  trace: Trace,
): Outcome {
  return makeOutcome({
    status: 'recorded',
    reason: null,
    workspaceId: workspace.id,
    scenario: classification.scenario,
    accountId: draft.accountId,
    candidates: [],
    touchpointId: null,
    participants: classification.participants,
    subject: draft.subject,
    occurredAt: draft.occurredAt,
    trace,
  });
}

/** Records the touchpoint, or merges into the one the same mail already made on that account. */
async function record(
  trx: Executor,
  deps: MessageDependencies,
  workspaceId: string,
  evaluation: Evaluation,
  now: Date,
): Promise<Outcome> {
  const draft = evaluation.draft;
  if (draft === null) return evaluation.outcome;
  const same = await findSameMail(trx, workspaceId, draft.accountId, keysOf(draft));
  if (same === null) {
    const id = deps.newId();
    await insertTouchpoint(trx, workspaceId, id, draft, now);
    return {
      ...evaluation.outcome,
      touchpointId: id,
      trace: [
        ...evaluation.outcome.trace,
        { step: 'record', detail: `Recorded touchpoint ${id} on account ${draft.accountId}.` },
      ],
    };
  }
  const added = await mergeParticipants(trx, workspaceId, same, draft.participants, now);
  if (added.length === 0) {
    const detail = `The same mail is already touchpoint ${same.id} on account ${draft.accountId}; nothing new to add.`;
    return {
      ...evaluation.outcome,
      status: 'ignored',
      reason: 'duplicate',
      touchpointId: same.id,
      trace: [...evaluation.outcome.trace, { step: 'record', detail }],
    };
  }
  const detail = `The same mail is already touchpoint ${same.id} on account ${draft.accountId}; added ${added.map((p) => p.email).join(', ')} to its participants.`;
  return {
    ...evaluation.outcome,
    touchpointId: same.id,
    trace: [...evaluation.outcome.trace, { step: 'record', detail }],
  };
}

function keysOf(draft: TouchpointDraft): string[] {
  return draft.contentKey === null ? [draft.messageKey] : [draft.messageKey, draft.contentKey];
}

function describeMessage(from: string | null, messageId: string | null, envelope: Envelope): string {
  const rcpt = envelope.rcptTo.length > 0 ? `for ${envelope.rcptTo.join(', ')}` : 'without envelope';
  return `From ${from ?? '(none)'}, Message-ID ${messageId === null ? '(none)' : `<${messageId}>`}, ${rcpt}.`;
}

function parseRcpt(json: string): Email[] {
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => (typeof v === 'string' ? (normalizeEmail(v) ?? []) : []));
}

export function sha256(raw: Uint8Array): string {
  return createHash('sha256').update(raw).digest('hex');
}
