// Sign-in: email and password of a login (a session cookie), with the workspace when the email is a
// login of several.
import { call, setCsrfToken } from '../api.js';
import { onSubmit } from '../forms.js';
import { alertLine, field, h, replace } from '../dom.js';
import { decodeSession, type Session } from '../model.js';

export function signInPage(
  main: HTMLElement,
  announce: (message: string) => void,
  signedIn: (session: Session) => void,
): Promise<void> {
  document.title = 'Sign in · Touchmail';
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const workspace = h('input', { type: 'text', name: 'workspace', autocomplete: 'organization' });
  const error = alertLine();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h(
    'form',
    { class: 'card signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title', tabindex: '-1' }, h('span', { 'aria-hidden': 'true' }, '✉ '), 'Touchmail'),
    h('p', { class: 'muted' }, 'Sign in with your team login.'),
    field('Email', email),
    field('Password', password),
    field('Workspace', workspace, 'Only needed when your email belongs to several workspaces.'),
    error,
    submit,
  );
  onSubmit(form, submit, error, async () => {
    const body: Record<string, string> = { email: email.value.trim(), password: password.value };
    if (workspace.value.trim() !== '') body.workspaceId = workspace.value.trim();
    let json: unknown;
    try {
      json = await call('POST', '/session', { body, session: false });
    } catch (failure) {
      password.select(); // to type it again
      throw failure;
    }
    const session = decodeSession(json);
    setCsrfToken(session.csrfToken);
    announce(`Signed in as ${session.login.email}.`);
    signedIn(session);
  });
  replace(main, form);
  email.focus();
  return Promise.resolve();
}
