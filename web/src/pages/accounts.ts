// Accounts: search by name or id, each linking to its profile and timeline.
import { call, query, wsPath } from '../api.js';
import type { PageContext } from '../context.js';
import { badge, h, link } from '../dom.js';
import { decodeAccount, decodePage, type Account } from '../model.js';
import { plural } from '../paged-list.js';
import { searchPage } from '../search-page.js';

export async function accountsPage(context: PageContext, _params: readonly string[], q: URLSearchParams) {
  const ws = context.session.login.workspaceId;
  await searchPage<Account>(context, q, {
    route: 'accounts',
    title: 'Accounts',
    label: 'accounts',
    listClass: 'accounts',
    search: 'Search accounts',
    hint: 'Name or id',
    load: async (text, cursor) =>
      decodePage(
        await call('GET', wsPath(ws, 'accounts') + query({ q: text, limit: 50, cursor })),
        decodeAccount,
      ),
    item: accountCard,
    empty: 'No account matches.',
    noun: (n) => plural(n, 'account', 'accounts'),
  });
}

function accountCard(account: Account): HTMLLIElement {
  return h(
    'li',
    { class: 'card account-card' },
    h('h2', {}, link(['accounts', account.id], account.name === '' ? account.id : account.name)),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: 'mono' }, account.id),
      account.parentId === null
        ? null
        : h('span', {}, ' · part of ', link(['accounts', account.parentId], account.parentId)),
      account.touchpointDefaultBccEmail ? ' ' : null,
      account.touchpointDefaultBccEmail ? badge('Default BCC', 'flag') : null,
    ),
  );
}
