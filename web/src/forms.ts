// Forms that call the API: one way to submit them, show a refusal in the API's words, and re-enable.
import { describe } from './api.js';
import { replace } from './dom.js';

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
