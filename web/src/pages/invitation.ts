// An invitation link (`#/invitation/TOKEN`, issue 18): the invited login chooses its password and is
// signed in. Shown whether or not someone is signed in on this browser: the link is what proves who it is.
import { call, setCsrfToken } from '../api.js';
import { alertLine, field, h, replace } from '../dom.js';
import { onSubmit } from '../forms.js';
import { decodeSession, type Session } from '../model.js';

export function invitationPage(
  main: HTMLElement,
  token: string,
  announce: (message: string) => void,
  signedIn: (session: Session) => void,
): Promise<void> {
  document.title = 'Set your password · Touchmail';
  const password = h('input', {
    type: 'password',
    name: 'new-password',
    autocomplete: 'new-password',
    required: true,
    maxlength: 256,
  });
  const error = alertLine();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Set password and sign in');
  const form = h(
    'form',
    { class: 'card signin', 'aria-labelledby': 'invitation-title' },
    h(
      'h1',
      { id: 'invitation-title', tabindex: '-1' },
      h('span', { 'aria-hidden': 'true' }, '✉ '),
      'Welcome to Touchmail',
    ),
    h(
      'p',
      { class: 'muted' },
      'You were invited to your team’s workspace. Choose the password you will sign in with.',
    ),
    field('New password', password, '12 to 256 characters.'),
    error,
    submit,
  );
  onSubmit(form, submit, error, async () => {
    const session = decodeSession(
      await call('POST', '/invitations/accept', {
        body: { token, password: password.value },
        session: false,
      }),
    );
    setCsrfToken(session.csrfToken);
    announce(`Signed in as ${session.login.email}.`);
    signedIn(session);
  });
  replace(main, form);
  password.focus();
  return Promise.resolve();
}
