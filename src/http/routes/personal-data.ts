// A person's data (SPEC §11, GDPR art. 15 and 17), admins only: export everything stored about an email
// address, and erase it (audited as person.erase with counts, never the address).
import { Type, type Static } from 'typebox';
import { erasePerson, exportPerson } from '../../app/person-data.js';
import { ADMINS, authorize, type ApiRoutes } from '../context.js';
import { changeContext, valueOf } from '../directory-change.js';
import { ErrorSchema, Nullable, WorkspaceParams } from '../schemas/common.js';
import { readErrors, writeErrors } from '../schemas/directory-errors.js';

const tags = ['privacy'];
const Address = Type.String({ minLength: 1, maxLength: 320, description: 'The person’s email address' });

const ErasureBody = Type.Object({ email: Address }, { additionalProperties: false });
const Count = Type.Integer({ minimum: 0 });
const ErasureSchema = Type.Object(
  {
    users: Count,
    memberships: Count,
    touchpoints: Type.Integer({ minimum: 0, description: 'Kept, the address replaced by [erased]' }),
    participants: Count,
    inboundMessages: Type.Integer({ minimum: 0, description: 'Deleted with their raw messages' }),
    outboxItems: Count,
    noticeSends: Count,
    touchpointEdits: Count,
    auditEntries: Count,
  },
  { description: 'What the erasure removed or changed, by kind' },
);

const PersonalDataQuery = Type.Object({ email: Address }, { additionalProperties: false });
const PersonalDataSchema = Type.Object(
  {
    email: Type.String(),
    users: Type.Array(
      Type.Object({
        id: Type.String(),
        email: Nullable(Type.String()),
        name: Type.String(),
        createdAt: Type.String(),
      }),
    ),
    memberships: Type.Array(
      Type.Object({
        userId: Type.String(),
        accountId: Type.String(),
        associatedAt: Nullable(Type.String()),
        isContact: Type.Boolean(),
      }),
    ),
    touchpoints: Type.Array(
      Type.Object({
        id: Type.String(),
        accountId: Type.String(),
        type: Type.String(),
        subject: Type.String(),
        occurredAt: Type.String(),
        author: Type.String(),
        participant: Nullable(Type.Object({ name: Type.String(), side: Type.String() })),
        contentText: Type.String(),
      }),
    ),
    inboundMessages: Type.Array(
      Type.Object({
        id: Type.String(),
        receivedAt: Type.String(),
        channel: Type.String(),
        status: Type.String(),
        reason: Nullable(Type.String()),
        subject: Nullable(Type.String()),
        rawKept: Type.Boolean(),
      }),
    ),
    outboxItems: Type.Array(
      Type.Object({
        id: Type.String(),
        kind: Type.String(),
        status: Type.String(),
        createdAt: Type.String(),
      }),
    ),
  },
  { description: 'Everything stored about one email address in the workspace' },
);

export const personalDataRoutes: ApiRoutes = (app, context) => {
  app.get<{ Params: Static<typeof WorkspaceParams>; Querystring: Static<typeof PersonalDataQuery> }>(
    '/api/v1/workspaces/:ws/personal-data',
    {
      schema: {
        tags,
        description:
          'Everything stored about an email address (admin; GDPR art. 15): users, memberships, the touchpoints it ' +
          'is a participant of or mentioned in, inbound messages and outbox items that carry it.',
        params: WorkspaceParams,
        querystring: PersonalDataQuery,
        response: { 200: PersonalDataSchema, ...readErrors, 403: ErrorSchema },
      },
    },
    async (request) => {
      await authorize(request, context, ADMINS);
      return valueOf(
        await exportPerson({ store: context.store, workspaceId: request.params.ws }, request.query.email),
      );
    },
  );

  app.post<{ Params: Static<typeof WorkspaceParams>; Body: Static<typeof ErasureBody> }>(
    '/api/v1/workspaces/:ws/erasures',
    {
      schema: {
        tags,
        description:
          'Erases a person (admin; SPEC §11, GDPR art. 17): the user and memberships deleted; in kept touchpoints (participants, ' +
          'trace, subject, text), their edits and the audit log the address becomes [erased]; inbound messages and outbox ' +
          'items that carry it deleted. Audited as person.erase with the counts, never the address. A later mail from ' +
          'the address is handled as from a stranger.',
        params: WorkspaceParams,
        body: ErasureBody,
        response: { 200: ErasureSchema, ...writeErrors },
      },
    },
    async (request) => {
      const principal = await authorize(request, context, ADMINS);
      const ws = request.params.ws;
      return valueOf(await erasePerson(changeContext(context, principal, ws), request.body.email));
    },
  );
  return Promise.resolve();
};
