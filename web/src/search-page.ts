// A page of cards found by a search box: typing searches after a short pause and keeps the search in
// the address (so Back and a reload show the same list), page after page (paged-list.ts).
import type { PageContext } from './context.js';
import { field, h, replace } from './dom.js';
import type { Page } from './model.js';
import { pagedList } from './paged-list.js';

export interface SearchPage<T> {
  /** The route (`accounts`), the page's title, and what the list holds (`accounts`). */
  readonly route: string;
  readonly title: string;
  readonly label: string;
  /** The list's class (its look in app.css). */
  readonly listClass: string;
  /** The search box's label and hint. */
  readonly search: string;
  readonly hint: string;
  readonly load: (q: string, cursor: string | null) => Promise<Page<T>>;
  readonly item: (value: T) => Node;
  readonly empty: string;
  readonly noun: (count: number) => string;
}

/** How long typing pauses before the list follows. */
const TYPING_PAUSE_MS = 250;

export async function searchPage<T>(
  context: PageContext,
  q: URLSearchParams,
  options: SearchPage<T>,
): Promise<void> {
  const search = h('input', { type: 'search', name: 'q', value: q.get('q') ?? '', autocomplete: 'off' });
  const list = h('ul', { class: `cards ${options.listClass}`, 'aria-label': options.title });
  const results = pagedList<T>({
    label: options.label,
    list,
    load: (cursor) => options.load(search.value.trim(), cursor),
    item: options.item,
    empty: options.empty,
    announce: context.announce,
    noun: options.noun,
  });
  let timer = 0;
  search.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      const text = search.value.trim();
      history.replaceState(
        null,
        '',
        `#/${options.route}${text === '' ? '' : `?q=${encodeURIComponent(text)}`}`,
      );
      void results.reload();
    }, TYPING_PAUSE_MS);
  });
  const form = h('form', { role: 'search', class: 'searchbar' }, field(options.search, search, options.hint));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void results.reload();
  });
  replace(context.root, context.title(options.title), form, results.element);
  await results.reload();
}
