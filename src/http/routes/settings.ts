// A workspace's settings (SPEC §8), admins only: read, and replace in one transaction with an audit
// entry of the changed fields; the audit log itself. Salesforce settings live at /settings/salesforce.
import { randomUUID } from 'node:crypto';
import { Type, type Static } from 'typebox';
import { validateWorkspaceDocument } from '../../app/workspace-document.js';
import type { PrivacySettings } from '../../domain/privacy.js';
import { addressOfAnotherWorkspace } from '../../domain/workspace.js';
import { appendAudit, changedFields, listAudit } from '../../store/audit-repository.js';
import {
  addressesOfOtherWorkspaces,
  loadSettings,
  saveSettings,
  type WorkspaceSettings,
} from '../../store/settings-repository.js';
import { actorOf } from '../auth.js';
import { ADMINS, authorize, type ApiRoutes } from '../context.js';
import { HttpError } from '../errors.js';
import { ErrorSchema, WorkspaceParams } from '../schemas/common.js';
import { AuditEntrySchema, SettingsBody, SettingsSchema } from '../schemas/identity.js';
import { decodeCursor, DEFAULT_PAGE, PageOf, pageFrom, PagingQuery } from '../paging.js';

const responses = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };
type Params = Static<typeof WorkspaceParams>;

/**
 * Normalizes the settings exactly as the import does (addresses, domains, authserv-ids, never-log
 * entries); a privacy setting left out keeps its stored value (`stored`).
 */
function normalizeSettings(
  workspaceId: string,
  body: Static<typeof SettingsBody>,
  stored: PrivacySettings,
): WorkspaceSettings {
  const validation = validateWorkspaceDocument({ workspace: { id: workspaceId, ...body } });
  if (!validation.ok)
    throw new HttpError(
      'validation-failed',
      validation.problems.map((p) => `${p.path.replace(/^workspace\./, '')}: ${p.message}`).join('; '),
      validation.problems.map((p) => ({ path: p.path.replace(/^workspace\./, ''), message: p.message })),
    );
  const ws = validation.document.workspace;
  return {
    name: body.name,
    touchpointAddresses: [...new Set(ws.touchpointAddresses ?? [])].sort(),
    internalDomains: [...new Set(ws.internalDomains ?? [])].sort(),
    defaultFlow: body.defaultFlow,
    defaultReason: body.defaultReason,
    senderAuthPolicy: body.senderAuthPolicy,
    trustedAuthservIds: [...new Set(ws.trustedAuthservIds ?? [])],
    neverLog: ws.neverLog ?? stored.neverLog,
    storage: ws.storage ?? stored.storage,
    rawRetentionDays: ws.rawRetentionDays !== undefined ? ws.rawRetentionDays : stored.rawRetentionDays,
    inboundRetentionDays:
      ws.inboundRetentionDays !== undefined ? ws.inboundRetentionDays : stored.inboundRetentionDays,
  };
}

const asRecord = (settings: WorkspaceSettings): Record<string, unknown> => ({ ...settings });

export const settingsRoutes: ApiRoutes = (app, context) => {
  app.get<{ Params: Params }>(
    '/api/v1/workspaces/:ws/settings',
    {
      schema: {
        description: 'The workspace’s settings (admin).',
        params: WorkspaceParams,
        response: { 200: SettingsSchema, ...responses },
      },
    },
    async (request) => {
      await authorize(request, context, ADMINS);
      const settings = await loadSettings(context.store.db, request.params.ws);
      if (settings === null) throw new HttpError('not-found', `No workspace ${request.params.ws}.`);
      return settings;
    },
  );

  app.put<{ Params: Params; Body: Static<typeof SettingsBody> }>(
    '/api/v1/workspaces/:ws/settings',
    {
      schema: {
        description:
          'Replaces the workspace’s settings (admin), normalized as the import does; the privacy settings (SPEC §11) left ' +
          'out are kept; 409 when a touchpoint address belongs to another workspace. Audited as settings.update with ' +
          'each changed field before and after.',
        params: WorkspaceParams,
        body: SettingsBody,
        response: { 200: SettingsSchema, ...responses, 409: ErrorSchema },
      },
    },
    async (request) => {
      const principal = await authorize(request, context, ADMINS);
      const ws = request.params.ws;
      const now = context.messages.now();
      return context.store.db.transaction().execute(async (trx) => {
        const before = await loadSettings(trx, ws);
        if (before === null) throw new HttpError('not-found', `No workspace ${ws}.`);
        const settings = normalizeSettings(ws, request.body, before);
        const taken = await addressesOfOtherWorkspaces(trx, ws, settings.touchpointAddresses);
        const [first] = taken;
        if (first !== undefined) throw new HttpError('conflict', addressOfAnotherWorkspace(first));
        await saveSettings(trx, ws, settings, now);
        const changes = changedFields(asRecord(before), asRecord(settings));
        if (Object.keys(changes).length > 0)
          await appendAudit(trx, {
            id: randomUUID(),
            workspaceId: ws,
            at: now,
            actor: actorOf(principal),
            action: 'settings.update',
            subject: null,
            changes,
          });
        return settings;
      });
    },
  );

  const AuditQuery = Type.Object({
    ...PagingQuery,
    action: Type.Optional(
      Type.String({ maxLength: 100, description: 'Only this action, e.g. settings.update' }),
    ),
  });
  app.get<{ Params: Params; Querystring: Static<typeof AuditQuery> }>(
    '/api/v1/workspaces/:ws/audit',
    {
      schema: {
        description: 'The audit log (admin), newest first: who changed what, when.',
        params: WorkspaceParams,
        querystring: AuditQuery,
        response: { 200: PageOf(AuditEntrySchema, 'A page of audit entries'), ...responses },
      },
    },
    async (request) => {
      await authorize(request, context, ADMINS);
      const limit = request.query.limit ?? DEFAULT_PAGE;
      const [at, id] = decodeCursor(request.query.cursor, 2) ?? [];
      const before = at === undefined || id === undefined ? undefined : { at, id };
      const rows = await listAudit(context.store.db, request.params.ws, {
        limit: limit + 1,
        ...(request.query.action === undefined ? {} : { action: request.query.action }),
        ...(before === undefined ? {} : { before }),
      });
      return pageFrom(
        rows,
        limit,
        (last) => [last.at.toISOString(), last.id],
        (entry) => ({
          id: entry.id,
          at: entry.at.toISOString(),
          actor: entry.actor,
          action: entry.action,
          subject: entry.subject,
          changes: entry.changes,
        }),
      );
    },
  );
  return Promise.resolve();
};
