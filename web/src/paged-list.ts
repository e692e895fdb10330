// A list that loads page after page (`{items, nextCursor}`) with a "Load more" button, and says how
// many it shows in the live region.
import { describe } from './api.js';
import { alertLine, h, replace } from './dom.js';
import type { Page } from './model.js';

export interface PagedList {
  readonly element: HTMLElement;
  /** Empties the list and loads its first page. */
  reload(): Promise<void>;
}

export function pagedList<T>(options: {
  readonly label: string;
  readonly list: HTMLElement;
  readonly load: (cursor: string | null) => Promise<Page<T>>;
  readonly item: (value: T) => Node;
  readonly empty: string;
  /** The row that says the list is empty (a list item unless the list is a table body). */
  readonly emptyItem?: (text: string) => Node;
  /** Called with each page's items as they are shown (a table keeps them for its export). */
  readonly shown?: (items: readonly T[], reset: boolean) => void;
  readonly announce: (message: string) => void;
  readonly noun: (count: number) => string;
}): PagedList {
  let cursor: string | null = null;
  let shown = 0;
  let generation = 0;
  const error = alertLine();
  const more = h('button', { type: 'button', class: 'more', hidden: true }, 'Load more');
  const element = h('div', { class: 'paged' }, options.list, error, more);

  async function next(reset: boolean): Promise<void> {
    const mine = reset ? ++generation : generation;
    more.disabled = true;
    replace(error);
    try {
      const page = await options.load(reset ? null : cursor);
      if (mine !== generation) return;
      if (reset) {
        replace(options.list);
        shown = 0;
      }
      for (const value of page.items) options.list.appendChild(options.item(value));
      options.shown?.(page.items, reset);
      shown += page.items.length;
      cursor = page.nextCursor;
      more.hidden = cursor === null;
      if (shown === 0)
        options.list.appendChild(
          options.emptyItem?.(options.empty) ?? h('li', { class: 'empty' }, options.empty),
        );
      options.announce(`${options.noun(shown)}${cursor === null ? '' : ', more to load'}.`);
    } catch (failure) {
      if (mine === generation) replace(error, describe(failure));
    } finally {
      more.disabled = false;
    }
  }

  more.addEventListener('click', () => void next(false));
  more.setAttribute('aria-label', `Load more ${options.label}`);
  return { element, reload: () => next(true) };
}

export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
