// Salesforce settings of a workspace (SPEC §8, admins only, audited without secrets): read, replace,
// and test the connection with what is stored.
import type { Static } from 'typebox';
import {
  changedSecrets,
  settingsRow,
  settingsView,
  type SettingsView,
} from '../../outbound/salesforce/settings.js';
import { SecretKeyError } from '../../secrets/secret-box.js';
import { appendAudit, changedFields } from '../../store/audit-repository.js';
import { getSalesforceSettings, saveSalesforceSettings } from '../../store/salesforce-repository.js';
import { actorOf } from '../auth.js';
import { ADMINS, authorize, type ApiRoutes } from '../context.js';
import { HttpError } from '../errors.js';
import { ErrorSchema, WorkspaceParams } from '../schemas/common.js';
import {
  SalesforceSettingsBody,
  SalesforceSettingsSchema,
  SalesforceTestSchema,
} from '../schemas/salesforce.js';

const responses = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };
const URL_PATH = '/api/v1/workspaces/:ws/settings/salesforce';

/** The fields an audit entry compares: everything but secrets (logged as set/replaced/removed only). */
function audited(view: SettingsView): Record<string, unknown> {
  return {
    enabled: view.enabled,
    authFlow: view.authFlow,
    loginUrl: view.loginUrl,
    apiVersion: view.apiVersion,
    clientId: view.clientId,
    username: view.username,
    externalIdField: view.externalIdField,
    fieldMapping: view.fieldMapping,
    pauseBelowShare: view.pauseBelowShare,
  };
}

export const salesforceSettingsRoutes: ApiRoutes = (app, context) => {
  app.get<{ Params: Static<typeof WorkspaceParams> }>(
    URL_PATH,
    {
      schema: {
        description: 'The Salesforce sync settings; secrets show only as { configured }.',
        params: WorkspaceParams,
        response: { 200: SalesforceSettingsSchema, ...responses },
      },
    },
    async (request) => {
      await authorize(request, context, ADMINS);
      const row = await getSalesforceSettings(context.store.db, request.params.ws);
      return settingsView(row, context.messages.now());
    },
  );

  app.put<{ Params: Static<typeof WorkspaceParams>; Body: Static<typeof SalesforceSettingsBody> }>(
    URL_PATH,
    {
      schema: {
        description:
          'Replaces the Salesforce sync settings. Secrets are write-only: leave one out to keep it. Saving lifts a pause.',
        params: WorkspaceParams,
        body: SalesforceSettingsBody,
        response: { 200: SalesforceSettingsSchema, 409: ErrorSchema, ...responses },
      },
    },
    async (request) => {
      const principal = await authorize(request, context, ADMINS);
      const workspaceId = request.params.ws;
      const now = context.messages.now();
      const body = request.body;
      const view = await context.store.db.transaction().execute(async (trx) => {
        const before = await getSalesforceSettings(trx, workspaceId);
        let result: ReturnType<typeof settingsRow>;
        try {
          result = settingsRow(
            workspaceId,
            body,
            before,
            context.salesforce.secrets,
            now,
            context.salesforce.extraHosts,
          );
        } catch (error) {
          if (error instanceof SecretKeyError) throw new HttpError('conflict', error.message);
          throw error;
        }
        if (!result.ok) throw new HttpError('validation-failed', result.problems.join('; '));
        await saveSalesforceSettings(trx, result.row);
        const after = await getSalesforceSettings(trx, workspaceId);
        const beforeView = settingsView(before, now);
        const afterView = settingsView(after, now);
        const changes = changedFields(audited(beforeView), audited(afterView));
        for (const field of changedSecrets(body)) {
          const value = body[field as keyof typeof body];
          changes[field] = {
            before: beforeView[field as 'clientSecret'].configured ? 'set' : 'not set',
            after: value === null || value === '' ? 'removed' : 'replaced',
          };
        }
        await appendAudit(trx, {
          id: context.messages.newId(),
          workspaceId,
          at: now,
          actor: actorOf(principal),
          action: 'settings.salesforce.update',
          subject: 'salesforce',
          changes,
        });
        return afterView;
      });
      context.salesforce.forget(workspaceId);
      return view;
    },
  );

  app.post<{ Params: Static<typeof WorkspaceParams> }>(
    `${URL_PATH}/test`,
    {
      schema: {
        description:
          'Logs in to Salesforce with the stored settings and runs SELECT Id FROM Organization LIMIT 1; answers ok or the problem in plain words ' +
          '(Salesforce’s structured error, else its status code; a login or instance URL off Salesforce’s domains is refused before any call).',
        params: WorkspaceParams,
        response: { 200: SalesforceTestSchema, ...responses },
      },
    },
    async (request) => {
      const principal = await authorize(request, context, ADMINS);
      const workspaceId = request.params.ws;
      const result = await context.salesforce.testConnection(workspaceId);
      const message = result.ok ? 'Connected to Salesforce.' : result.message;
      await appendAudit(context.store.db, {
        id: context.messages.newId(),
        workspaceId,
        at: context.messages.now(),
        actor: actorOf(principal),
        action: 'settings.salesforce.test',
        subject: 'salesforce',
        changes: { result: { before: null, after: message } },
      });
      return {
        ok: result.ok,
        message,
        organizationId: result.ok ? result.organizationId : null,
        apiUsage: result.ok ? result.apiUsage : null,
      };
    },
  );
  return Promise.resolve();
};
