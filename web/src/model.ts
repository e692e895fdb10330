// The shapes the UI reads from the API (README's API table, /api/openapi.json), decoded tolerantly.
import { bool, fields, list, num, str, strOrNull, strings, type Fields } from './decode.js';

export type Role = 'admin' | 'member';

export interface Login {
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly workspaceId: string;
}

export interface Session {
  readonly login: Login;
  readonly csrfToken: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export interface Account {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly parentName: string | null;
  /** Counts the account's detail gives: people, sub-accounts, touchpoints. */
  readonly counts: {
    readonly members: number | null;
    readonly children: number | null;
    readonly touchpoints: number | null;
  };
  readonly touchpointDefaultBccEmail: boolean;
  readonly salesforceAccountId: string | null;
  /** Every attribute as imported, for display. */
  readonly attributes: ReadonlyMap<string, unknown>;
  /** Health (SPEC §13): the last touch not in the future, who made it, touchpoints in 30 and 90 days. */
  readonly lastTouchAt: string | null;
  readonly lastTouchBy: string | null;
  readonly touchpoints30d: number;
  readonly touchpoints90d: number;
}

export interface Participant {
  readonly email: string;
  readonly name: string;
  readonly side: 'internal' | 'external';
}

export interface TraceStep {
  readonly step: string;
  readonly detail: string;
}

export interface TimelineItem {
  readonly id: string;
  readonly occurredAt: string;
  readonly subject: string;
  readonly reason: string | null;
  readonly flow: string;
  readonly author: string;
  readonly participants: readonly Participant[];
  readonly preview: string;
  readonly participantCount: number;
  readonly attachmentCount: number;
}

export interface Attachment {
  readonly name: string;
  readonly contentType: string;
  readonly size: number | null;
  /** Where the API serves it (a path of ours, never any other URL), or null when it has none. */
  readonly download: string | null;
}

export interface Touchpoint {
  readonly id: string;
  readonly accountId: string;
  readonly accountName: string | null;
  readonly subject: string;
  readonly occurredAt: string;
  readonly author: string;
  readonly authorName: string | null;
  readonly participants: readonly Participant[];
  readonly reason: string | null;
  readonly flow: string;
  readonly scenario: string | null;
  readonly text: string;
  /**
   * The text without quoted history and signature (a forward: the customer's words first, the forwarder's
   * note apart), or null when nothing was folded.
   */
  readonly visible: string | null;
  readonly html: string | null;
  readonly attachments: readonly Attachment[];
  /** Whether the message it was made from is still kept (SPEC §11). */
  readonly originalKept: boolean;
  readonly trace: readonly TraceStep[];
  readonly updatedAt: string;
}

export interface Edit {
  readonly at: string;
  readonly actor: string;
  readonly fields: readonly string[];
  readonly notify: string | null;
}

export interface InboundItem {
  readonly id: string;
  readonly receivedAt: string;
  readonly channel: string;
  readonly sender: string;
  readonly status: string;
  readonly reason: string | null;
  readonly scenario: string | null;
  readonly accountId: string | null;
  readonly candidates: readonly string[];
  /** The candidates with their names, when the detail gives them. */
  readonly candidateAccounts: readonly { readonly id: string; readonly name: string | null }[];
  readonly touchpointId: string | null;
  readonly participants: readonly Participant[];
  readonly subject: string | null;
  readonly occurredAt: string | null;
  readonly trace: readonly TraceStep[];
  /** Facts for operators, when the detail gives them. */
  readonly attempts: number | null;
  readonly lastError: string | null;
  readonly rcptTo: readonly string[];
  readonly authentication: string | null;
}

/** A team member as the logins API lists it (SPEC §1). */
export interface LoginUser {
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly aliases: readonly string[];
  readonly active: boolean;
  /** Whether the login can sign in to the web UI. */
  readonly hasPassword: boolean;
  readonly createdAt: string;
}

/** A customer person of the directory (SPEC §1), as the users API answers. */
export interface DirectoryUser {
  readonly id: string;
  readonly email: string | null;
  readonly name: string;
}

/** A user's membership of an account, as the memberships API lists it. */
export interface Membership {
  readonly userId: string;
  readonly accountId: string;
  readonly userEmail: string | null;
  readonly userName: string;
  /** UTC; the recency rule compares it (SPEC §5 A3). */
  readonly associatedAt: string | null;
  readonly isContact: boolean;
}

export type TokenRole = 'admin' | 'member' | 'intake';

/** An API token; its secret is never listed, only answered once at creation. */
export interface ApiToken {
  readonly id: string;
  readonly name: string;
  readonly role: TokenRole;
  readonly loginEmail: string | null;
  readonly createdAt: string;
}

export type SenderAuthPolicy = 'off' | 'dmarc' | 'strict';

export interface Settings {
  readonly name: string;
  readonly touchpointAddresses: readonly string[];
  readonly internalDomains: readonly string[];
  readonly defaultFlow: string;
  readonly defaultReason: string | null;
  readonly senderAuthPolicy: SenderAuthPolicy;
  readonly trustedAuthservIds: readonly string[];
}

export function decodePage<T>(value: unknown, item: (value: unknown) => T): Page<T> {
  const f = fields(value);
  return { items: list(f, 'items').map(item), nextCursor: strOrNull(f, 'nextCursor') };
}

/** What every login answer carries: its email, name and role. */
function loginIdentity(f: Fields): Pick<Login, 'email' | 'name' | 'role'> {
  return {
    email: str(f, 'email'),
    name: str(f, 'name'),
    role: str(f, 'role') === 'admin' ? 'admin' : 'member',
  };
}

export function decodeLogin(value: unknown): Login {
  const f = fields(value);
  return { ...loginIdentity(f), workspaceId: str(f, 'workspaceId') };
}

export function decodeSession(value: unknown): Session {
  const f = fields(value);
  return { login: decodeLogin(f.get('login')), csrfToken: str(f, 'csrfToken') };
}

export function decodeAccount(value: unknown): Account {
  const f = fields(value);
  const attributes = fields(f.get('attributes'));
  const flag = f.has('touchpointDefaultBccEmail')
    ? bool(f, 'touchpointDefaultBccEmail')
    : bool(attributes, 'touchpointDefaultBccEmail');
  return {
    id: str(f, 'id'),
    name: str(f, 'name'),
    parentId: strOrNull(f, 'parentId'),
    parentName: strOrNull(fields(f.get('parent')), 'name'),
    counts: {
      members: num(f, 'membersCount'),
      children: num(f, 'childrenCount'),
      touchpoints: num(f, 'touchpointCount'),
    },
    touchpointDefaultBccEmail: flag,
    salesforceAccountId: strOrNull(f, 'salesforceAccountId') ?? strOrNull(attributes, 'salesforceAccountId'),
    attributes,
    lastTouchAt: strOrNull(f, 'lastTouchAt'),
    lastTouchBy: strOrNull(f, 'lastTouchBy'),
    touchpoints30d: num(f, 'touchpoints30d') ?? 0,
    touchpoints90d: num(f, 'touchpoints90d') ?? 0,
  };
}

export function decodeParticipant(value: unknown): Participant {
  const f = fields(value);
  return { email: str(f, 'email'), name: str(f, 'name'), side: sideOf(f) };
}

function sideOf(f: Fields): 'internal' | 'external' {
  return str(f, 'side') === 'internal' ? 'internal' : 'external';
}

export function decodeTrace(values: readonly unknown[]): readonly TraceStep[] {
  return values.map((value) => {
    const f = fields(value);
    return { step: str(f, 'step'), detail: str(f, 'detail') };
  });
}

/** The author may come as an email or as `{email, name}`. */
function authorOf(f: Fields): { email: string; name: string | null } {
  const author = f.get('author');
  if (typeof author === 'string') return { email: author, name: strOrNull(f, 'authorName') };
  const a = fields(author);
  return {
    email: str(a, 'email', str(f, 'authorEmail')),
    name: strOrNull(a, 'name') ?? strOrNull(f, 'authorName'),
  };
}

export function decodeTimelineItem(value: unknown): TimelineItem {
  const f = fields(value);
  const author = authorOf(f);
  return {
    id: str(f, 'id'),
    occurredAt: str(f, 'occurredAt'),
    subject: str(f, 'subject'),
    reason: strOrNull(f, 'reason'),
    flow: str(f, 'flow'),
    author: author.name ?? author.email,
    participants: list(f, 'participants').map(decodeParticipant),
    preview: str(f, 'preview'),
    participantCount: num(f, 'participantCount') ?? list(f, 'participants').length,
    attachmentCount: num(f, 'attachmentCount') ?? 0,
  };
}

export function decodeTouchpoint(value: unknown): Touchpoint {
  const f = fields(value);
  const content = fields(f.get('content'));
  const account = f.get('account');
  const accountFields = fields(account);
  const author = authorOf(f);
  return {
    id: str(f, 'id'),
    accountId: typeof account === 'string' ? account : str(accountFields, 'id', str(f, 'accountId')),
    accountName: strOrNull(accountFields, 'name') ?? strOrNull(f, 'accountName'),
    subject: str(f, 'subject'),
    occurredAt: str(f, 'occurredAt'),
    author: author.email,
    authorName: author.name,
    participants: list(f, 'participants').map(decodeParticipant),
    reason: strOrNull(f, 'reason'),
    flow: str(f, 'flow'),
    scenario: strOrNull(fields(f.get('source')), 'scenario') ?? strOrNull(f, 'scenario'),
    text: str(content, 'text'),
    visible: strOrNull(content, 'visibleText') ?? strOrNull(content, 'visible'),
    html: strOrNull(content, 'html'),
    attachments: list(f, 'attachments').map((a) => {
      const af = fields(a);
      return {
        name: str(af, 'filename', str(af, 'name', '(unnamed)')),
        contentType: str(af, 'mimeType', str(af, 'contentType')),
        size: num(af, 'size'),
        download: ownPath(strOrNull(af, 'download')),
      };
    }),
    originalKept: bool(fields(f.get('source')), 'originalKept'),
    trace: decodeTrace(list(f, 'trace')),
    updatedAt: str(f, 'updatedAt'),
  };
}

/** A link the API gave, only when it is one of the API's own paths (no other scheme or host). */
function ownPath(value: string | null): string | null {
  return value !== null && value.startsWith('/api/v1/') ? value : null;
}

export function decodeEdit(value: unknown): Edit {
  const f = fields(value);
  const changes = f.get('changes');
  const changed = Array.isArray(changes) ? strings(f, 'changes') : [...fields(changes).keys()];
  return {
    at: str(f, 'at', str(f, 'editedAt')),
    actor: str(f, 'editor', str(f, 'actor')),
    fields: changed.length > 0 ? changed : strings(f, 'fields'),
    notify: strOrNull(f, 'notify'),
  };
}

export function decodeInbound(value: unknown): InboundItem {
  const f = fields(value);
  // The outcome object may be flat or nested under `outcome`.
  const o = f.has('outcome') && f.get('outcome') !== null ? fields(f.get('outcome')) : f;
  return {
    id: str(f, 'inboundId', str(f, 'id')),
    receivedAt: str(f, 'receivedAt'),
    channel: str(f, 'channel'),
    sender: str(f, 'sender', str(f, 'mailFrom')),
    status: str(o, 'status', str(f, 'status')),
    reason: strOrNull(o, 'reason') ?? strOrNull(f, 'reason'),
    scenario: strOrNull(o, 'scenario'),
    accountId: strOrNull(o, 'accountId'),
    candidates: strings(o, 'candidates'),
    candidateAccounts: list(f, 'candidateAccounts').map((value) => {
      const c = fields(value);
      return { id: str(c, 'id'), name: strOrNull(c, 'name') };
    }),
    touchpointId: strOrNull(o, 'touchpointId'),
    participants: list(o, 'participants').map(decodeParticipant),
    subject: strOrNull(o, 'subject') ?? strOrNull(f, 'subject'),
    occurredAt: strOrNull(o, 'occurredAt'),
    trace: decodeTrace(list(o, 'trace')),
    attempts: num(f, 'attempts'),
    lastError: strOrNull(f, 'lastError'),
    rcptTo: strings(f, 'rcptTo'),
    authentication: strOrNull(fields(f.get('authentication')), 'summary'),
  };
}

export function decodeLoginUser(value: unknown): LoginUser {
  const f = fields(value);
  return {
    ...loginIdentity(f),
    aliases: strings(f, 'aliases'),
    active: bool(f, 'active'),
    hasPassword: bool(f, 'hasPassword'),
    createdAt: str(f, 'createdAt'),
  };
}

export function decodeToken(value: unknown): ApiToken {
  const f = fields(value);
  const role = str(f, 'role');
  return {
    id: str(f, 'id'),
    name: str(f, 'name'),
    role: role === 'admin' || role === 'intake' ? role : 'member',
    loginEmail: strOrNull(f, 'loginEmail'),
    createdAt: str(f, 'createdAt'),
  };
}

/** The answer to creating a token: the token and its secret, which the API gives only this once. */
export function decodeCreatedToken(value: unknown): { token: ApiToken; secret: string } {
  return { token: decodeToken(value), secret: str(fields(value), 'token') };
}

export function decodeSettings(value: unknown): Settings {
  const f = fields(value);
  const policy = str(f, 'senderAuthPolicy', 'dmarc');
  return {
    name: str(f, 'name'),
    touchpointAddresses: strings(f, 'touchpointAddresses'),
    internalDomains: strings(f, 'internalDomains'),
    defaultFlow: str(f, 'defaultFlow', 'Default'),
    defaultReason: strOrNull(f, 'defaultReason'),
    senderAuthPolicy: policy === 'off' || policy === 'strict' ? policy : 'dmarc',
    trustedAuthservIds: strings(f, 'trustedAuthservIds'),
  };
}

export function decodeDirectoryUser(value: unknown): DirectoryUser {
  const f = fields(value);
  return { id: str(f, 'id'), email: strOrNull(f, 'email'), name: str(f, 'name') };
}

export function decodeMembership(value: unknown): Membership {
  const f = fields(value);
  return {
    userId: str(f, 'userId'),
    accountId: str(f, 'accountId'),
    userEmail: strOrNull(f, 'userEmail'),
    userName: str(f, 'userName'),
    associatedAt: strOrNull(f, 'associatedAt'),
    isContact: bool(f, 'isContact'),
  };
}
