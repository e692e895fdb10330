// Accounts at a glance (SPEC §13): a table of name, parent, last touch (date, who, days ago) and touches in
// 30 and 90 days, sorted by name or last touch, filtered to the accounts not touched in 14/30/90 days,
// searched by name or id, page by page; the rows shown export as CSV. The view lives in the address.
import { call, query, wsPath } from '../api.js';
import type { PageContext } from '../context.js';
import { field, h, link, replace } from '../dom.js';
import { when } from '../format.js';
import { decodeAccount, decodePage, type Account } from '../model.js';
import { pagedList, plural } from '../paged-list.js';

const DAY_MS = 86_400_000;
/** How long typing pauses before the list follows. */
const TYPING_PAUSE_MS = 250;
/** The API's orders (INTERFACE: sort=lastTouchAt|-lastTouchAt|name); '' is its default, id order. */
const SORTS = ['', 'name', 'lastTouchAt', '-lastTouchAt'] as const;
type Sort = (typeof SORTS)[number];
/** "Not touched since" presets, in days. */
const PRESETS = ['', '14', '30', '90'] as const;

export async function accountsPage(context: PageContext, _params: readonly string[], q: URLSearchParams) {
  const ws = context.session.login.workspaceId;
  const view = {
    q: q.get('q') ?? '',
    sort: SORTS.find((s) => s === q.get('sort')) ?? '',
    days: PRESETS.find((d) => d === q.get('days')) ?? '',
  };
  let rows: Account[] = [];
  const now = new Date();

  const search = h('input', { type: 'search', name: 'q', value: view.q, autocomplete: 'off' });
  const cold = h(
    'select',
    { name: 'days' },
    ...PRESETS.map((d) =>
      h('option', { value: d, selected: d === view.days }, d === '' ? 'Any time' : `${d} days`),
    ),
  );
  const body = h('tbody', {});
  const headers = {
    name: sortHeader('Name', 'name', 'name'),
    lastTouch: sortHeader('Last touch', 'lastTouchAt', '-lastTouchAt'),
  };
  const table = h(
    'table',
    { class: 'accounts-table', 'aria-label': 'Accounts' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.name.cell,
        h('th', { scope: 'col' }, 'Parent'),
        headers.lastTouch.cell,
        h('th', { scope: 'col', class: 'num' }, '30 days'),
        h('th', { scope: 'col', class: 'num' }, '90 days'),
      ),
    ),
    body,
  );
  const results = pagedList<Account>({
    label: 'accounts',
    list: body,
    load: async (cursor) =>
      decodePage(
        await call(
          'GET',
          wsPath(ws, 'accounts') +
            query({
              q: view.q,
              sort: view.sort,
              notTouchedSince:
                view.days === '' ? '' : new Date(now.getTime() - Number(view.days) * DAY_MS).toISOString(),
              limit: 50,
              cursor,
            }),
        ),
        decodeAccount,
      ),
    item: (account) => accountRow(account, now),
    empty: view.days === '' ? 'No account matches.' : 'Every account matching was touched since then.',
    emptyItem: (text) => h('tr', { class: 'empty' }, h('td', { colspan: 5 }, text)),
    shown: (items, reset) => {
      rows = reset ? [...items] : [...rows, ...items];
    },
    announce: context.announce,
    noun: (n) => plural(n, 'account', 'accounts'),
  });

  /** Keeps the view in the address (Back and a reload show the same list) and loads its first page. */
  const reload = () => {
    const params = new URLSearchParams();
    if (view.q !== '') params.set('q', view.q);
    if (view.sort !== '') params.set('sort', view.sort);
    if (view.days !== '') params.set('days', view.days);
    const text = params.toString();
    history.replaceState(null, '', `#/accounts${text === '' ? '' : `?${text}`}`);
    headers.name.show(view.sort);
    headers.lastTouch.show(view.sort);
    return results.reload();
  };

  function sortHeader(label: string, ascending: Sort, descending: Sort) {
    const sortButton = h('button', { type: 'button', class: 'sort' }, label);
    const cell = h('th', { scope: 'col' }, sortButton);
    sortButton.addEventListener('click', () => {
      // Coldest first, then warmest first; names A→Z (the API has no Z→A).
      view.sort = view.sort === ascending && descending !== ascending ? descending : ascending;
      void reload();
    });
    return {
      cell,
      show(sort: Sort) {
        const state = sort === ascending ? 'ascending' : sort === descending ? 'descending' : 'none';
        cell.setAttribute('aria-sort', state);
        sortButton.setAttribute('aria-label', `Sort by ${label.toLowerCase()}`);
      },
    };
  }

  let timer = 0;
  search.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      view.q = search.value.trim();
      void reload();
    }, TYPING_PAUSE_MS);
  });
  cold.addEventListener('change', () => {
    view.days = PRESETS.find((d) => d === cold.value) ?? '';
    // The cold ones are wanted coldest first.
    if (view.days !== '' && view.sort === '') view.sort = 'lastTouchAt';
    void reload();
  });
  const form = h(
    'form',
    { role: 'search', class: 'searchbar filters' },
    field('Search accounts', search, 'Name or id'),
    field('Not touched since', cold, 'Accounts nobody touched in that time, never-touched included.'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    view.q = search.value.trim();
    void reload();
  });
  const exportButton = h('button', { type: 'button' }, 'Export CSV');
  exportButton.addEventListener('click', () => download('accounts.csv', accountsCsv(rows, now)));

  replace(
    context.root,
    context.title('Accounts'),
    form,
    h('div', { class: 'table-scroll' }, table),
    h('div', { class: 'actions' }, exportButton),
    results.element,
  );
  await reload();
}

function accountRow(account: Account, now: Date): HTMLTableRowElement {
  return h(
    'tr',
    { class: 'account-row' },
    h(
      'th',
      { scope: 'row' },
      link(['accounts', account.id], account.name === '' ? account.id : account.name),
    ),
    h('td', {}, account.parentId === null ? '—' : link(['accounts', account.parentId], account.parentId)),
    h('td', { class: 'last-touch' }, ...lastTouch(account, now)),
    h('td', { class: 'num' }, String(account.touchpoints30d)),
    h('td', { class: 'num' }, String(account.touchpoints90d)),
  );
}

function lastTouch(account: Account, now: Date): Node[] {
  if (account.lastTouchAt === null) return [h('span', { class: 'muted' }, 'Never')];
  return [
    h('time', { datetime: account.lastTouchAt }, when(account.lastTouchAt)),
    h('span', { class: 'ago' }, ` · ${daysAgo(account.lastTouchAt, now)}`),
    h('span', { class: 'who' }, account.lastTouchBy === null ? '' : ` · ${account.lastTouchBy}`),
  ];
}

function daysAgo(iso: string, now: Date): string {
  const days = Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / DAY_MS));
  return days === 0 ? 'today' : days === 1 ? '1 day ago' : `${days} days ago`;
}

/** The rows shown, as RFC 4180 CSV; a cell a spreadsheet would run as a formula is quoted with a '. */
export function accountsCsv(rows: readonly Account[], now: Date): string {
  const header = [
    'id',
    'name',
    'parentId',
    'lastTouchAt',
    'lastTouchBy',
    'daysSinceLastTouch',
    'touchpoints30d',
    'touchpoints90d',
  ];
  const lines = rows.map((a) => [
    a.id,
    a.name,
    a.parentId ?? '',
    a.lastTouchAt ?? '',
    a.lastTouchBy ?? '',
    a.lastTouchAt === null ? '' : String(Math.floor((now.getTime() - Date.parse(a.lastTouchAt)) / DAY_MS)),
    String(a.touchpoints30d),
    String(a.touchpoints90d),
  ]);
  return [header, ...lines].map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(value: string): string {
  // OWASP "CSV injection": a leading =, +, -, @, tab or CR makes spreadsheets evaluate the cell.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const anchor = h('a', { href: url, download: name, hidden: true });
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 0);
}
