// Evaluating an inbound message: parse, gates, scenario, account — everything but writing. Reads the
// store (workspace, sender, directory) and returns the outcome with the touchpoint to record, if any.
import { verifySender } from '../auth/verify-sender.js';
import { checkGates } from '../domain/gates.js';
import { authenticationVerdict, type AuthenticationFindings } from '../domain/sender-authentication.js';
import type { Envelope } from '../domain/message.js';
import { outcome as makeOutcome, type Outcome, type OutcomeReason } from '../domain/outcome.js';
import { resolveAccount } from '../domain/resolve-account.js';
import { asTheDirectoryNamesThem } from '../domain/participant-names.js';
import { classifyMessage, type Classification } from '../domain/scenario.js';
import { draftTouchpoint, mailIdentity, occurredAtOf, type TouchpointDraft } from '../domain/touchpoint.js';
import { isNeverLogged, NEVER_LOG_TRACE, withoutBody } from '../domain/privacy.js';
import { storableDate } from '../domain/storable.js';
import { TraceBuilder, type Trace } from '../domain/trace.js';
import type { Login, WorkspaceContext } from '../domain/workspace.js';
import type { Email } from '../domain/address.js';
import { parseMessage } from '../mime/parse-message.js';
import { peopleKnownAs, sqlDirectory } from '../store/directory-repository.js';
import { findKnownMail } from '../store/touchpoint-repository.js';
import type { Executor } from '../store/schema.js';
import { findLoginByAddress, loadWorkspaceContext } from '../store/workspace-repository.js';
import type { MessageDependencies, RawMessage } from './dependencies.js';

export interface Evaluation {
  /** The outcome as far as the rules go: `recorded` means "to be recorded" until record() runs. */
  readonly outcome: Outcome;
  readonly draft: TouchpointDraft | null;
  /** What sender verification found, kept with the inbound message. */
  readonly authentication: AuthenticationFindings | null;
  /** The From address, when the message could be parsed (the inbound log filters on it). */
  readonly from: Email | null;
  /** The workspace keeps no bodies (SPEC §11 `no-body`): the raw message goes once the outcome is final. */
  readonly noBody: boolean;
}

/**
 * A person asking for a stored message to be evaluated again (SPEC §5: "assign an account in the UI, or
 * fix the directory and retry"): `retry` runs the rules as they are now; `assign` takes the account the
 * person chose instead of resolving one. `by` is who asked (actorOf), written into the trace.
 */
export type Rerun =
  | { readonly kind: 'retry'; readonly by: string }
  | { readonly kind: 'assign'; readonly by: string; readonly accountId: string };

/** Policy `off` trusts the From as the seed does: no DNS lookups at all. */
const NOT_CHECKED: AuthenticationFindings = {
  source: 'not-checked',
  dmarc: 'not-evaluated',
  spfAligned: false,
  dkimAligned: false,
  summary: 'the From is trusted as it is',
};

export async function evaluate(
  deps: MessageDependencies,
  db: Executor,
  workspaceId: string,
  message: RawMessage,
  rawSha256: string,
  receivedAt: Date,
  inboundId: string | null,
  lookups: Lookups = new Lookups(),
  rerun: Rerun | null = null,
): Promise<Evaluation> {
  const trace = new TraceBuilder();
  if (rerun?.kind === 'retry')
    trace.add('retry', `${rerun.by} asked for the rules to run again against the directory as it is now.`);
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
    authentication: findings,
    from,
    noBody,
  });
  let from: Email | null = null;
  let findings: AuthenticationFindings | null = null;

  const workspace = await lookups.workspace(db, workspaceId);
  if (workspace === null) throw new Error(`Workspace ${workspaceId} does not exist`);
  const noBody = workspace.storage === 'no-body';
  const parsed = await parseMessage(message.raw, { maxMessageBytes: deps.maxMessageBytes, now: receivedAt });
  if (!parsed.ok) {
    trace.add('parse', parsed.detail);
    return stop('failed', parsed.reason);
  }
  const mail = parsed.message;
  from = mail.from?.email ?? null;
  const headline = { subject: mail.subject, occurredAt: storableDate(mail.date) };
  trace.add('parse', describeMessage(mail.from?.email ?? null, mail.messageId, message.envelope));
  if (mail.date !== null && headline.occurredAt === null)
    trace.add(
      'parse.date',
      `The Date header (${mail.date}) is outside the dates that can be kept (years 1900 to 9999): the time the message was received stands for it.`,
    );

  const login = mail.from === null ? null : await lookups.login(db, workspaceId, mail.from.email);
  if (login !== null && !login.active)
    trace.add('gate.sender', `${login.email} is a login user but not active.`);
  const sender = login !== null && login.active ? login : null;
  findings =
    workspace.senderAuthPolicy === 'off'
      ? NOT_CHECKED
      : await verifySender(message.raw, message.envelope, mail, {
          resolver: deps.verification.resolver,
          authservId: deps.verification.authservId,
          trustedAuthservIds: workspace.trustedAuthservIds,
        });
  const gate = checkGates(
    {
      message: mail,
      envelope: message.envelope,
      sender,
      authentication: authenticationVerdict(findings, workspace.senderAuthPolicy),
      policy: workspace.senderAuthPolicy,
      touchpointAddresses: workspace.everyTouchpointAddress,
    },
    trace,
  );
  // SPEC §11: nothing of a never-logged message is kept — no subject, participants or trace of it, and
  // no sender verification details; the entry says only that the list stopped it.
  const neverLogged = (): Evaluation => ({
    outcome: makeOutcome({
      ...base,
      status: 'ignored',
      reason: 'never-log',
      trace: [{ step: 'never-log', detail: NEVER_LOG_TRACE }],
    }),
    draft: null,
    authentication: null,
    from,
    noBody,
  });
  if (gate !== null || sender === null || mail.from === null) {
    // A message the gates stop keeps its headline in the log: not one with a listed participant (a
    // stranger's mail that copies a listed customer is classified here only to find out).
    if (
      mail.from !== null &&
      workspace.neverLog.length > 0 &&
      isNeverLogged(
        classifyMessage({ message: mail, sender: mail.from, workspace }, new TraceBuilder()),
        workspace.neverLog,
      )
    )
      return neverLogged();
    return stop(gate?.status ?? 'failed', gate?.reason ?? 'sender-not-a-user', headline);
  }

  const classified = classifyMessage({ message: mail, sender: mail.from, workspace }, trace);
  if (isNeverLogged(classified, workspace.neverLog)) return neverLogged();
  // Participants as the directory names them, a login once under its own address (issue 17).
  const known = await peopleKnownAs(
    db,
    workspaceId,
    classified.participants.map((p) => p.email),
  );
  const classification = {
    ...classified,
    participants: asTheDirectoryNamesThem(classified.participants, known),
  };
  // A failed forward's inbound entry shows the forwarded message's date, as its touchpoint would (issue 17).
  const seen = {
    ...headline,
    occurredAt: occurredAtOf(mail, classification),
    scenario: classification.scenario,
    participants: classification.participants,
  };
  let accountId: string;
  if (rerun?.kind === 'assign') {
    // A person chose the account: the account rules (SPEC §5) are not consulted, the choice is traced.
    trace.add('assign', `${rerun.by} assigned the message to account ${rerun.accountId}.`);
    accountId = rerun.accountId;
  } else {
    if (classification.customerAddresses.length === 0) {
      trace.add('customers', 'No customer (external) address found.');
      return stop('failed', 'no-customer-address', seen);
    }
    trace.add('customers', `Customer addresses, in order: ${classification.customerAddresses.join(', ')}.`);

    const decision = await resolveAccount(
      {
        customerAddresses: classification.customerAddresses,
        sender,
        now: receivedAt,
        knownMail: await findKnownMail(db, workspaceId, mailIdentity(mail, classification, rawSha256)),
      },
      sqlDirectory(db, workspaceId),
    );
    for (const entry of decision.trace) trace.add(entry.step, entry.detail);
    if (decision.kind === 'unmatched') return stop('failed', 'no-account', seen);
    if (decision.kind === 'ambiguous')
      return stop('failed', 'ambiguous-account', { ...seen, candidates: decision.candidates });
    accountId = decision.accountId;
  }

  const drafted = draftTouchpoint({
    message: mail,
    rawSha256,
    classification,
    accountId,
    workspace,
    author: sender,
    receivedAt,
    inboundId,
    trace: trace.entries,
  });
  const draft = noBody ? withoutBody(drafted) : drafted;
  return {
    outcome: matchedOutcome(workspace, classification, draft, trace.entries),
    draft,
    authentication: findings,
    from,
    noBody,
  };
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

/**
 * Workspace settings and senders, read once per batch of messages rather than once per message (a batch
 * is evaluated within a second; a settings change applies from the next batch).
 */
export class Lookups {
  readonly #workspaces = new Map<string, Promise<WorkspaceContext | null>>();
  readonly #logins = new Map<string, Promise<Login | null>>();

  workspace(db: Executor, id: string): Promise<WorkspaceContext | null> {
    let found = this.#workspaces.get(id);
    if (found === undefined) this.#workspaces.set(id, (found = loadWorkspaceContext(db, id)));
    return found;
  }

  login(db: Executor, workspaceId: string, address: Email): Promise<Login | null> {
    const key = `${workspaceId} ${address}`;
    let found = this.#logins.get(key);
    if (found === undefined) this.#logins.set(key, (found = findLoginByAddress(db, workspaceId, address)));
    return found;
  }
}

function describeMessage(from: string | null, messageId: string | null, envelope: Envelope): string {
  const rcpt = envelope.rcptTo.length > 0 ? `for ${envelope.rcptTo.join(', ')}` : 'without envelope';
  return `From ${from ?? '(none)'}, Message-ID ${messageId === null ? '(none)' : `<${messageId}>`}, ${rcpt}.`;
}
