// The privacy rules of the settings page (SPEC §11): never log, storage mode and retention. Saved with
// the workspace's other settings as they are stored now (PUT …/settings replaces them all).
import { call, wsPath } from '../api.js';
import type { PageContext } from '../context.js';
import { fields, num, str, strings } from '../decode.js';
import { alertLine, field, h, newId, replace, statusLine } from '../dom.js';
import { onSubmit } from '../forms.js';

export interface Privacy {
  readonly neverLog: readonly string[];
  readonly storage: 'full' | 'no-body';
  readonly rawRetentionDays: number | null;
  readonly inboundRetentionDays: number | null;
}

export function decodePrivacy(value: unknown): Privacy {
  const f = fields(value);
  return {
    neverLog: strings(f, 'neverLog'),
    storage: str(f, 'storage', 'full') === 'no-body' ? 'no-body' : 'full',
    rawRetentionDays: num(f, 'rawRetentionDays'),
    inboundRetentionDays: num(f, 'inboundRetentionDays'),
  };
}

/** Days as typed: empty keeps for ever (null); anything else must be a whole number, 0 or more. */
function days(input: HTMLInputElement, what: string): number | null {
  const text = input.value.trim();
  if (text === '') return null;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${what}: a whole number of days, 0 or more.`);
  return value;
}

export function privacySection(context: PageContext, privacy: Privacy): HTMLElement {
  const ws = context.session.login.workspaceId;
  const neverLog = h('textarea', { rows: 3 });
  neverLog.value = privacy.neverLog.join('\n');
  const storageName = newId('storage');
  const storage = (value: Privacy['storage'], label: string, help: string) => {
    const radio = h('input', {
      type: 'radio',
      name: storageName,
      value,
      id: newId('storage'),
      checked: privacy.storage === value,
    });
    radio.setAttribute('aria-describedby', `${radio.id}-hint`);
    return {
      radio,
      element: h(
        'div',
        { class: 'choice-block' },
        h('label', { for: radio.id, class: 'choice' }, radio, ` ${label}`),
        h('p', { class: 'hint', id: `${radio.id}-hint` }, help),
      ),
    };
  };
  const modes = [
    storage('full', 'Full (default)', 'Touchpoints keep the text, HTML and attachments of the mail.'),
    storage(
      'no-body',
      'No body',
      'Touchpoints keep subject, participants, dates, author and why they were logged; no text, HTML or attachments. The original message is deleted as soon as it is processed, so a message that could not be logged can no longer be assigned or retried: fix the directory and have it sent again.',
    ),
  ];
  const rawDays = h('input', { type: 'number', min: 0, step: 1, inputmode: 'numeric' });
  rawDays.value = privacy.rawRetentionDays === null ? '' : String(privacy.rawRetentionDays);
  const inboundDays = h('input', { type: 'number', min: 0, step: 1, inputmode: 'numeric' });
  inboundDays.value = privacy.inboundRetentionDays === null ? '' : String(privacy.inboundRetentionDays);
  const error = alertLine();
  const state = statusLine();
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save privacy rules');
  const form = h(
    'form',
    { class: 'card settings-form', 'aria-labelledby': 'privacy-title' },
    h('h2', { id: 'privacy-title' }, 'Privacy and retention'),
    field(
      'Never log',
      neverLog,
      'Addresses or domains, one per line (a domain covers its subdomains). Mail with any customer on this list is never logged: nothing of it is kept, and no one is notified.',
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Storage'),
      ...modes.map((m) => m.element),
      h(
        'p',
        { class: 'hint', role: 'note' },
        'A change applies to new mail only: what is logged stays as it is.',
      ),
    ),
    h(
      'div',
      { class: 'row' },
      field(
        'Keep original messages (days)',
        rawDays,
        'After they were processed; empty keeps them, 0 deletes them at once.',
      ),
      field(
        'Keep unlogged inbound entries (days)',
        inboundDays,
        'Failed, ignored or pending entries; empty keeps them.',
      ),
    ),
    error,
    h('div', { class: 'actions' }, save, state),
  );
  onSubmit(form, save, error, async () => {
    replace(state);
    const privacyBody = {
      neverLog: neverLog.value
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter((s) => s !== ''),
      storage: modes.find((m) => m.radio.checked)?.radio.value === 'no-body' ? 'no-body' : 'full',
      rawRetentionDays: days(rawDays, 'Keep original messages'),
      inboundRetentionDays: days(inboundDays, 'Keep unlogged inbound entries'),
    };
    // The other settings as they are stored now: this form changes only its own.
    const current = Object.fromEntries(fields(await call('GET', wsPath(ws, 'settings'))));
    const saved = decodePrivacy(
      await call('PUT', wsPath(ws, 'settings'), { body: { ...current, ...privacyBody } }),
    );
    neverLog.value = saved.neverLog.join('\n');
    replace(state, 'Saved.');
    context.announce('Privacy rules saved.');
  });
  return form;
}
