// The directory's people (SPEC §1 users): search by email, name or id; each person shows, on request,
// the accounts they belong to, linking to each account (where admins change or remove the person).
import { call, describe, query, wsPath } from '../api.js';
import type { PageContext } from '../context.js';
import { fields, list, str } from '../decode.js';
import { alertLine, h, link, replace } from '../dom.js';
import { decodeDirectoryUser, decodePage, type DirectoryUser } from '../model.js';
import { plural } from '../paged-list.js';
import { searchPage } from '../search-page.js';

export async function peoplePage(context: PageContext, _params: readonly string[], q: URLSearchParams) {
  const ws = context.session.login.workspaceId;
  await searchPage<DirectoryUser>(context, q, {
    route: 'people',
    title: 'People',
    label: 'people',
    listClass: 'directory',
    search: 'Search people',
    hint: 'Email, name or id',
    load: async (text, cursor) =>
      decodePage(
        await call('GET', wsPath(ws, 'users') + query({ q: text, limit: 50, cursor })),
        decodeDirectoryUser,
      ),
    item: (user) => personCard(ws, user),
    empty: 'No person matches.',
    noun: (n) => plural(n, 'person', 'people'),
  });
}

function personCard(ws: string, user: DirectoryUser): HTMLLIElement {
  const who = user.name === '' ? (user.email ?? user.id) : user.name;
  const accounts = h('div', {}, 'Loading…');
  const details = h('details', { class: 'accounts-of' }, h('summary', {}, `Accounts of ${who}`), accounts);
  let loaded = false;
  details.addEventListener('toggle', () => {
    if (!details.open || loaded) return;
    loaded = true;
    call('GET', wsPath(ws, 'users', user.id)).then(
      (json) => replace(accounts, accountList(json)),
      (failure: unknown) => {
        loaded = false; // opening it again tries again
        replace(accounts, alertLine(describe(failure)));
      },
    );
  });
  return h(
    'li',
    { class: 'card directory-card' },
    h('h2', {}, who),
    h(
      'p',
      { class: 'meta' },
      user.email === null ? 'no email' : user.email,
      ' · ',
      h('span', { class: 'mono' }, user.id),
    ),
    details,
  );
}

/** The accounts of a user (GET …/users/{id}), each a link to the account. */
function accountList(json: unknown): HTMLElement {
  const memberships = list(fields(json), 'memberships').map(fields);
  if (memberships.length === 0) return h('p', { class: 'muted' }, 'On no account.');
  return h(
    'ul',
    { class: 'accounts-of' },
    ...memberships.map((m) => {
      const id = str(m, 'accountId');
      const name = str(m, 'accountName');
      return h('li', {}, link(['accounts', id], name === '' ? id : name));
    }),
  );
}
