// Taking a message in: which workspace it is for, storing it durably, processing it (ingest) or only
// evaluating it (resolve, a dry run).
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { Email } from '../domain/address.js';
import type { Outcome } from '../domain/outcome.js';
import { parseMessage } from '../mime/parse-message.js';
import { getInbound, insertInbound } from '../store/inbound-repository.js';
import { findSameMail } from '../store/touchpoint-repository.js';
import { workspaceIdByTouchpointAddress } from '../store/workspace-repository.js';
import type { MessageDependencies, RawMessage } from './dependencies.js';
import { evaluate, type Evaluation } from './evaluate-message.js';
import { afterFailedProcessing, processInbound, unprocessable } from './process-inbound.js';
import { errorKind } from '../work/retry-policy.js';

/** How long a message ingested for immediate processing is kept from workers (after a crash, they take it). */
const INGEST_LEASE_MS = 5 * 60 * 1000;

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
  deps: Pick<MessageDependencies, 'store' | 'maxMessageBytes' | 'now'>,
  message: RawMessage,
): Promise<{ workspaceId: string; rcpt: Email }> {
  let candidates: Email[] = [...message.envelope.rcptTo];
  if (candidates.length === 0) {
    // Only the headers matter here, but the limits still do: a message too large to parse is not routed.
    const parsed = await parseMessage(message.raw, {
      maxMessageBytes: deps.maxMessageBytes,
      now: deps.now(),
    });
    if (parsed.ok)
      candidates = [
        ...parsed.message.deliveredTo,
        ...parsed.message.to.map((a) => a.email),
        ...parsed.message.cc.map((a) => a.email),
      ];
  }
  for (const rcpt of candidates) {
    const workspaceId = await workspaceIdByTouchpointAddress(deps.store.db, rcpt);
    if (workspaceId !== null) return { workspaceId, rcpt };
  }
  throw new NoWorkspaceError(message.envelope.rcptTo);
}

/** Stores the message (durably, status queued), then processes it; returns its outcome. */
export async function ingestMessage(
  deps: MessageDependencies,
  message: RawMessage,
  channel: 'smtp' | 'http' | 'imap' | 'cli',
  /** The workspace, when the channel already says (an HTTP route of one workspace); else routed. */
  workspace?: string,
): Promise<{ inboundId: string; outcome: Outcome }> {
  const { workspaceId, rcpt } =
    workspace === undefined ? await routeToWorkspace(deps, message) : { workspaceId: workspace, rcpt: null };
  const inboundId = deps.newId();
  await insertInbound(deps.store.db, {
    id: inboundId,
    workspaceId,
    receivedAt: deps.now(),
    channel,
    raw: message.raw,
    sha256: sha256(message.raw),
    mailFrom: message.envelope.mailFrom,
    client: message.envelope.client ?? null,
    rcptTo: message.envelope.rcptTo.length > 0 || rcpt === null ? message.envelope.rcptTo : [rcpt],
    // Processed right here: leased to this process so that no worker takes it meanwhile.
    lease: {
      owner: `${hostname()}:${process.pid}:ingest`,
      until: new Date(deps.now().getTime() + INGEST_LEASE_MS),
    },
  });
  // Processed here, as a worker would: a failure is tried again at once, and a message that fails the
  // same way twice ends `unprocessable` with an outcome (SPEC §10) rather than leaving the caller none.
  for (let attempt = 1; ; attempt++) {
    try {
      return { inboundId, outcome: await processInbound(deps, workspaceId, inboundId) };
    } catch (error) {
      const ended = await giveBack(deps, workspaceId, inboundId, error);
      if (ended !== null) return { inboundId, outcome: ended };
      if (attempt >= INGEST_ATTEMPTS) throw new QueuedNotProcessed(inboundId, workspaceId, error);
    }
  }
}

/** Attempts `ingest` makes itself before it leaves the message to the workers' backoff. */
const INGEST_ATTEMPTS = 2;

/** Applies the retry policy to a failed attempt: the outcome when the message ended, else null. */
async function giveBack(
  deps: MessageDependencies,
  workspaceId: string,
  inboundId: string,
  error: unknown,
): Promise<Outcome | null> {
  const row = await getInbound(deps.store.db, workspaceId, inboundId);
  if (row === null || row.status !== 'queued') return null;
  return afterFailedProcessing(deps, row, error);
}

/** The message is stored (it will be processed by a worker) but could not be processed right away. */
export class QueuedNotProcessed extends Error {
  constructor(
    readonly inboundId: string,
    readonly workspaceId: string,
    cause: unknown,
  ) {
    super(`Inbound message ${inboundId} is stored and queued; processing it failed for now`, { cause });
    this.name = 'QueuedNotProcessed';
  }
}

/** Dry run: the outcome ingest would give; a repeat of recorded mail shows as the duplicate it would be. */
export async function resolveMessage(deps: MessageDependencies, message: RawMessage): Promise<Outcome> {
  const { workspaceId } = await routeToWorkspace(deps, message);
  let evaluation: Evaluation;
  try {
    evaluation = await evaluate(
      deps,
      deps.store.db,
      workspaceId,
      message,
      sha256(message.raw),
      deps.now(),
      null,
    );
  } catch (error) {
    // What ingest would end with after its attempts (SPEC §10), if the error is not a passing one.
    const detail = `The message could not be processed (${errorKind(error)}): ingest would end it unprocessable.`;
    return (await unprocessable(message.raw, workspaceId, detail)).outcome;
  }
  if (evaluation.draft === null) return evaluation.outcome;
  const same = await findSameMail(deps.store.db, workspaceId, evaluation.draft.accountId, evaluation.draft);
  if (same === null) return evaluation.outcome;
  const known = new Set(same.participants.map((p) => p.email));
  const adds = evaluation.draft.participants.some((p) => !known.has(p.email));
  return adds
    ? { ...evaluation.outcome, touchpointId: same.id }
    : { ...evaluation.outcome, status: 'ignored', reason: 'duplicate', touchpointId: same.id };
}

export function sha256(raw: Uint8Array): string {
  return createHash('sha256').update(raw).digest('hex');
}
