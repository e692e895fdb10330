// Forms and actions that call the API: one way to submit a form, and one way to ask before a
// destructive action; either shows a refusal in the API's words.
import { describe } from './api.js';
import type { PageContext } from './context.js';
import { confirmButton, h, replace } from './dom.js';

/**
 * On submit: `submit` is disabled while `action` runs and the last error is cleared; a failure is shown
 * in `error` in the API's words. `action` makes the calls and does what success means.
 */
export function onSubmit(
  form: HTMLFormElement,
  submit: HTMLButtonElement,
  error: HTMLElement,
  action: () => Promise<void>,
): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    replace(error);
    submit.disabled = true;
    action().then(
      () => {
        submit.disabled = false;
      },
      (failure: unknown) => {
        submit.disabled = false;
        replace(error, describe(failure));
      },
    );
  });
}

/** A destructive action (delete, remove, revoke): what it asks and what it does. */
export interface DestructiveAction<T> {
  /** The button's text, and its accessible name naming what it acts on. */
  readonly text: string;
  readonly label: string;
  /** The question asked before acting, and the confirming button's text. */
  readonly question: string;
  readonly confirm: string;
  /** The API call. */
  readonly act: () => Promise<T>;
  /** What success means, given the API's answer. */
  readonly done: (answer: T) => void;
}

/** The action's button, asking first (confirmButton); a refusal is shown beside it in the API's words. */
export function destructiveAction<T>(action: DestructiveAction<T>): HTMLElement {
  const error = h('p', { class: 'error', role: 'alert' });
  const run = (): void => {
    replace(error);
    action.act().then(action.done, (failure: unknown) => replace(error, describe(failure)));
  };
  return h(
    'div',
    { class: 'actions' },
    confirmButton(action.text, action.question, action.confirm, run, {
      class: 'danger',
      'aria-label': action.label,
    }),
    error,
  );
}

/** After a delete: the list item goes, and `message` is shown in `outcome` and announced. */
export function removed(
  context: PageContext,
  item: HTMLElement,
  outcome: HTMLElement,
  message: string,
): void {
  replace(outcome, message);
  context.announce(message);
  item.remove();
}
