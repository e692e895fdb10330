// The directory's people (SPEC §1 users): search by email, name or id; each person shows, on request,
// the accounts they belong to, linking to each account (where admins change or remove the person).
// Admins may erase a person (SPEC §11), after a confirmation.
import { call, describe, query, wsPath } from '../api.js';
import type { PageContext } from '../context.js';
import { fields, list, num, str } from '../decode.js';
import { destructiveAction } from '../forms.js';
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
    item: (user) => personCard(context, user),
    empty: 'No person matches.',
    noun: (n) => plural(n, 'person', 'people'),
  });
}

function personCard(context: PageContext, user: DirectoryUser): HTMLLIElement {
  const ws = context.session.login.workspaceId;
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
  const card = h(
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
  const email = user.email;
  if (context.session.login.role === 'admin' && email !== null)
    card.append(
      destructiveAction({
        text: 'Erase',
        label: `Erase ${who}`,
        question: `Erase everything stored about ${email}? Their touchpoints stay on their accounts with [erased] in their place; the mail that carries the address is deleted. This cannot be undone.`,
        confirm: 'Erase person',
        act: () => call('POST', wsPath(ws, 'erasures'), { body: { email } }),
        done: (answer) => {
          const counts = fields(answer);
          const message = `Erased ${email}: ${plural(num(counts, 'touchpoints') ?? 0, 'touchpoint', 'touchpoints')} changed, ${plural(num(counts, 'inboundMessages') ?? 0, 'message', 'messages')} deleted.`;
          replace(card, h('p', { role: 'status' }, message));
          context.announce(message);
        },
      }),
    );
  return card;
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
