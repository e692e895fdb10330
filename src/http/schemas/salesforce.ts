// Schemas of the Salesforce routes: the settings (secrets write-only), the test answer, a touchpoint's
// sync state. They validate, serialize and make the OpenAPI document.
import { Type } from 'typebox';
import { Nullable } from './common.js';

const AuthFlow = Type.Union([Type.Literal('client-credentials'), Type.Literal('username-password')], {
  description:
    'client-credentials: the connected app runs as its execution user (login URL = My Domain URL); username-password: the OAuth2 password grant',
});

const FieldName = Type.String({ minLength: 1, maxLength: 80, description: 'A Task field API name' });

const FieldMapping = Type.Object(
  {
    subject: FieldName,
    description: FieldName,
    activityDate: FieldName,
    type: FieldName,
    status: FieldName,
  },
  { description: 'Which Task field receives each part of the touchpoint' },
);

const Configured = Type.Object(
  { configured: Type.Boolean() },
  { description: 'Secrets are write-only: only whether one is stored is shown' },
);

export const SalesforceSettingsSchema = Type.Object({
  enabled: Type.Boolean(),
  authFlow: AuthFlow,
  loginUrl: Type.String(),
  apiVersion: Type.String(),
  clientId: Nullable(Type.String()),
  username: Nullable(Type.String()),
  clientSecret: Configured,
  password: Configured,
  securityToken: Configured,
  externalIdField: Type.String(),
  fieldMapping: FieldMapping,
  pauseBelowShare: Type.Number(),
  paused: Nullable(
    Type.Object(
      { until: Type.String(), reason: Type.String() },
      { description: 'The sync waits until then (API limits, Salesforce unavailable, a refused login)' },
    ),
  ),
  updatedAt: Nullable(Type.String()),
});

const Secret = (description: string) =>
  Type.Optional(
    Nullable(
      Type.String({
        maxLength: 1024,
        description: `${description}; leave out to keep the stored one, null or "" to remove it`,
      }),
    ),
  );

export const SalesforceSettingsBody = Type.Object(
  {
    enabled: Type.Boolean({ description: 'Write each touchpoint created or edited as a Salesforce Task' }),
    authFlow: AuthFlow,
    loginUrl: Type.String({
      maxLength: 300,
      description:
        'https://login.salesforce.com, https://test.salesforce.com or the My Domain URL: https on a Salesforce domain, or a host of TOUCHMAIL_SALESFORCE_EXTRA_HOSTS',
    }),
    apiVersion: Type.String({ maxLength: 8, description: 'REST API version, like 62.0' }),
    clientId: Nullable(Type.String({ maxLength: 512, description: 'The connected app’s consumer key' })),
    username: Nullable(Type.String({ maxLength: 320, description: 'For the username-password flow' })),
    clientSecret: Secret('The connected app’s consumer secret'),
    password: Secret('The Salesforce user’s password (username-password flow)'),
    securityToken: Secret('Appended to the password when the org requires it'),
    externalIdField: Type.String({
      maxLength: 80,
      description:
        'A custom external-id text field on Task that carries the touchpoint id, like Touchmail_Id__c',
    }),
    fieldMapping: Type.Optional(
      Type.Object(
        {
          subject: Type.Optional(FieldName),
          description: Type.Optional(FieldName),
          activityDate: Type.Optional(FieldName),
          type: Type.Optional(FieldName),
          status: Type.Optional(FieldName),
        },
        { additionalProperties: false, description: 'Parts left out go to the standard fields' },
      ),
    ),
    pauseBelowShare: Type.Number({
      minimum: 0,
      maximum: 0.99,
      description: 'Pause the sync when less than this share of the daily API allocation remains (0 = never)',
    }),
  },
  { additionalProperties: false },
);

export const SalesforceTestSchema = Type.Object(
  {
    ok: Type.Boolean(),
    message: Type.String({ description: 'What happened, in plain words' }),
    organizationId: Nullable(Type.String()),
    apiUsage: Nullable(Type.Object({ used: Type.Integer(), max: Type.Integer() })),
  },
  { description: 'The result of logging in and querying the Organization with the stored settings' },
);

export const TouchpointSyncParams = Type.Object({
  ws: Type.String({ description: 'Workspace id' }),
  id: Type.String({ maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', description: 'Touchpoint id' }),
});

export const TouchpointSyncSchema = Type.Object(
  {
    touchpointId: Type.String(),
    status: Type.Union(
      [
        Type.Literal('none'),
        Type.Literal('pending'),
        Type.Literal('synced'),
        Type.Literal('failed'),
        Type.Literal('paused'),
      ],
      { description: 'none: never queued (the sync was off when it was recorded)' },
    ),
    taskId: Nullable(Type.String({ description: 'The Salesforce Task id' })),
    lastError: Nullable(Type.String({ description: 'Why it is not synced (yet), e.g. "not synced: …"' })),
    attempts: Type.Integer(),
    syncedAt: Nullable(Type.String()),
    updatedAt: Nullable(Type.String()),
  },
  { description: 'Where the Salesforce sync of a touchpoint stands (SPEC §9)' },
);
