// The workspace document of INTERFACE.md (`touchmail import`, `POST /api/v1/import`): its schema and
// validation into normalized records, naming the path of every bad field. A document may be partial: a
// field left out keeps what is stored (a new record gets the default), `null` clears a field that may be
// empty, and account attributes are merged key by key (RFC 7396, one level: `null` removes a key).
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Attributes } from '../domain/account-attributes.js';
import { findParentCycle } from '../domain/account-hierarchy.js';
import { normalizeDomain, normalizeEmail, type Email } from '../domain/address.js';
import { normalizeNeverLogEntry, type StorageMode } from '../domain/privacy.js';

const NonEmpty = Type.String({ minLength: 1, maxLength: 1000 });
const Name = (description: string) => Type.String({ maxLength: 1000, description });
const KEEPS = 'Left out: the stored value is kept';
const Timestamp = Type.String({ minLength: 1, maxLength: 64, description: 'ISO-8601 date-time' });

const RetentionDays = (what: string) =>
  Type.Union([Type.Integer({ minimum: 0, maximum: 36_500 }), Type.Null()], {
    description: `Days ${what} is kept after it was processed; 0: deleted by the next housekeeping run; null: kept (SPEC §11)`,
  });

/** The privacy settings of SPEC §11, as the document and `PUT …/settings` take them (all optional). */
export const PrivacyFields = {
  neverLog: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 320 }), {
      maxItems: 10_000,
      description:
        'Addresses and domains (subdomains included) whose mail is never logged: a message with any external participant on the list ends ignored: never-log and nothing of it is kept',
    }),
  ),
  storage: Type.Optional(
    Type.Union([Type.Literal('full'), Type.Literal('no-body')], {
      description:
        'full (the default), or no-body: touchpoints keep subject, participants, dates, author and trace, no body, HTML or attachments, and the raw message is deleted once processed. Applies to new mail only',
    }),
  ),
  rawRetentionDays: Type.Optional(RetentionDays('a raw message')),
  inboundRetentionDays: Type.Optional(RetentionDays('an inbound entry that recorded nothing')),
};

export const SENDER_AUTH_POLICIES = ['off', 'dmarc', 'strict'] as const;
export type SenderAuthPolicy = (typeof SENDER_AUTH_POLICIES)[number];

export const WorkspaceDocumentSchema = Type.Object(
  {
    workspace: Type.Object(
      {
        id: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }),
        name: Type.Optional(NonEmpty),
        touchpointAddresses: Type.Optional(Type.Array(NonEmpty)),
        internalDomains: Type.Optional(Type.Array(NonEmpty)),
        defaultFlow: Type.Optional(NonEmpty),
        defaultReason: Type.Optional(Type.Union([NonEmpty, Type.Null()])),
        trustedAuthservIds: Type.Optional(
          Type.Array(Type.String({ minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9.-]+$' })),
        ),
        senderAuthPolicy: Type.Optional(
          Type.Union([Type.Literal('off'), Type.Literal('dmarc'), Type.Literal('strict')]),
        ),
        ...PrivacyFields,
      },
      { additionalProperties: false },
    ),
    logins: Type.Optional(
      Type.Array(
        Type.Object(
          {
            email: NonEmpty,
            name: Type.Optional(Name(`${KEEPS} ("" for a new login)`)),
            role: Type.Optional(
              Type.Union([Type.Literal('admin'), Type.Literal('member')], {
                description: `${KEEPS} ("member" for a new login)`,
              }),
            ),
            aliases: Type.Optional(
              Type.Array(NonEmpty, {
                description: `Replaces the stored aliases ([] removes them). ${KEEPS}`,
              }),
            ),
            active: Type.Optional(Type.Boolean({ description: `${KEEPS} (true for a new login)` })),
          },
          {
            additionalProperties: false,
            description:
              'A login matched by email. An import that would leave a workspace that has an active admin without one is refused.',
          },
        ),
      ),
    ),
    accounts: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: NonEmpty,
            name: Type.Optional(Name(`${KEEPS} (the id for a new account)`)),
            parentId: Type.Optional(
              Type.Union([NonEmpty, Type.Null()], { description: `null: no parent. ${KEEPS}` }),
            ),
            attributes: Type.Optional(
              Type.Record(Type.String(), Type.Unknown(), {
                description:
                  'Merged into the stored attributes key by key: a key given replaces its value, null removes it, a key left out is kept',
              }),
            ),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    users: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: NonEmpty,
            email: Type.Optional(
              Type.Union([NonEmpty, Type.Null()], { description: `null: no email. ${KEEPS}` }),
            ),
            name: Type.Optional(Name(`${KEEPS} ("" for a new user)`)),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    memberships: Type.Optional(
      Type.Array(
        Type.Object(
          {
            userId: NonEmpty,
            accountId: NonEmpty,
            associatedAt: Type.Optional(
              Type.Union([Timestamp, Type.Null()], { description: `null: unknown. ${KEEPS}` }),
            ),
            isContact: Type.Optional(Type.Boolean({ description: `${KEEPS} (false for a new membership)` })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    touchpoints: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.Optional(NonEmpty),
            accountId: NonEmpty,
            authorEmail: NonEmpty,
            occurredAt: Timestamp,
            subject: Type.Optional(Type.String({ maxLength: 10_000 })),
            content: Type.Optional(Type.String()),
            type: Type.Optional(NonEmpty),
            flow: Type.Optional(NonEmpty),
            reason: Type.Optional(Type.Union([NonEmpty, Type.Null()])),
          },
          {
            additionalProperties: false,
            description:
              'Past touchpoints, matched by id (without one, by account, author, occurredAt and subject). On an update a field left out keeps the stored value',
          },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);

export type WorkspaceDocumentInput = Static<typeof WorkspaceDocumentSchema>;

/**
 * A validated document with every address and domain normalized and every date made ISO-8601 UTC. A
 * field `undefined` was left out: the import keeps the stored value, or gives a new record its default.
 */
export interface WorkspaceDocument {
  readonly workspace: {
    readonly id: string;
    readonly name: string | undefined;
    readonly touchpointAddresses: readonly Email[] | undefined;
    readonly internalDomains: readonly string[] | undefined;
    readonly defaultFlow: string | undefined;
    readonly defaultReason: string | null | undefined;
    readonly senderAuthPolicy: SenderAuthPolicy | undefined;
    readonly trustedAuthservIds: readonly string[] | undefined;
    readonly neverLog: readonly string[] | undefined;
    readonly storage: StorageMode | undefined;
    readonly rawRetentionDays: number | null | undefined;
    readonly inboundRetentionDays: number | null | undefined;
  };
  readonly logins: readonly {
    email: Email;
    name: string | undefined;
    role: 'admin' | 'member' | undefined;
    aliases: readonly Email[] | undefined;
    active: boolean | undefined;
  }[];
  readonly accounts: readonly {
    id: string;
    name: string | undefined;
    parentId: string | null | undefined;
    /** Merged into the stored attributes (mergeAttributes). */
    attributes: Attributes | undefined;
  }[];
  readonly users: readonly { id: string; email: Email | null | undefined; name: string | undefined }[];
  readonly memberships: readonly {
    userId: string;
    accountId: string;
    associatedAt: string | null | undefined;
    isContact: boolean | undefined;
  }[];
  readonly touchpoints: readonly {
    id: string | undefined;
    accountId: string;
    authorEmail: Email;
    occurredAt: string;
    subject: string | undefined;
    content: string | undefined;
    type: string | undefined;
    flow: string | undefined;
    reason: string | null | undefined;
  }[];
}

/** One problem with a document: a JSON path (`users[3].email`) and what is wrong there. */
export interface DocumentProblem {
  readonly path: string;
  readonly message: string;
}

export type DocumentValidation =
  | { readonly ok: true; readonly document: WorkspaceDocument }
  | { readonly ok: false; readonly problems: readonly DocumentProblem[] };

/** Problems reported at most: a 100k-row file with one systematic mistake should not print 100k lines. */
const MAX_PROBLEMS = 20;

const validator = Compile(WorkspaceDocumentSchema);

/** Checks shape and values of a parsed JSON document; references to stored rows are checked on import. */
export function validateWorkspaceDocument(input: unknown): DocumentValidation {
  if (!validator.Check(input)) {
    const problems: DocumentProblem[] = [];
    for (const error of validator.Errors(input)) {
      if (error.keyword === 'boolean') continue; // duplicated by its additionalProperties error
      const params: Record<string, unknown> = error.params;
      const path = toPath(error.instancePath);
      if (Array.isArray(params.requiredProperties)) {
        for (const name of params.requiredProperties) {
          problems.push({
            path: path === '(document)' ? String(name) : `${path}.${String(name)}`,
            message: 'is required',
          });
        }
      } else if (Array.isArray(params.additionalProperties)) {
        problems.push({ path, message: `unknown field(s): ${params.additionalProperties.join(', ')}` });
      } else {
        problems.push({ path, message: error.message });
      }
      if (problems.length >= MAX_PROBLEMS) break;
    }
    return { ok: false, problems };
  }
  return normalizeDocument(input);
}

function normalizeDocument(input: WorkspaceDocumentInput): DocumentValidation {
  const problems: DocumentProblem[] = [];
  const problem = (path: string, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ path, message });
  };
  const email = (raw: string, path: string): Email => {
    const normalized = normalizeEmail(raw);
    if (normalized === null) problem(path, `not an email address: ${JSON.stringify(raw)}`);
    return normalized ?? ('' as Email);
  };
  const time = (raw: string, path: string): string => {
    const ms = Date.parse(raw);
    if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(ms)) {
      problem(path, `not an ISO-8601 date-time: ${JSON.stringify(raw)}`);
      return '';
    }
    return new Date(ms).toISOString();
  };
  const unique = <T>(
    items: readonly T[],
    key: (item: T) => string,
    path: (i: number) => string,
    what: string,
  ) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const k = key(item);
      const first = seen.get(k);
      if (first !== undefined)
        problem(path(i), `duplicate ${what} ${JSON.stringify(k)} (also at ${path(first)})`);
      else seen.set(k, i);
    });
  };

  const ws = input.workspace;
  const workspace = {
    id: ws.id,
    name: ws.name,
    touchpointAddresses: ws.touchpointAddresses?.map((a, i) =>
      email(a, `workspace.touchpointAddresses[${i}]`),
    ),
    internalDomains: ws.internalDomains?.map((d, i) => {
      const domain = normalizeDomain(d.replace(/^@/, ''));
      if (domain === null)
        problem(`workspace.internalDomains[${i}]`, `not a domain name: ${JSON.stringify(d)}`);
      return domain ?? '';
    }),
    defaultFlow: ws.defaultFlow,
    defaultReason: ws.defaultReason,
    senderAuthPolicy: ws.senderAuthPolicy,
    trustedAuthservIds: ws.trustedAuthservIds?.map((id) => id.toLowerCase()),
    neverLog:
      ws.neverLog === undefined
        ? undefined
        : [
            ...new Set(
              ws.neverLog.map((entry, i) => {
                const normalized = normalizeNeverLogEntry(entry);
                if (normalized === null)
                  problem(
                    `workspace.neverLog[${i}]`,
                    `not an email address or a domain name: ${JSON.stringify(entry)}`,
                  );
                return normalized ?? '';
              }),
            ),
          ].sort(),
    storage: ws.storage,
    rawRetentionDays: ws.rawRetentionDays,
    inboundRetentionDays: ws.inboundRetentionDays,
  };

  const logins = (input.logins ?? []).map((l, i) => ({
    email: email(l.email, `logins[${i}].email`),
    name: l.name,
    role: l.role,
    aliases: l.aliases?.map((a, j) => email(a, `logins[${i}].aliases[${j}]`)),
    active: l.active,
  }));
  const loginAddresses = new Map<string, string>();
  logins.forEach((l, i) => {
    [l.email, ...(l.aliases ?? [])].forEach((address, j) => {
      const path = j === 0 ? `logins[${i}].email` : `logins[${i}].aliases[${j - 1}]`;
      const owner = loginAddresses.get(address);
      if (owner !== undefined && owner !== l.email)
        problem(path, `${address} already belongs to login ${owner}`);
      loginAddresses.set(address, l.email);
    });
  });
  unique(
    logins,
    (l) => l.email,
    (i) => `logins[${i}].email`,
    'login',
  );

  const accounts = (input.accounts ?? []).map((a) => ({
    id: a.id,
    name: a.name,
    parentId: a.parentId,
    attributes: a.attributes,
  }));
  unique(
    accounts,
    (a) => a.id,
    (i) => `accounts[${i}].id`,
    'account id',
  );
  accounts.forEach((a, i) => {
    const flag = a.attributes?.touchpointDefaultBccEmail;
    if (flag !== undefined && flag !== null && typeof flag !== 'boolean') {
      problem(`accounts[${i}].attributes.touchpointDefaultBccEmail`, 'must be true, false or null');
    }
  });
  // Among the document's own links; a cycle through stored parents is found on import.
  const parentCycle = findParentCycle(accounts);
  if (parentCycle !== null)
    problem(`accounts[${parentCycle.index}].parentId`, `parent cycle: ${parentCycle.ids.join(' → ')}`);

  const users = (input.users ?? []).map((u, i) => ({
    id: u.id,
    email: u.email === undefined || u.email === null ? u.email : email(u.email, `users[${i}].email`),
    name: u.name,
  }));
  unique(
    users,
    (u) => u.id,
    (i) => `users[${i}].id`,
    'user id',
  );

  const memberships = (input.memberships ?? []).map((m, i) => ({
    userId: m.userId,
    accountId: m.accountId,
    associatedAt:
      m.associatedAt === undefined || m.associatedAt === null
        ? m.associatedAt
        : time(m.associatedAt, `memberships[${i}].associatedAt`),
    isContact: m.isContact,
  }));
  unique(
    memberships,
    (m) => `${m.userId} ↔ ${m.accountId}`,
    (i) => `memberships[${i}]`,
    'membership',
  );

  const touchpoints = (input.touchpoints ?? []).map((t, i) => ({
    id: t.id,
    accountId: t.accountId,
    authorEmail: email(t.authorEmail, `touchpoints[${i}].authorEmail`),
    occurredAt: time(t.occurredAt, `touchpoints[${i}].occurredAt`),
    subject: t.subject,
    content: t.content,
    type: t.type,
    flow: t.flow,
    reason: t.reason,
  }));

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, document: { workspace, logins, accounts, users, memberships, touchpoints } };
}

/** `/users/3/email` → `users[3].email` */
function toPath(pointer: string): string {
  if (pointer === '') return '(document)';
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce(
      (path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path === '' ? part : `${path}.${part}`),
      '',
    );
}
