// The signed-in login's notice settings (SPEC §7): the optional success receipt, off by default —
// "logged to ACCOUNT — wrong? reassign here" for every message logged from their mail.
import { Type, type Static } from 'typebox';
import { loginReceipts, setLoginReceipts } from '../../store/notice-repository.js';
import type { Principal } from '../auth.js';
import { authorize, READERS, type ApiRoutes } from '../context.js';
import { HttpError } from '../errors.js';
import { ErrorSchema, WorkspaceParams } from '../schemas/common.js';

const NoticeSettings = Type.Object(
  {
    receipts: Type.Boolean({
      description: 'A receipt for every message logged from your mail, with a link to reassign it.',
    }),
  },
  { additionalProperties: false },
);

const responses = {
  200: NoticeSettings,
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
};

/** The login the token belongs to: these settings are a person's, not a token's. */
function loginOf(principal: Principal): string {
  if (principal.kind === 'token' && principal.loginEmail !== null) return principal.loginEmail;
  throw new HttpError(
    'bad-request',
    'This token belongs to no login: notice settings are per login (use a token created with --login).',
  );
}

export const myNoticesRoutes: ApiRoutes = (app, context) => {
  app.get<{ Params: { ws: string } }>(
    '/api/v1/workspaces/:ws/me/notices',
    {
      schema: {
        description: "The signed-in login's notice settings: success receipts (off by default).",
        params: WorkspaceParams,
        response: responses,
      },
    },
    async (request) => {
      const email = loginOf(await authorize(request, context, READERS));
      const receipts = await loginReceipts(context.store.db, request.params.ws, email);
      if (receipts === null) throw new HttpError('not-found', `No login ${email} in this workspace.`);
      return { receipts };
    },
  );

  app.put<{ Params: { ws: string }; Body: Static<typeof NoticeSettings> }>(
    '/api/v1/workspaces/:ws/me/notices',
    {
      schema: {
        description: "Sets the signed-in login's notice settings.",
        params: WorkspaceParams,
        body: NoticeSettings,
        response: responses,
      },
    },
    async (request) => {
      const email = loginOf(await authorize(request, context, READERS));
      const { receipts } = request.body;
      const updated = await setLoginReceipts(
        context.store.db,
        request.params.ws,
        email,
        receipts,
        context.messages.now(),
      );
      if (!updated) throw new HttpError('not-found', `No login ${email} in this workspace.`);
      return { receipts };
    },
  );
  return Promise.resolve();
};
