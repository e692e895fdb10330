// Schemas of the identity routes: login users, API tokens, sessions, settings and the audit log.
import { Type } from 'typebox';
import { PrivacyFields } from '../../app/workspace-document.js';
import { Nullable } from './common.js';

export const Role = Type.Union([Type.Literal('admin'), Type.Literal('member')], {
  description: "admin (the seed's global admin: settings, integrations, directory) or member",
});
export const TokenRoleSchema = Type.Union(
  [Type.Literal('admin'), Type.Literal('member'), Type.Literal('intake')],
  { description: 'admin, member, or intake (may only deliver mail)' },
);

/** RFC 5321: an address is at most 64 + 1 + 255 octets. */
export const EmailText = Type.String({ minLength: 3, maxLength: 320 });
const Name = Type.String({ maxLength: 1000 });
/** Aliases per login: a person has a few addresses, not thousands. */
const MAX_ALIASES = 50;

export const LoginSchema = Type.Object(
  {
    email: Type.String(),
    name: Type.String(),
    role: Role,
    aliases: Type.Array(Type.String()),
    active: Type.Boolean(),
    hasPassword: Type.Boolean({ description: 'Whether the login can sign in to the web UI' }),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { description: 'A team member (login user, SPEC §1)' },
);

export const LoginCreateBody = Type.Object(
  {
    email: EmailText,
    name: Type.Optional(Name),
    role: Type.Optional(Role),
    aliases: Type.Optional(Type.Array(EmailText, { maxItems: MAX_ALIASES })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const LoginPatchBody = Type.Object(
  {
    name: Type.Optional(Name),
    role: Type.Optional(Role),
    aliases: Type.Optional(Type.Array(EmailText, { maxItems: MAX_ALIASES })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const InvitationAcceptBody = Type.Object(
  {
    token: Type.String({
      maxLength: 200,
      description: 'The token of the invitation link (after #/invitation/)',
    }),
    password: Type.String({ maxLength: 256, description: '12 to 256 characters' }),
  },
  { additionalProperties: false },
);

export const InvitationSchema = Type.Object({
  link: Type.String({ description: 'The one-time sign-in link to give the login; shown once' }),
  expiresAt: Type.String({ format: 'date-time' }),
});

export const PasswordBody = Type.Object(
  {
    newPassword: Type.String({ maxLength: 256, description: '12 to 256 characters' }),
    currentPassword: Type.Optional(
      Type.String({ maxLength: 256, description: 'Required when a login changes its own password' }),
    ),
  },
  { additionalProperties: false },
);

export const TokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: TokenRoleSchema,
  loginEmail: Nullable(Type.String()),
  createdAt: Type.String(),
  revokedAt: Nullable(Type.String()),
});

export const TokenCreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: Type.Optional(TokenRoleSchema),
    loginEmail: Type.Optional(Nullable(EmailText)),
  },
  { additionalProperties: false },
);

export const SessionBody = Type.Object(
  {
    email: Type.String({ maxLength: 320 }),
    password: Type.String({ maxLength: 256 }),
    workspaceId: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const SessionSchema = Type.Object(
  {
    login: Type.Object({ email: Type.String(), name: Type.String(), role: Role, workspaceId: Type.String() }),
    csrfToken: Type.String({ description: 'Send as X-CSRF-Token on every POST, PUT, PATCH and DELETE' }),
  },
  { description: 'Who is signed in' },
);

const Settings = {
  name: Type.String({ minLength: 1, maxLength: 1000 }),
  touchpointAddresses: Type.Array(EmailText, {
    minItems: 1,
    maxItems: 50,
    description: 'Addresses that route mail to this workspace; unique across workspaces',
  }),
  internalDomains: Type.Array(Type.String({ minLength: 1, maxLength: 255 }), {
    maxItems: 200,
    description: 'The team’s domains; subdomains are internal too (SPEC §4)',
  }),
  defaultFlow: Type.String({ minLength: 1, maxLength: 1000 }),
  defaultReason: Nullable(Type.String({ minLength: 1, maxLength: 1000 })),
  senderAuthPolicy: Type.Union([Type.Literal('off'), Type.Literal('dmarc'), Type.Literal('strict')], {
    description: 'off, dmarc (the default) or strict (SPEC §3 G3)',
  }),
  trustedAuthservIds: Type.Array(Type.String({ minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9.-]+$' }), {
    maxItems: 50,
    description:
      'Authserv-ids whose Authentication-Results (and ARC seals) are believed, and host names whose Received headers name the client of mail without a client IP (IMAP, webhooks, CLI)',
  }),
};

export const SettingsSchema = Type.Object(
  {
    ...Settings,
    neverLog: Type.Array(Type.String(), {
      description: 'Normalized addresses and domains whose mail is never logged (SPEC §11)',
    }),
    storage: Type.Union([Type.Literal('full'), Type.Literal('no-body')], {
      description: 'What recorded mail keeps (SPEC §11); full by default',
    }),
    rawRetentionDays: Nullable(Type.Integer({ description: 'null: raw messages are kept' })),
    inboundRetentionDays: Nullable(Type.Integer({ description: 'null: entries are kept' })),
  },
  { description: 'A workspace’s settings (SPEC §8, §11)' },
);
/** The privacy settings (SPEC §11) may be left out: they are then kept as stored. */
export const SettingsBody = Type.Object({ ...Settings, ...PrivacyFields }, { additionalProperties: false });

export const AuditEntrySchema = Type.Object({
  id: Type.String(),
  at: Type.String(),
  actor: Type.String({ description: "A login's email, token:<id>, or admin-token" }),
  action: Type.String({ description: 'settings.update, login.create, token.revoke, workspace.import, …' }),
  subject: Nullable(Type.String()),
  changes: Type.Record(Type.String(), Type.Object({ before: Type.Unknown(), after: Type.Unknown() })),
});
