// The team (SPEC §1): login users with search, role and active filters, page by page. Admins add
// logins, change a login's name, role and active state, invite it (a one-time link with which it sets its
// own password, issue 18) or set its password, and delete it (the API deactivates instead when it
// authored touchpoints); members read the list. Below, the API tokens.
import { call, query, wsPath } from '../api.js';
import type { PageContext } from '../context.js';
import { fields, str } from '../decode.js';
import { alertLine, badge, field, h, replace, routeHref, secretRow, statusLine } from '../dom.js';
import { when } from '../format.js';
import { decodeLoginUser, decodePage, type LoginUser, type Role } from '../model.js';
import { pagedList, plural } from '../paged-list.js';
import { tokensSection } from './team-tokens.js';
import { actionButton, destructiveAction, onSubmit, removed } from '../forms.js';

export async function teamPage(context: PageContext, _params: readonly string[], q: URLSearchParams) {
  const ws = context.session.login.workspaceId;
  const admin = context.session.login.role === 'admin';
  const search = h('input', { type: 'search', name: 'q', value: q.get('q') ?? '', autocomplete: 'off' });
  const role = roleSelect(q.get('role') ?? '', true);
  const active = h(
    'select',
    { name: 'active' },
    h('option', { value: '' }, 'Active or not'),
    h('option', { value: 'true' }, 'Active'),
    h('option', { value: 'false' }, 'Inactive'),
  );
  active.value = q.get('active') ?? '';
  const filters = () => ({ q: search.value.trim(), role: role.value, active: active.value });

  const list = h('ul', { class: 'cards team', 'aria-label': 'Team members' });
  const outcome = statusLine();
  const members = pagedList<LoginUser>({
    label: 'team members',
    list,
    load: async (cursor) =>
      decodePage(
        await call('GET', wsPath(ws, 'logins') + query({ ...filters(), limit: 50, cursor })),
        decodeLoginUser,
      ),
    item: (login) => loginItem(context, login, outcome),
    empty: 'No team member matches.',
    announce: context.announce,
    noun: (n) => plural(n, 'team member', 'team members'),
  });
  const form = h(
    'form',
    { role: 'search', class: 'card filters', 'aria-label': 'Search the team' },
    field('Search team', search, 'Part of the email or name'),
    field('Role', role),
    field('Active', active),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'primary' }, 'Filter')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    history.replaceState(null, '', routeHref(['team'], filters()));
    void members.reload();
  });
  const tokens = tokensSection(context);
  replace(
    context.root,
    context.title('Team'),
    admin
      ? addForm(context, () => void members.reload())
      : h(
          'p',
          { class: 'muted' },
          'You see the team as a member: an admin adds, changes and removes logins.',
        ),
    h(
      'section',
      { 'aria-labelledby': 'team-title' },
      h('h2', { id: 'team-title' }, 'Team members'),
      form,
      outcome,
      members.element,
    ),
    tokens.element,
  );
  await Promise.all([members.reload(), tokens.reload()]);
}

const ROLES: readonly [Role, string][] = [
  ['member', 'Member'],
  ['admin', 'Admin'],
];

function roleSelect(value: string, any: boolean): HTMLSelectElement {
  const select = h(
    'select',
    { name: 'role' },
    any ? h('option', { value: '' }, 'Any role') : null,
    ...ROLES.map(([role, label]) => h('option', { value: role }, label)),
  );
  select.value = value;
  return select;
}

/** Other addresses a login sends from (SPEC §1, §3 G2: its mail counts as the login's). */
function aliasesInput(aliases: readonly string[]): HTMLInputElement {
  return h('input', { type: 'text', name: 'aliases', value: aliases.join(', '), autocomplete: 'off' });
}

const ALIASES_HINT = 'Other addresses this person sends from, separated by commas.';

/** The addresses typed, in order, without blanks. */
function aliasesOf(input: HTMLInputElement): string[] {
  return input.value.split(/[\s,;]+/).filter((address) => address !== '');
}

function addForm(context: PageContext, added: () => void): HTMLFormElement {
  const email = h('input', { type: 'email', name: 'email', required: true, autocomplete: 'off' });
  const name = h('input', { type: 'text', name: 'name', maxlength: 1000, autocomplete: 'off' });
  const role = roleSelect('member', false);
  const aliases = aliasesInput([]);
  const error = alertLine();
  const state = statusLine();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Add login');
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'add-login-title' },
    h('h2', { id: 'add-login-title' }, 'Add a team member'),
    h('div', { class: 'row' }, field('Email', email), field('Name', name, 'Optional.'), field('Role', role)),
    field('Aliases', aliases, `${ALIASES_HINT} Optional.`),
    h(
      'p',
      { class: 'hint' },
      'Then invite the new login below (a link with which it sets its own password) so it can sign in to the web UI.',
    ),
    error,
    h('div', { class: 'actions' }, submit, state),
  );
  onSubmit(form, submit, error, async () => {
    replace(state);
    const body = {
      email: email.value.trim(),
      name: name.value.trim(),
      role: role.value,
      aliases: aliasesOf(aliases),
    };
    const login = decodeLoginUser(
      await call('POST', wsPath(context.session.login.workspaceId, 'logins'), { body }),
    );
    replace(state, `Added ${login.email}.`);
    context.announce(`Added ${login.email}.`);
    form.reset();
    added();
  });
  return form;
}

/** One team member; for admins with its change, password and delete forms; for a member, its own password. */
function loginItem(context: PageContext, login: LoginUser, outcome: HTMLElement, note = ''): HTMLLIElement {
  const self = login.email === context.session.login.email;
  const item = h(
    'li',
    { class: 'card login-card' },
    h('h3', {}, login.name === '' ? login.email : login.name, self ? ' (you)' : ''),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: 'mono' }, login.email),
      ' ',
      badge(login.role, login.role),
      ' ',
      login.active ? badge('active', 'flag') : badge('inactive', 'status-ignored'),
      login.hasPassword ? null : ' ',
      login.hasPassword ? null : badge('no password', 'status-ignored'),
    ),
    login.aliases.length === 0 ? null : h('p', { class: 'meta' }, `Also: ${login.aliases.join(', ')}`),
    h('p', { class: 'meta' }, `Since ${when(login.createdAt)}`),
    note === '' ? null : h('p', { class: 'saved', role: 'status' }, note),
  );
  if (context.session.login.role !== 'admin') {
    // A member changes nothing of the team but its own password.
    if (self)
      item.appendChild(
        h(
          'details',
          { class: 'manage' },
          h('summary', {}, 'Change your password'),
          passwordForm(context, login, true),
        ),
      );
    return item;
  }
  const rerender = (changed: LoginUser, message: string) => {
    const next = loginItem(context, changed, outcome, message);
    item.replaceWith(next);
    next.querySelector<HTMLElement>('summary')?.focus();
  };
  item.appendChild(
    h(
      'details',
      { class: 'manage' },
      h('summary', {}, `Change ${login.email}`),
      changeForm(context, login, rerender),
      self || !login.active ? null : inviteControl(context, login),
      passwordForm(context, login, self),
      deleteControl(context, login, outcome, item, rerender),
    ),
  );
  return item;
}

function loginPath(context: PageContext, email: string, ...more: readonly string[]): string {
  return wsPath(context.session.login.workspaceId, 'logins', email, ...more);
}

function changeForm(
  context: PageContext,
  login: LoginUser,
  changed: (login: LoginUser, message: string) => void,
): HTMLFormElement {
  const name = h('input', { type: 'text', name: 'name', value: login.name, maxlength: 1000 });
  const role = roleSelect(login.role, false);
  const aliases = aliasesInput(login.aliases);
  const active = h('input', { type: 'checkbox', name: 'active', checked: login.active });
  const error = alertLine();
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save changes');
  const form = h(
    'form',
    { 'aria-label': `Change ${login.email}` },
    h('div', { class: 'row' }, field('Name', name), field('Role', role)),
    field('Aliases', aliases, ALIASES_HINT),
    h(
      'label',
      { class: 'check' },
      active,
      ' Active (an inactive login cannot sign in; its sessions end and its tokens are revoked)',
    ),
    error,
    h('div', { class: 'actions' }, save),
  );
  onSubmit(form, save, error, async () => {
    const body = {
      name: name.value.trim(),
      role: role.value,
      active: active.checked,
      aliases: aliasesOf(aliases),
    };
    const saved = decodeLoginUser(await call('PATCH', loginPath(context, login.email), { body }));
    context.announce(`Saved ${login.email}.`);
    changed(saved, 'Saved.');
  });
  return form;
}

/** Invites the login: a one-time link, shown once to copy, with which it sets its own password. */
function inviteControl(context: PageContext, login: LoginUser): HTMLElement {
  const error = alertLine();
  const slot = h('div', { class: 'secret-slot' });
  const invite = actionButton(`Invite ${login.email}`, error, async () => {
    const link = str(fields(await call('POST', loginPath(context, login.email, 'invitations'))), 'link', '');
    replace(slot, invitationPanel(login, link));
    slot.querySelector<HTMLElement>('input')?.focus();
    context.announce(`Invitation link for ${login.email} made. Copy it now.`);
  });
  return h(
    'div',
    { class: 'invite' },
    h(
      'p',
      { class: 'hint' },
      'A one-time link, working 72 hours, with which they set their own password and sign in: no one else chooses it. ',
      'No mail is sent: give them the link.',
    ),
    h('div', { class: 'actions' }, invite),
    error,
    slot,
  );
}

function invitationPanel(login: LoginUser, link: string): HTMLElement {
  return h(
    'div',
    { class: 'card notice secret' },
    h(
      'p',
      {},
      h('strong', {}, 'Copy it now: it will not be shown again. '),
      `Send it to ${login.email}; it works once. No mail was sent.`,
    ),
    secretRow(link, `Invitation link for ${login.email}`, 'Copy the invitation link'),
  );
}

function passwordForm(context: PageContext, login: LoginUser, self: boolean): HTMLFormElement {
  const current = h('input', {
    type: 'password',
    name: 'current-password',
    autocomplete: 'current-password',
    required: true,
  });
  const password = h('input', { type: 'password', name: 'new-password', autocomplete: 'new-password' });
  const error = alertLine();
  const state = statusLine();
  const submit = h('button', { type: 'submit' }, 'Set password');
  const form = h(
    'form',
    { 'aria-label': `Password of ${login.email}` },
    self ? field('Current password', current) : null,
    field(
      'New password',
      password,
      self
        ? '12 to 256 characters. Your other sessions end.'
        : '12 to 256 characters. Their sessions end; tell them the password in person.',
    ),
    error,
    h('div', { class: 'actions' }, submit, state),
  );
  onSubmit(form, submit, error, async () => {
    replace(state);
    const body = self
      ? { newPassword: password.value, currentPassword: current.value }
      : { newPassword: password.value };
    await call('PUT', loginPath(context, login.email, 'password'), { body });
    form.reset();
    replace(state, 'Password set.');
    context.announce(`Password of ${login.email} set.`);
  });
  return form;
}

function deleteControl(
  context: PageContext,
  login: LoginUser,
  outcome: HTMLElement,
  item: HTMLLIElement,
  changed: (login: LoginUser, message: string) => void,
): HTMLElement {
  return destructiveAction({
    text: 'Delete',
    label: `Delete ${login.email}`,
    question: `Delete ${login.email}? If it authored touchpoints it is deactivated instead.`,
    confirm: 'Yes, delete',
    act: () => call('DELETE', loginPath(context, login.email)),
    done: (answer) => {
      if (str(fields(answer), 'result') !== 'deactivated')
        return removed(context, item, outcome, `Deleted ${login.email}.`);
      const message = `${login.email} authored touchpoints, so it was deactivated instead of deleted: timelines keep naming it.`;
      context.announce(message);
      changed({ ...login, active: false }, message);
    },
  });
}
