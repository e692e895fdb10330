// The Salesforce connection form (SPEC §9): on/off, instance and credentials (secrets are write-only:
// left empty, they stay as they are), and a button that tests the connection.
import { ApiError, call, describe, wsPath } from '../api.js';
import type { PageContext } from '../context.js';
import { button, field, h, replace } from '../dom.js';
import { bool, fields, str } from '../decode.js';

export async function salesforceSection(context: PageContext): Promise<HTMLElement> {
  const ws = context.session.login.workspaceId;
  const section = h(
    'section',
    { class: 'card', 'aria-labelledby': 'salesforce-title' },
    h('h2', { id: 'salesforce-title' }, 'Salesforce'),
  );
  let current = fields(null);
  try {
    current = fields(await call('GET', wsPath(ws, 'settings', 'salesforce')));
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) {
      section.append(h('p', { class: 'error' }, describe(error)));
      return section;
    }
  }
  const enabled = h('input', { type: 'checkbox', id: 'sf-enabled', checked: bool(current, 'enabled') });
  const instanceUrl = h('input', {
    type: 'url',
    value: str(current, 'instanceUrl', str(current, 'loginUrl')),
    placeholder: 'https://yourcompany.my.salesforce.com',
  });
  const username = h('input', { type: 'text', value: str(current, 'username'), autocomplete: 'off' });
  const password = h('input', {
    type: 'password',
    autocomplete: 'new-password',
    placeholder: bool(current, 'hasPassword') ? 'unchanged' : '',
  });
  const securityToken = h('input', {
    type: 'password',
    autocomplete: 'off',
    placeholder: bool(current, 'hasSecurityToken') ? 'unchanged' : '',
  });
  const error = h('p', { class: 'error', role: 'alert' });
  const state = h('p', { class: 'saved', 'aria-live': 'polite' });
  const body = () => {
    const value: Record<string, unknown> = {
      enabled: enabled.checked,
      instanceUrl: instanceUrl.value.trim(),
      username: username.value.trim(),
    };
    if (password.value !== '') value.password = password.value;
    if (securityToken.value !== '') value.securityToken = securityToken.value;
    return value;
  };
  const test = button('Test the connection', () => {
    replace(error);
    replace(state, 'Testing…');
    test.disabled = true;
    call('POST', wsPath(ws, 'settings', 'salesforce', 'test'), { body: body() }).then(
      (json) => {
        test.disabled = false;
        const f = fields(json);
        replace(state, bool(f, 'ok') ? 'Connected.' : `Not connected: ${str(f, 'message', 'no detail')}`);
      },
      (failure: unknown) => {
        test.disabled = false;
        replace(state);
        replace(error, describe(failure));
      },
    );
  });
  const form = h(
    'form',
    { class: 'settings-form', 'aria-labelledby': 'salesforce-title' },
    h(
      'p',
      { class: 'hint' },
      'Each touchpoint is written to Salesforce as a completed Task on the account’s Salesforce account id.',
    ),
    h('label', { class: 'check', for: enabled.id }, enabled, ' Sync touchpoints to Salesforce'),
    field('Instance URL', instanceUrl),
    field('Username', username),
    h(
      'div',
      { class: 'row' },
      field('Password', password, 'Left empty, it stays as it is.'),
      field('Security token', securityToken, 'Left empty, it stays as it is.'),
    ),
    error,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Save Salesforce connection'),
      test,
      state,
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    replace(error);
    call('PUT', wsPath(ws, 'settings', 'salesforce'), { body: body() }).then(
      () => {
        password.value = '';
        securityToken.value = '';
        replace(state, 'Saved.');
        context.announce('Salesforce connection saved.');
      },
      (failure: unknown) => replace(error, describe(failure)),
    );
  });
  section.append(form);
  return section;
}
