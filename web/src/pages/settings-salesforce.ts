// The Salesforce connection form (SPEC §9): on/off, how to log in, the org and the Task fields. Secrets
// are write-only: the form shows whether one is stored, and an empty box keeps it. The test button logs
// in with the stored settings, so it comes after saving.
import { ApiError, call, describe, wsPath } from '../api.js';
import type { PageContext } from '../context.js';
import { bool, fields, num, str, type Fields } from '../decode.js';
import { alertLine, field, h, replace, statusLine } from '../dom.js';
import { actionButton, onSubmit } from '../forms.js';

const DEFAULTS = {
  loginUrl: 'https://login.salesforce.com',
  apiVersion: '62.0',
  externalIdField: 'Touchmail_Id__c',
};

function stored(current: Fields, key: string): boolean {
  return bool(fields(current.get(key)), 'configured');
}

function secret(current: Fields, key: string): HTMLInputElement {
  return h('input', {
    type: 'password',
    autocomplete: 'new-password',
    placeholder: stored(current, key) ? 'stored — leave empty to keep' : 'not set',
  });
}

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
  const authFlow = h(
    'select',
    {},
    h('option', { value: 'client-credentials' }, 'Client credentials (connected app)'),
    h('option', { value: 'username-password' }, 'Username and password'),
  );
  authFlow.value = str(current, 'authFlow', 'client-credentials');
  const loginUrl = h('input', { type: 'url', value: str(current, 'loginUrl', DEFAULTS.loginUrl) });
  const apiVersion = h('input', { type: 'text', value: str(current, 'apiVersion', DEFAULTS.apiVersion) });
  const clientId = h('input', { type: 'text', value: str(current, 'clientId'), autocomplete: 'off' });
  const clientSecret = secret(current, 'clientSecret');
  const username = h('input', { type: 'text', value: str(current, 'username'), autocomplete: 'off' });
  const password = secret(current, 'password');
  const securityToken = secret(current, 'securityToken');
  const externalIdField = h('input', {
    type: 'text',
    value: str(current, 'externalIdField', DEFAULTS.externalIdField),
  });
  const pause = h('input', {
    type: 'number',
    min: 0,
    max: 0.99,
    step: 0.01,
    value: num(current, 'pauseBelowShare') ?? 0,
  });
  const userOnly = h(
    'div',
    { class: 'row' },
    field('Username', username),
    field('Password', password),
    field('Security token', securityToken),
  );
  const showFlow = () => (userOnly.hidden = authFlow.value !== 'username-password');
  authFlow.addEventListener('change', showFlow);
  showFlow();

  const paused = fields(current.get('paused'));
  const error = alertLine();
  const state = statusLine();
  const body = () => {
    const value: Record<string, unknown> = {
      enabled: enabled.checked,
      authFlow: authFlow.value,
      loginUrl: loginUrl.value.trim(),
      apiVersion: apiVersion.value.trim(),
      clientId: clientId.value.trim() === '' ? null : clientId.value.trim(),
      username: username.value.trim() === '' ? null : username.value.trim(),
      externalIdField: externalIdField.value.trim(),
      pauseBelowShare: Number(pause.value),
    };
    for (const [key, input] of [
      ['clientSecret', clientSecret],
      ['password', password],
      ['securityToken', securityToken],
    ] as const)
      if (input.value !== '') value[key] = input.value;
    const mapping = current.get('fieldMapping');
    if (mapping !== undefined && mapping !== null) value.fieldMapping = mapping;
    return value;
  };
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save Salesforce connection');
  const test = actionButton('Test the connection', error, async () => {
    replace(state, 'Testing…');
    let json: unknown;
    try {
      json = await call('POST', wsPath(ws, 'settings', 'salesforce', 'test'));
    } finally {
      replace(state);
    }
    const f = fields(json);
    replace(state, `${bool(f, 'ok') ? 'Connected' : 'Not connected'}: ${str(f, 'message', 'no detail')}`);
  });
  const form = h(
    'form',
    { class: 'settings-form', 'aria-labelledby': 'salesforce-title' },
    h(
      'p',
      { class: 'hint' },
      'Each touchpoint created or edited is written to Salesforce as a completed Task on the account’s Salesforce account id. Failures never block recording.',
    ),
    paused.size === 0
      ? null
      : h('p', { class: 'notice-line' }, `Paused until ${str(paused, 'until')}: ${str(paused, 'reason')}`),
    h('label', { class: 'check', for: enabled.id }, enabled, ' Sync touchpoints to Salesforce'),
    h('div', { class: 'row' }, field('How to log in', authFlow), field('Login URL', loginUrl)),
    h(
      'div',
      { class: 'row' },
      field('Client id (consumer key)', clientId),
      field('Client secret', clientSecret),
    ),
    userOnly,
    h(
      'div',
      { class: 'row' },
      field('API version', apiVersion),
      field(
        'Task external id field',
        externalIdField,
        'A custom text field on Task holding the touchpoint id.',
      ),
      field(
        'Pause below API share',
        pause,
        'Pause when less than this share of the daily API calls remains.',
      ),
    ),
    error,
    h('div', { class: 'actions' }, save, test, state),
  );
  onSubmit(form, save, error, async () => {
    await call('PUT', wsPath(ws, 'settings', 'salesforce'), { body: body() });
    for (const input of [clientSecret, password, securityToken]) {
      if (input.value !== '') input.placeholder = 'stored — leave empty to keep';
      input.value = '';
    }
    replace(state, 'Saved. Test the connection to check it.');
    context.announce('Salesforce connection saved.');
  });
  section.append(form);
  return section;
}
