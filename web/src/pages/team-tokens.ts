// API tokens (on the team page): admins see and manage every token of the workspace, a member only its
// own member tokens (the API decides which). A new token's secret is shown once, with a copy button.
import { call, query, wsPath } from '../api.js';
import type { PageContext } from '../context.js';
import { alertLine, badge, button, field, h, replace, secretRow, statusLine } from '../dom.js';
import { when } from '../format.js';
import { decodeCreatedToken, decodePage, decodeToken, type ApiToken, type TokenRole } from '../model.js';
import { pagedList, plural, type PagedList } from '../paged-list.js';
import { destructiveAction, onSubmit, removed } from '../forms.js';

const ROLES: readonly [TokenRole, string][] = [
  ['member', 'Member: reads and changes what a member may'],
  ['admin', 'Admin: everything, including settings and the directory'],
  ['intake', 'Intake: may only deliver mail'],
];

export function tokensSection(context: PageContext): PagedList {
  const ws = context.session.login.workspaceId;
  const admin = context.session.login.role === 'admin';
  const outcome = statusLine();
  const list = h('ul', { class: 'cards tokens', 'aria-label': 'API tokens' });
  const tokens = pagedList<ApiToken>({
    label: 'tokens',
    list,
    load: async (cursor) =>
      decodePage(await call('GET', wsPath(ws, 'tokens') + query({ limit: 50, cursor })), decodeToken),
    item: (token) => tokenItem(context, token, outcome),
    empty: 'No token yet.',
    announce: () => undefined,
    noun: (n) => plural(n, 'token', 'tokens'),
  });
  const element = h(
    'section',
    { class: 'tokens-section', 'aria-labelledby': 'tokens-title' },
    h('h2', { id: 'tokens-title' }, 'API tokens'),
    h(
      'p',
      { class: 'muted' },
      admin
        ? 'Every token of this workspace. A program sends one as “Authorization: Bearer <token>”.'
        : 'Your own tokens: each acts as you, with a member’s rights. A program sends one as “Authorization: Bearer <token>”.',
    ),
    createForm(context, admin, () => void tokens.reload()),
    outcome,
    tokens.element,
  );
  return { element, reload: () => tokens.reload() };
}

function createForm(context: PageContext, admin: boolean, created: () => void): HTMLElement {
  const name = h('input', { type: 'text', name: 'token-name', required: true, maxlength: 200 });
  const role = h(
    'select',
    { name: 'token-role' },
    ...ROLES.map(([value, label]) => h('option', { value }, label)),
  );
  const actsAs = h('input', {
    type: 'email',
    name: 'token-login',
    value: context.session.login.email,
    autocomplete: 'off',
  });
  const error = alertLine();
  const secret = h('div', { class: 'secret-slot' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create token');
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'create-token-title' },
    h('h3', { id: 'create-token-title' }, 'Create a token'),
    h(
      'div',
      { class: 'row' },
      field('Token name', name, 'What it is for, e.g. “CRM export”.'),
      admin ? field('Token role', role) : null,
      admin
        ? field(
            'Acts as',
            actsAs,
            'A login of this workspace (the token stops working if it is deactivated), or empty for none.',
          )
        : null,
    ),
    error,
    h('div', { class: 'actions' }, submit),
    secret,
  );
  onSubmit(form, submit, error, async () => {
    replace(secret);
    const login = actsAs.value.trim();
    const body = admin
      ? { name: name.value.trim(), role: role.value, loginEmail: login === '' ? null : login }
      : { name: name.value.trim() };
    const answer = decodeCreatedToken(
      await call('POST', wsPath(context.session.login.workspaceId, 'tokens'), { body }),
    );
    name.value = '';
    replace(
      secret,
      secretPanel(answer.token, answer.secret, () => replace(secret)),
    );
    secret.querySelector<HTMLElement>('h4')?.focus();
    context.announce(`Token ${answer.token.name} created. Copy its secret now.`);
    created();
  });
  return form;
}

/** The secret, once: it is in no list and no later answer. */
function secretPanel(token: ApiToken, secret: string, done: () => void): HTMLElement {
  return h(
    'div',
    { class: 'card notice secret' },
    h('h4', { tabindex: '-1' }, `Secret of “${token.name}”`),
    h(
      'p',
      {},
      h('strong', {}, 'Copy it now: it will not be shown again. '),
      'Store it where the program that uses it can read it. If it is lost, revoke the token and create another.',
    ),
    secretRow(secret, `Secret of token ${token.name}`, 'Copy the secret'),
    h('div', { class: 'actions' }, button('I have copied it', done, { class: 'small' })),
  );
}

function tokenItem(context: PageContext, token: ApiToken, outcome: HTMLElement): HTMLLIElement {
  const item = h(
    'li',
    { class: 'card token-card' },
    h('h3', {}, token.name === '' ? token.id : token.name),
    h(
      'p',
      { class: 'meta' },
      badge(token.role, token.role === 'intake' ? 'flow' : token.role),
      ` ${token.loginEmail === null ? 'not tied to a login' : `acts as ${token.loginEmail}`} · created ${when(token.createdAt)} · `,
      h('span', { class: 'mono' }, token.id),
    ),
    destructiveAction({
      text: 'Revoke',
      label: `Revoke token ${token.name}`,
      question: `Revoke “${token.name}”? Programs using it stop working at once.`,
      confirm: 'Yes, revoke',
      act: () => call('DELETE', wsPath(context.session.login.workspaceId, 'tokens', token.id)),
      done: () => removed(context, item, outcome, `Token ${token.name} revoked.`),
    }),
  );
  return item;
}
