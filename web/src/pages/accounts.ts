// Accounts: search by name or id, each linking to its profile and timeline.
import { call, query, wsPath } from '../api.js';
import type { PageContext } from '../context.js';
import { badge, field, h, link, replace } from '../dom.js';
import { decodeAccount, decodePage, type Account } from '../model.js';
import { pagedList, plural } from '../paged-list.js';

export async function accountsPage(context: PageContext, _params: readonly string[], q: URLSearchParams) {
  const ws = context.session.login.workspaceId;
  const search = h('input', { type: 'search', name: 'q', value: q.get('q') ?? '', autocomplete: 'off' });
  const list = h('ul', { class: 'cards accounts', 'aria-label': 'Accounts' });
  const results = pagedList<Account>({
    label: 'accounts',
    list,
    load: async (cursor) =>
      decodePage(
        await call('GET', wsPath(ws, 'accounts') + query({ q: search.value.trim(), limit: 50, cursor })),
        decodeAccount,
      ),
    item: accountCard,
    empty: 'No account matches.',
    announce: context.announce,
    noun: (n) => plural(n, 'account', 'accounts'),
  });
  let timer = 0;
  search.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      history.replaceState(
        null,
        '',
        `#/accounts${search.value.trim() === '' ? '' : `?q=${encodeURIComponent(search.value.trim())}`}`,
      );
      void results.reload();
    }, 250);
  });
  const form = h(
    'form',
    { role: 'search', class: 'searchbar' },
    field('Search accounts', search, 'Name or id'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void results.reload();
  });
  replace(context.root, context.title('Accounts'), form, results.element);
  await results.reload();
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
