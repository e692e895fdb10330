// Schemas of the directory routes (accounts, users, memberships) and the account timeline. They validate
// requests, serialize answers, and make the OpenAPI document.
import { Type, type Static } from 'typebox';
import { PageOf, PagingQuery } from '../paging.js';
import { Nullable } from './common.js';

const Id = Type.String({ minLength: 1, maxLength: 1000 });
const Name = Type.String({ maxLength: 1000 });
/** Null first: Fastify's Ajv coerces types, and a string branch tried first would turn null into "". */
/** A search: no control characters (the stored search text separates fields with newlines). */
const Search = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[^\\u0000-\\u001f\\u007f]*$',
  description: 'Case-insensitive; matches anywhere in the id or name (users: also the email).',
});
const Timestamp = Type.String({
  maxLength: 64,
  description: 'ISO-8601 with a zone (2026-01-05T10:00:00Z) or a date; stored in UTC.',
});

const Attributes = Type.Record(Type.String({ maxLength: 200 }), Type.Unknown(), {
  description:
    "The account's own keys. Touchmail reads two: touchpointDefaultBccEmail (boolean, SPEC §5 A2: preferred " +
    'when a contact belongs to several accounts) and salesforceAccountId (the Salesforce Account id, 15 or 18 ' +
    'characters, SPEC §9).',
});

export const AccountParams = Type.Object({ ws: Type.String(), id: Id });
export const UserParams = Type.Object({ ws: Type.String(), id: Id });
export const MembershipParams = Type.Object({ ws: Type.String(), userId: Id, accountId: Id });

export const AccountSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  parentId: Nullable(Type.String()),
  attributes: Attributes,
  createdAt: Type.String(),
  updatedAt: Type.String(),
  // Health (SPEC §13), kept as touchpoints are written, never counted from the timeline on read.
  lastTouchAt: Nullable(
    Type.String({
      description:
        'The newest occurredAt of its touchpoints not in the future (mail, meetings, imported history); null when never touched.',
    }),
  ),
  lastTouchBy: Nullable(Type.String({ description: "That touchpoint's author email." })),
  touchpoints30d: Type.Integer({
    description: 'Touchpoints with occurredAt in the last 30 days up to now, inclusive.',
  }),
  touchpoints90d: Type.Integer({
    description: 'Touchpoints with occurredAt in the last 90 days up to now, inclusive.',
  }),
  domains: Type.Array(Type.String(), {
    description: 'Email domains the account owns (SPEC §5 step B); [] when none.',
  }),
});

export const AccountDetailSchema = Type.Object(
  {
    ...AccountSchema.properties,
    parent: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
    childrenCount: Type.Integer(),
    membersCount: Type.Integer(),
    touchpointCount: Type.Integer(),
  },
  { description: 'An account with its parent and how many children, members and touchpoints it has.' },
);

export const AccountListQuery = Type.Object({
  ...PagingQuery,
  q: Type.Optional(Search),
  parentId: Type.Optional(Id),
  sort: Type.Optional(
    Type.Union([Type.Literal('lastTouchAt'), Type.Literal('-lastTouchAt'), Type.Literal('name')], {
      description:
        'lastTouchAt: coldest first, never-touched accounts before all; -lastTouchAt: most recently touched first, ' +
        'never-touched last; name. Ties by name, then id. Without it: id order, or lastTouchAt with notTouchedSince.',
    }),
  ),
  notTouchedSince: Type.Optional(
    Type.String({
      maxLength: 64,
      description: 'ISO-8601: only the accounts whose lastTouchAt is before it, or null (never touched).',
    }),
  ),
});
export const AccountPage = PageOf(
  AccountSchema,
  'Accounts with their health, in the order asked (id by default).',
);

export const NewAccountBody = Type.Object(
  {
    id: Id,
    name: Type.Optional(Name),
    parentId: Type.Optional(Nullable(Id)),
    attributes: Type.Optional(Attributes),
  },
  { additionalProperties: false },
);
export const AccountPatchBody = Type.Object(
  {
    name: Type.Optional(Name),
    parentId: Type.Optional(Nullable(Id)),
    attributes: Type.Optional(
      Type.Record(Type.String({ maxLength: 200 }), Type.Unknown(), {
        description: 'Merged into the stored attributes (RFC 7396): a key set to null is removed.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const UserSchema = Type.Object({
  id: Type.String(),
  email: Nullable(Type.String()),
  name: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const UserDetailSchema = Type.Object(
  {
    ...UserSchema.properties,
    memberships: Type.Array(
      Type.Object({
        accountId: Type.String(),
        accountName: Type.String(),
        associatedAt: Nullable(Type.String()),
        isContact: Type.Boolean(),
      }),
      { description: 'The first 200 accounts of the user by id; GET …/memberships?userId= pages them all.' },
    ),
  },
  { description: 'A user (customer person) with the accounts they belong to.' },
);

export const UserListQuery = Type.Object({
  ...PagingQuery,
  q: Type.Optional(Search),
  accountId: Type.Optional(Id),
  email: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 1000,
      description: 'Only users with exactly this email, normalized as the import does (case, IDN).',
    }),
  ),
});
export const UserPage = PageOf(UserSchema, 'Users in id order.');

const EmailField = Nullable(
  Type.String({ minLength: 1, maxLength: 1000, description: 'Normalized as the import does (SPEC §1).' }),
);
export const NewUserBody = Type.Object(
  { id: Id, email: Type.Optional(EmailField), name: Type.Optional(Name) },
  { additionalProperties: false },
);
export const UserPatchBody = Type.Object(
  { email: Type.Optional(EmailField), name: Type.Optional(Name) },
  { additionalProperties: false },
);

export const MembershipSchema = Type.Object({
  userId: Type.String(),
  accountId: Type.String(),
  associatedAt: Nullable(Type.String({ description: 'UTC; the recency rule compares it (SPEC §5 A3).' })),
  isContact: Type.Boolean(),
});
export const MembershipListItemSchema = Type.Object({
  ...MembershipSchema.properties,
  userEmail: Nullable(Type.String()),
  userName: Type.String(),
  accountName: Type.String(),
});
export const MembershipListQuery = Type.Object({
  ...PagingQuery,
  accountId: Type.Optional(Id),
  userId: Type.Optional(Id),
});
export const MembershipPage = PageOf(MembershipListItemSchema, 'Memberships in (user id, account id) order.');
export const NewMembershipBody = Type.Object(
  {
    userId: Id,
    accountId: Id,
    associatedAt: Type.Optional(Nullable(Timestamp)),
    isContact: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const MembershipPatchBody = Type.Object(
  { associatedAt: Type.Optional(Nullable(Timestamp)), isContact: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const TimelineItemSchema = Type.Object({
  id: Type.String(),
  occurredAt: Type.String(),
  subject: Type.String(),
  type: Type.String(),
  flow: Type.String(),
  reason: Nullable(Type.String()),
  authorEmail: Type.String(),
  authorName: Nullable(Type.String({ description: "The author login's name; null when no login has it." })),
  scenario: Nullable(Type.String({ description: 'bcc | forward | note; null for imported history.' })),
  participants: Type.Array(Type.Object({ email: Type.String(), name: Type.String(), side: Type.String() }), {
    description: 'The first 20 participants in order; participantCount says how many there are.',
  }),
  participantCount: Type.Integer(),
  preview: Type.String({ description: 'The first 200 characters of the visible content.' }),
  attachmentCount: Type.Integer(),
});
export const TimelineQuery = Type.Object({ ...PagingQuery });
export const TimelinePage = PageOf(TimelineItemSchema, 'Touchpoints of the account, newest first.');

export const NoContent = Type.Null({ description: 'Deleted.' });

export type NewAccountInput = Static<typeof NewAccountBody>;
export type AccountPatchInput = Static<typeof AccountPatchBody>;
