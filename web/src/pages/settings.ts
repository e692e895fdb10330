// Workspace settings (admins, SPEC §8): touchpoint addresses and the three ways to use them (SPEC §4),
// internal domains, default reason and flow, the sender-authentication policy (SPEC §3 G3) and the
// Salesforce connection (SPEC §9). Members are told plainly that this page is for admins.
import { ApiError, call, wsPath } from '../api.js';
import type { PageContext } from '../context.js';
import { alertLine, button, copy, field, h, newId, replace, statusLine } from '../dom.js';
import { decodeSettings, type SenderAuthPolicy, type Settings } from '../model.js';
import { auditSection } from './settings-audit.js';
import { decodePrivacy, privacySection } from './settings-privacy.js';
import { salesforceSection } from './settings-salesforce.js';
import { onSubmit } from '../forms.js';

export async function settingsPage(context: PageContext) {
  const ws = context.session.login.workspaceId;
  let settings: Settings;
  let answer: unknown;
  try {
    answer = await call('GET', wsPath(ws, 'settings'));
    settings = decodeSettings(answer);
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) {
      replace(
        context.root,
        context.title('Settings'),
        h(
          'div',
          { class: 'card notice', role: 'note' },
          h('h2', {}, 'Settings are for admins'),
          h(
            'p',
            {},
            `You are signed in as a member (${context.session.login.email}). Ask an admin of this workspace to change its touchpoint addresses, internal domains, defaults, sender authentication or Salesforce connection.`,
          ),
        ),
      );
      return;
    }
    throw error;
  }
  const [salesforce, audit] = await Promise.all([salesforceSection(context), auditSection(context)]);
  replace(
    context.root,
    context.title('Settings'),
    addressesSection(settings),
    workspaceForm(context, settings),
    privacySection(context, decodePrivacy(answer)),
    salesforce,
    audit,
  );
}

function lines(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function addressesSection(settings: Settings): HTMLElement {
  const rows = settings.touchpointAddresses.map((address) => {
    const input = h('input', {
      type: 'text',
      readonly: true,
      value: address,
      class: 'mono',
      'aria-label': `Touchpoint address ${address}`,
    });
    const state = h('span', { class: 'saved', 'aria-live': 'polite' });
    return h(
      'li',
      { class: 'address' },
      input,
      button(
        'Copy',
        () => {
          void copy(address, input).then((ok) =>
            replace(state, ok ? 'Copied.' : 'Selected: press Ctrl+C to copy.'),
          );
        },
        { class: 'small', 'aria-label': `Copy ${address}` },
      ),
      state,
    );
  });
  const first = settings.touchpointAddresses[0] ?? 'the touchpoint address';
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'addresses-title' },
    h('h2', { id: 'addresses-title' }, 'Touchpoint addresses'),
    rows.length === 0
      ? h('p', { class: 'muted' }, 'No address yet: add one below.')
      : h('ul', { class: 'addresses' }, ...rows),
    h('h3', {}, 'Three ways to use it'),
    h(
      'ol',
      { class: 'ways' },
      h(
        'li',
        {},
        h('strong', {}, 'Bcc or Cc it on mail you send to a customer. '),
        `Put ${first} in Bcc: the mail is logged on the account of the customers in To and Cc, with everyone as participants.`,
      ),
      h(
        'li',
        {},
        h('strong', {}, 'Forward a customer’s mail to it. '),
        'The forwarded message is logged with its original sender, date and participants.',
      ),
      h(
        'li',
        {},
        h('strong', {}, 'Send it your meeting notes '),
        'with the customer’s email address in the subject, e.g. “Call notes bob@globex.com”: the body is logged on that customer’s account.',
      ),
    ),
  );
}

const POLICIES: readonly [SenderAuthPolicy, string, string][] = [
  [
    'off',
    'Off',
    'Trust the From address, as most mail tools do. Anyone who can forge a From can log a touchpoint.',
  ],
  [
    'dmarc',
    'DMARC (recommended)',
    'Refuse mail that fails DMARC when the sender’s domain publishes a DMARC record.',
  ],
  ['strict', 'Strict', 'Always require SPF or DKIM aligned with the sender’s domain.'],
];

/**
 * What each policy means for mail taken in by IMAP, webhooks or the CLI (issue 25): it carries no client
 * IP, so SPF cannot be checked for it unless a trusted server's headers say who sent it.
 */
const WITHOUT_CLIENT_IP: Readonly<Record<SenderAuthPolicy, string>> = {
  off: '',
  dmarc:
    'Mail taken in by IMAP, webhooks or the CLI has no client IP, so SPF cannot be checked for it: only an aligned DKIM signature, or the Authentication-Results or Received header of a trusted server below, can pass it. When neither does, DMARC cannot be judged and the mail is accepted.',
  strict:
    'Mail taken in by IMAP, webhooks or the CLI has no client IP, so SPF cannot be checked for it: Strict refuses it unless it carries an aligned DKIM signature, or a trusted server below wrote its Authentication-Results or Received header.',
};

function workspaceForm(context: PageContext, settings: Settings): HTMLElement {
  const name = h('input', { type: 'text', value: settings.name, required: true, maxlength: 200 });
  const addresses = h('textarea', { rows: 2 });
  addresses.value = settings.touchpointAddresses.join('\n');
  const domains = h('textarea', { rows: 3 });
  domains.value = settings.internalDomains.join('\n');
  const reason = h('input', { type: 'text', value: settings.defaultReason ?? '', maxlength: 200 });
  const flow = h('input', { type: 'text', value: settings.defaultFlow, required: true, maxlength: 200 });
  const authserv = h('textarea', { rows: 2 });
  authserv.value = settings.trustedAuthservIds.join('\n');
  const policyName = newId('policy');
  const policies = POLICIES.map(([value, label, help]) => {
    const radio = h('input', {
      type: 'radio',
      name: policyName,
      value,
      id: newId('policy'),
      checked: settings.senderAuthPolicy === value,
    });
    const hintId = `${radio.id}-hint`;
    radio.setAttribute('aria-describedby', hintId);
    return {
      value,
      radio,
      element: h(
        'div',
        { class: 'choice-block' },
        h('label', { for: radio.id, class: 'choice' }, radio, ` ${label}`),
        h('p', { class: 'hint', id: hintId }, help),
      ),
    };
  });
  const channelNote = h('p', { class: 'hint', role: 'note' });
  const noteChosenPolicy = () => {
    const policy = policies.find((p) => p.radio.checked)?.value ?? settings.senderAuthPolicy;
    replace(channelNote, WITHOUT_CLIENT_IP[policy]);
    channelNote.hidden = WITHOUT_CLIENT_IP[policy] === '';
  };
  policies.forEach((p) => p.radio.addEventListener('change', noteChosenPolicy));
  noteChosenPolicy();
  const error = alertLine();
  const state = statusLine();
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save settings');
  const form = h(
    'form',
    { class: 'card settings-form', 'aria-labelledby': 'workspace-title' },
    h('h2', { id: 'workspace-title' }, 'Workspace'),
    field('Workspace name', name),
    field(
      'Touchpoint addresses',
      addresses,
      'One per line. Mail to any of them is logged in this workspace.',
    ),
    field(
      'Internal email domains',
      domains,
      'One per line, e.g. acme.com: addresses at these domains (and their subdomains) are your team, never customers.',
    ),
    h(
      'div',
      { class: 'row' },
      field('Default touchpoint reason', reason, 'Optional.'),
      field('Default flow', flow),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Sender authentication'),
      ...policies.map((p) => p.element),
      channelNote,
    ),
    field(
      'Trusted authentication servers',
      authserv,
      'authserv-ids or host names (one per line) of providers whose Authentication-Results headers, ARC seals and Received headers are believed.',
    ),
    error,
    h('div', { class: 'actions' }, save, state),
  );
  onSubmit(form, save, error, async () => {
    replace(state);
    const policy = policies.find((p) => p.radio.checked)?.value ?? settings.senderAuthPolicy;
    const body = {
      name: name.value.trim(),
      touchpointAddresses: lines(addresses.value),
      internalDomains: lines(domains.value),
      defaultReason: reason.value.trim() === '' ? null : reason.value.trim(),
      defaultFlow: flow.value.trim(),
      senderAuthPolicy: policy,
      trustedAuthservIds: lines(authserv.value),
    };
    await call('PUT', wsPath(context.session.login.workspaceId, 'settings'), { body });
    replace(state, 'Saved.');
    context.announce('Settings saved.');
  });
  return form;
}
