// Row types of the store's tables, as Kysely sees them. Rows are not domain objects: repositories map.
// Portable column types so one migration serves SQLite and PostgreSQL: times are ISO-8601 UTC text
// (`Date.toISOString()`, which sorts as it reads), booleans are 0/1 integers, JSON is text.
import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';

export interface WorkspaceTable {
  id: string;
  name: string;
  default_flow: string;
  default_reason: string | null;
  /** off | dmarc | strict (SPEC §3 G3) */
  sender_auth_policy: string;
  /** JSON array: authserv-ids whose Authentication-Results headers are believed (SPEC §3 G3). */
  trusted_authserv_ids: Generated<string>;
  /** JSON array of normalized addresses and domains never logged (SPEC §11; migration 0017). */
  never_log: Generated<string>;
  /** full | no-body (SPEC §11) */
  storage: Generated<string>;
  /** Days raw messages are kept after processing; null keeps them. */
  raw_retention_days: Generated<number | null>;
  /** Days inbound entries that recorded nothing are kept after processing; null keeps them. */
  inbound_retention_days: Generated<number | null>;
  created_at: string;
  updated_at: string;
}

export interface TouchpointAddressTable {
  /** Normalized address; unique across workspaces since it routes mail to one of them. */
  address: string;
  workspace_id: string;
}

export interface InternalDomainTable {
  workspace_id: string;
  domain: string;
}

export interface LoginTable {
  workspace_id: string;
  email: string;
  name: string;
  /** admin | member */
  role: string;
  active: number;
  created_at: string;
  updated_at: string;
  /** 1 = a success receipt for each message logged from their mail (SPEC §7; off by default). */
  receipts: Generated<number>;
  /** `scrypt$N$r$p$salt$hash`; null when no password is set (migration 0008). */
  password_hash: Generated<string | null>;
}

export interface LoginAliasTable {
  workspace_id: string;
  address: string;
  login_email: string;
}

export interface AccountTable {
  workspace_id: string;
  id: string;
  name: string;
  parent_id: string | null;
  /** JSON object of the account's attributes, as imported. */
  attributes: string;
  /** attributes.touchpointDefaultBccEmail, kept as a column because the rules read it (SPEC §5 A2). */
  default_bcc: number;
  /** id and name folded for search (domain/search-text.ts); every writer sets it. */
  search_text: string;
  created_at: string;
  updated_at: string;
  /** Health (SPEC §13, migration 0016), kept by account-health-repository.ts: the newest occurredAt up to
   * the last write, '' when never touched; its author and touchpoint; the earliest one dated after it. */
  last_touch_at: Generated<string>;
  last_touch_by: Generated<string | null>;
  last_touch_id: Generated<string | null>;
  next_touch_at: Generated<string | null>;
}

/** Touchpoints of an account per UTC day (migration 0016): the 30/90-day figures are sums of these. */
export interface AccountTouchDayTable {
  workspace_id: string;
  account_id: string;
  /** YYYY-MM-DD */
  day: string;
  touchpoints: number;
}

export interface UserTable {
  workspace_id: string;
  id: string;
  email: string | null;
  email_domain: string | null;
  name: string;
  /** id, email and name folded for search (domain/search-text.ts); every writer sets it. */
  search_text: string;
  created_at: string;
  updated_at: string;
}

export interface MembershipTable {
  workspace_id: string;
  user_id: string;
  account_id: string;
  associated_at: string | null;
  is_contact: number;
}

export interface TouchpointTable {
  workspace_id: string;
  id: string;
  account_id: string;
  type: string;
  flow: string;
  reason: string | null;
  subject: string;
  content_text: string;
  /** content_text without quoted history and signature; null when nothing is folded. */
  content_visible: string | null;
  content_html: string | null;
  occurred_at: string;
  author_email: string;
  author_domain: string;
  /** bcc | forward | note, or null for imported history. */
  scenario: string | null;
  /** Identity of "the same mail" for idempotency (SPEC §6); null for imported history. */
  message_key: string | null;
  /** Second identity: original sender, minute and normalized subject, shared by a mail and its inline forward. */
  content_key: string | null;
  inbound_id: string | null;
  /** JSON: the decision trace. */
  trace: string;
  /** JSON: attachments' names, types and sizes. */
  attachments: string;
  created_at: string;
  updated_at: string;
}

export interface TouchpointParticipantTable {
  workspace_id: string;
  touchpoint_id: string;
  email: string;
  name: string;
  /** internal | external */
  side: string;
  position: number;
}

export interface InboundMessageTable {
  id: string;
  workspace_id: string;
  received_at: string;
  /** smtp | http | imap | cli */
  channel: string;
  raw: Uint8Array;
  raw_size: number;
  raw_sha256: string;
  mail_from: string | null;
  /** JSON array of envelope recipients of this workspace. */
  rcpt_to: string;
  /** queued | recorded | failed | ignored | pending */
  status: string;
  reason: string | null;
  /** JSON: the outcome object of INTERFACE.md once processed. */
  outcome: string | null;
  touchpoint_id: string | null;
  attempts: Generated<number>;
  updated_at: string;
  /** The worker holding the message while it processes it; null when free. */
  lease_owner: string | null;
  /** Until when the lease holds (or, after a processing error, when the message may be retried). */
  lease_until: string | null;
  /** The last processing error, for operators; never shown to senders. */
  last_error: string | null;
  /** The connecting client as SMTP saw it (SPF needs them); null for other channels. */
  client_ip: string | null;
  helo: string | null;
  /** JSON: the sender-authentication result (SPF, DKIM, DMARC) found while processing. */
  authentication: string | null;
  /** The From address, normalised, once the message was parsed (the inbound log's sender filter). */
  from_address: string | null;
  /** MAIL FROM normalised; null for the null sender or when there was no envelope. */
  envelope_sender: string | null;
  /** When the raw bytes were deleted (`raw` is then empty): never-log, no-body, retention, erasure. */
  raw_deleted_at: Generated<string | null>;
  /** When the message got its (latest) outcome; retention counts from it. Null while queued. */
  processed_at: Generated<string | null>;
}

export interface TouchpointEditTable {
  id: string;
  workspace_id: string;
  touchpoint_id: string;
  /** actorOf(principal) */
  editor: string;
  at: string;
  /** JSON: { field: { before, after } } */
  changes: string;
  /** JSON: participants added ({ email, name, side }). */
  participants_added: string;
  /** JSON: participants removed. */
  participants_removed: string;
  /** none | new | all */
  notify: string;
}

export interface ApiTokenTable {
  id: string;
  workspace_id: string;
  /** SHA-256 of the token, hex. */
  digest: string;
  name: string;
  /** admin | member | intake */
  role: string;
  login_email: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface OutboxTable {
  id: string;
  workspace_id: string;
  /** notice | salesforce */
  kind: string;
  /** Idempotency key: one row per key. */
  key: string;
  /** JSON: what the handler needs. */
  payload: string;
  /** queued | sending | sent | failed | cancelled */
  status: string;
  attempts: Generated<number>;
  due_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  done_at: string | null;
}

export interface AuditLogTable {
  id: string;
  workspace_id: string;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  /** JSON: { field: { before, after } } */
  changes: string;
}

export interface NoticeSendTable {
  id: string;
  /** The outbox item (kind notice) that was delivered. */
  outbox_id: string;
  workspace_id: string;
  /** Normalized recipient address; the per-recipient rate limit counts these rows. */
  recipient: string;
  sent_at: string;
}

export interface SessionTable {
  /** SHA-256 of the cookie value, hex. */
  id: string;
  workspace_id: string;
  login_email: string;
  csrf_secret: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
}

/** One-time sign-in links that set a login's password (migration 0018). */
export interface InvitationTable {
  /** SHA-256 of the token, hex; the token itself is never stored. */
  id: string;
  workspace_id: string;
  login_email: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** Failed sign-ins per (email, client address) digest within the current window (migration 0013). */
export interface SignInFailureTable {
  key: string;
  count: number;
  since: string;
}

export interface SalesforceSettingsTable {
  workspace_id: string;
  enabled: number;
  /** client-credentials | username-password */
  auth_flow: string;
  login_url: string;
  api_version: string;
  client_id: string | null;
  /** Sealed secrets (src/secrets/secret-box.ts): never plaintext. */
  client_secret: string | null;
  username: string | null;
  password: string | null;
  security_token: string | null;
  external_id_field: string;
  /** JSON: the Task field for subject, description, activityDate, type, status. */
  field_mapping: string;
  pause_below_share: number;
  paused_until: string | null;
  pause_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface SalesforceSyncTable {
  workspace_id: string;
  touchpoint_id: string;
  /** pending | synced | failed | paused */
  status: string;
  task_id: string | null;
  last_error: string | null;
  attempts: Generated<number>;
  /** Bumped on each queueing: an older attempt does not mark a newer version synced. */
  generation: Generated<number>;
  synced_at: string | null;
  updated_at: string;
}

/** What the IMAP intake took from a mailbox: see migrations/0014-imap-cursors.ts. */
export interface ImapCursorTable {
  workspace_id: string;
  /** user@host[:port]/MAILBOX */
  mailbox: string;
  /** UIDVALIDITY, in decimal. */
  uid_validity: string;
  /** The highest UID stored; a bigint, which PostgreSQL answers as a string. */
  last_uid: ColumnType<number | string, number, number>;
  updated_at: string;
}

export interface Database {
  imap_cursors: ImapCursorTable;
  notice_sends: NoticeSendTable;
  sessions: SessionTable;
  invitations: InvitationTable;
  sign_in_failures: SignInFailureTable;
  salesforce_settings: SalesforceSettingsTable;
  salesforce_sync: SalesforceSyncTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  api_tokens: ApiTokenTable;
  workspaces: WorkspaceTable;
  touchpoint_addresses: TouchpointAddressTable;
  internal_domains: InternalDomainTable;
  logins: LoginTable;
  login_aliases: LoginAliasTable;
  accounts: AccountTable;
  account_touch_days: AccountTouchDayTable;
  users: UserTable;
  memberships: MembershipTable;
  touchpoints: TouchpointTable;
  touchpoint_participants: TouchpointParticipantTable;
  inbound_messages: InboundMessageTable;
  touchpoint_edits: TouchpointEditTable;
}

/** What repository functions run on: the database itself or a transaction of it. */
export type Executor = Kysely<Database> | Transaction<Database>;

export type WorkspaceRow = Selectable<WorkspaceTable>;
export type AccountRow = Selectable<AccountTable>;
export type UserRow = Selectable<UserTable>;
export type MembershipRow = Selectable<MembershipTable>;
export type TouchpointRow = Selectable<TouchpointTable>;
export type InboundMessageRow = Selectable<InboundMessageTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type TouchpointEditRow = Selectable<TouchpointEditTable>;
export type SalesforceSettingsRow = Selectable<SalesforceSettingsTable>;
export type SalesforceSyncRow = Selectable<SalesforceSyncTable>;
export type NewInboundMessage = Insertable<InboundMessageTable>;
