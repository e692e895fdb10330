// Forms and buttons that call the API: one way to run what they do (the control disabled meanwhile, a
// refusal shown in the API's words), and one way to ask before a destructive action.
import { describe } from './api.js';
import type { PageContext } from './context.js';
import { alertLine, type Attributes, button, confirmButton, h, replace } from './dom.js';

/**
 * Runs `action` with `control` disabled and `error` cleared; a failure (an API refusal, or an Error the
 * action throws to say what is missing) is shown in `error`. `action` makes the calls and does what
 * success means.
 */
function run(control: HTMLButtonElement, error: HTMLElement, action: () => Promise<void>): void {
  replace(error);
  control.disabled = true;
  action().then(
    () => {
      control.disabled = false;
    },
    (failure: unknown) => {
      control.disabled = false;
      replace(error, describe(failure));
    },
  );
}

/** On submit, `action` runs (see run). */
export function onSubmit(
  form: HTMLFormElement,
  submit: HTMLButtonElement,
  error: HTMLElement,
  action: () => Promise<void>,
): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run(submit, error, action);
  });
}

/** A button that runs `action` when pressed (see run). */
export function actionButton(
  text: string,
  error: HTMLElement,
  action: () => Promise<void>,
  attributes: Attributes = {},
): HTMLButtonElement {
  const control = button(text, () => run(control, error, action), attributes);
  return control;
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
  const error = alertLine();
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
