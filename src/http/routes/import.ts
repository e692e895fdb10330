// POST /api/v1/import: a workspace document (INTERFACE.md), as `touchmail import`. TOUCHMAIL_ADMIN_TOKEN
// may import any workspace and create new ones; a workspace admin only its own workspace.
import { Type } from 'typebox';
import { importWorkspace } from '../../app/import-workspace.js';
import { validateWorkspaceDocument, WorkspaceDocumentSchema } from '../../app/workspace-document.js';
import { actorOf, requireWorkspace } from '../auth.js';
import { ADMINS, principalOf, type ApiRoutes } from '../context.js';
import { HttpError } from '../errors.js';
import { ErrorSchema } from '../schemas/common.js';

/**
 * Largest document accepted over HTTP: 64 MiB holds a few hundred thousand directory rows (a user with
 * a membership is ~200 bytes of JSON) and is parsed in memory; larger loads go through the CLI.
 */
export const IMPORT_MAX_BYTES = 64 * 1024 * 1024;

const SummarySchema = Type.Object(
  {
    workspaceId: Type.String(),
    created: Type.Boolean({ description: 'True when the workspace did not exist before' }),
    logins: Type.Integer(),
    accounts: Type.Integer(),
    users: Type.Integer(),
    memberships: Type.Integer(),
    touchpoints: Type.Integer(),
  },
  { description: 'What the document held, now stored' },
);

export const importRoutes: ApiRoutes = (app, context) => {
  app.post(
    '/api/v1/import',
    {
      bodyLimit: IMPORT_MAX_BYTES,
      // The document is checked by validateWorkspaceDocument, which names the path of every problem; the
      // schema below documents it.
      validatorCompiler: () => () => true,
      schema: {
        description:
          'Loads a workspace document (creates or updates, idempotent, all or nothing), as `touchmail import`. ' +
          'TOUCHMAIL_ADMIN_TOKEN may import any workspace; a workspace admin only its own. A bad document answers ' +
          `400 with error.problems (each with its path). At most ${IMPORT_MAX_BYTES / 1024 / 1024} MiB; use the CLI beyond.`,
        body: WorkspaceDocumentSchema,
        response: {
          200: SummarySchema,
          400: ErrorSchema,
          401: ErrorSchema,
          403: ErrorSchema,
          404: ErrorSchema,
          413: ErrorSchema,
        },
      },
    },
    async (request) => {
      const now = context.messages.now();
      const principal = await principalOf(request, context);
      if (principal.kind !== 'admin' && principal.role !== 'admin')
        throw new HttpError('forbidden', 'Only an admin may import.');
      const validation = validateWorkspaceDocument(request.body);
      if (!validation.ok) throw rejected(validation.problems);
      const ws = validation.document.workspace.id;
      requireWorkspace(principal, ws, ADMINS);
      const result = await importWorkspace(context.store, request.body, now, { actor: actorOf(principal) });
      if (!result.ok) throw rejected(result.problems);
      return result.summary;
    },
  );
  return Promise.resolve();
};

function rejected(problems: readonly { path: string; message: string }[]): HttpError {
  const first = problems[0];
  const summary = first === undefined ? 'The document is not valid.' : `${first.path}: ${first.message}`;
  return new HttpError(
    'validation-failed',
    problems.length > 1 ? `${summary} (and ${problems.length - 1} more problems)` : summary,
    problems,
  );
}
