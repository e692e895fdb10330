// Choosing an account by searching: a search box and the matches as radio buttons (keyboard and screen
// reader friendly), used to move a touchpoint and to assign an inbound message.
import { call, describe, query, wsPath } from './api.js';
import { field, h, newId, replace } from './dom.js';
import { decodeAccount, decodePage, type Account } from './model.js';

export interface AccountPicker {
  readonly element: HTMLElement;
  selected(): Account | null;
}

export function accountPicker(options: {
  readonly workspaceId: string;
  readonly legend: string;
  readonly onChange?: (account: Account | null) => void;
  /** Accounts offered before any search (e.g. the candidates of an ambiguous message). */
  readonly initial?: readonly Account[];
}): AccountPicker {
  const name = newId('account');
  let chosen: Account | null = null;
  const search = h('input', { type: 'search', autocomplete: 'off', placeholder: 'Name or id' });
  const results = h('div', { class: 'choices', role: 'radiogroup', 'aria-label': 'Matching accounts' });
  const live = h('p', { class: 'hint', 'aria-live': 'polite' });

  function show(accounts: readonly Account[]): void {
    replace(results);
    for (const account of accounts) {
      const radio = h('input', { type: 'radio', name, value: account.id, id: newId('choice') });
      if (chosen?.id === account.id) radio.checked = true;
      radio.addEventListener('change', () => {
        chosen = account;
        options.onChange?.(account);
      });
      results.append(
        h(
          'label',
          { class: 'choice', for: radio.id },
          radio,
          ' ',
          h('span', {}, account.name),
          ' ',
          h('span', { class: 'mono muted' }, account.id),
        ),
      );
    }
    replace(
      live,
      accounts.length === 0
        ? 'No account matches.'
        : `${accounts.length} account${accounts.length === 1 ? '' : 's'} to choose from.`,
    );
  }

  let timer = 0;
  let generation = 0;
  search.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      const mine = ++generation;
      const q = search.value.trim();
      call('GET', wsPath(options.workspaceId, 'accounts') + query({ q, limit: 10 })).then(
        (json) => {
          if (mine === generation) show(decodePage(json, decodeAccount).items);
        },
        (error: unknown) => replace(live, describe(error)),
      );
    }, 200);
  });
  // Enter in the search box must not submit the surrounding form.
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') event.preventDefault();
  });
  if (options.initial !== undefined && options.initial.length > 0) show(options.initial);
  const element = h(
    'fieldset',
    { class: 'picker' },
    h('legend', {}, options.legend),
    field('Search accounts', search),
    results,
    live,
  );
  return { element, selected: () => chosen };
}
