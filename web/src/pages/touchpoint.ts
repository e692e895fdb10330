// One touchpoint: subject, date, author, participants (internal/external), reason and flow, content
// (text with its quoted history folded, and the HTML in a sandboxed frame), attachments, "Why this
// account?", the edit history and, when configured, its Salesforce sync status (SPEC §6, §9).
import { ApiError, call, describe, wsPath } from '../api.js';
import type { PageContext } from '../context.js';
import { badge, button, h, link, replace } from '../dom.js';
import { fields, list, str, strOrNull } from '../decode.js';
import { bytes, scenarioText, when } from '../format.js';
import { mailFrame } from '../mail-frame.js';
import { decodeEdit, decodeTouchpoint, type Touchpoint } from '../model.js';
import { participantsView } from '../participants-view.js';
import { traceView } from '../trace-view.js';

export async function touchpointPage(context: PageContext, [id = '']: readonly string[]) {
  const ws = context.session.login.workspaceId;
  const tp = decodeTouchpoint(await call('GET', wsPath(ws, 'touchpoints', id)));
  const history = h(
    'section',
    { class: 'card', 'aria-labelledby': 'edits-title' },
    h('h2', { id: 'edits-title' }, 'Edit history'),
  );
  const sync = h('div', { class: 'sync' });
  replace(
    context.root,
    h(
      'p',
      { class: 'crumbs' },
      link(['accounts'], 'Accounts'),
      ' / ',
      link(['accounts', tp.accountId], tp.accountName ?? tp.accountId),
      ' / ',
    ),
    h(
      'div',
      { class: 'title-row' },
      context.title(tp.subject === '' ? '(no subject)' : tp.subject),
      link(['touchpoints', tp.id, 'edit'], 'Edit', { class: 'button' }),
    ),
    facts(tp, sync),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'people-title' },
      h('h2', { id: 'people-title' }, 'Participants'),
      participantsView(tp.participants),
    ),
    content(tp),
    originalNote(tp),
    attachments(tp),
    traceView(tp.trace),
    history,
  );
  await Promise.all([loadEdits(ws, tp.id, history), loadSync(ws, tp.id, sync)]);
}

function facts(tp: Touchpoint, sync: HTMLElement): HTMLElement {
  const rows: [string, Node | string][] = [
    ['Date', h('time', { datetime: tp.occurredAt }, when(tp.occurredAt))],
    ['Author', tp.authorName === null ? tp.author : `${tp.authorName} <${tp.author}>`],
    ['Account', link(['accounts', tp.accountId], tp.accountName ?? tp.accountId)],
    ['Reason', tp.reason === null ? '—' : badge(tp.reason, 'reason')],
    ['Flow', badge(tp.flow, 'flow')],
    ['Logged from', scenarioText(tp.scenario)],
    ['Salesforce', sync],
  ];
  const dl = h('dl', { class: 'facts card' });
  for (const [term, value] of rows) dl.append(h('div', {}, h('dt', {}, term), h('dd', {}, value)));
  return dl;
}

function content(tp: Touchpoint): HTMLElement {
  const section = h(
    'section',
    { class: 'card', 'aria-labelledby': 'content-title' },
    h('h2', { id: 'content-title' }, 'Content'),
  );
  const text = h('pre', { class: 'mailtext' }, tp.visible ?? tp.text);
  const textPanel = h('div', { class: 'text-panel' }, text);
  if (tp.visible !== null && tp.visible !== tp.text) {
    // A forward shows the customer's words first and the forwarder's note apart (issue 17); the toggle
    // shows the mail as it was received.
    const what = tp.scenario === 'forward' ? 'the mail as received' : 'quoted history and signature';
    const toggle = button(
      `Show ${what}`,
      () => {
        const open = toggle.getAttribute('aria-expanded') === 'true';
        toggle.setAttribute('aria-expanded', String(!open));
        toggle.textContent = `${open ? 'Show' : 'Hide'} ${what}`;
        text.textContent = open ? (tp.visible ?? tp.text) : tp.text;
      },
      { class: 'small', 'aria-expanded': 'false' },
    );
    textPanel.append(toggle);
  }
  if (tp.html === null) {
    section.append(textPanel);
    return section;
  }
  // Text first (it never loads anything); the formatted view is one press away.
  const htmlPanel = h('div', { class: 'html-panel', hidden: true });
  const asText = button('Text', () => pick(false), { class: 'tab', 'aria-pressed': 'true' });
  const asHtml = button('Formatted', () => pick(true), { class: 'tab', 'aria-pressed': 'false' });
  const html = tp.html;
  let built = false;
  function pick(formatted: boolean): void {
    asText.setAttribute('aria-pressed', String(!formatted));
    asHtml.setAttribute('aria-pressed', String(formatted));
    textPanel.hidden = formatted;
    htmlPanel.hidden = !formatted;
    if (formatted && !built) {
      htmlPanel.append(mailFrame(html));
      built = true;
    }
  }
  section.append(
    h('div', { class: 'tabs', role: 'group', 'aria-label': 'Show the content as' }, asText, asHtml),
    textPanel,
    htmlPanel,
  );
  return section;
}

/** Mail whose original message is gone (SPEC §11: retention, no-body storage, an erasure) says so. */
function originalNote(tp: Touchpoint): HTMLElement | null {
  if (tp.scenario === null || tp.originalKept) return null;
  return h(
    'p',
    { class: 'card notice', role: 'note' },
    'The original message is no longer kept (the workspace’s privacy settings): attachments are unavailable.',
  );
}

function attachments(tp: Touchpoint): HTMLElement | null {
  if (tp.attachments.length === 0) return null;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'attachments-title' },
    h('h2', { id: 'attachments-title' }, `Attachments (${tp.attachments.length})`),
    h(
      'ul',
      { class: 'attachments' },
      ...tp.attachments.map((a) =>
        h(
          'li',
          {},
          a.download === null
            ? h('span', { class: 'file' }, a.name)
            : h('a', { class: 'file', href: a.download, download: a.name }, a.name),
          h('span', { class: 'muted' }, ` ${a.contentType} · ${bytes(a.size)}`),
        ),
      ),
    ),
  );
}

async function loadEdits(ws: string, id: string, section: HTMLElement): Promise<void> {
  try {
    const page = fields(await call('GET', wsPath(ws, 'touchpoints', id, 'edits')));
    const edits = list(page, 'items').map(decodeEdit);
    if (edits.length === 0) {
      section.append(h('p', { class: 'muted' }, 'Not edited since it was recorded.'));
      return;
    }
    section.append(
      h(
        'ol',
        { class: 'edits' },
        ...edits.map((e) =>
          h(
            'li',
            {},
            h('time', { datetime: e.at }, when(e.at)),
            ` ${e.actor} changed ${e.fields.length === 0 ? 'the touchpoint' : e.fields.join(', ')}`,
            e.notify === null ? null : ` · notified: ${notifyText(e.notify)}`,
          ),
        ),
      ),
    );
  } catch (error) {
    section.append(
      h(
        'p',
        { class: 'muted' },
        error instanceof ApiError && error.status === 404
          ? 'No edit history.'
          : 'The edit history could not be loaded.',
      ),
    );
  }
}

export function notifyText(notify: string): string {
  return notify === 'all' ? 'all participants' : notify === 'new' ? 'new participants' : 'no one';
}

const SYNC: Readonly<Record<string, string>> = {
  none: 'not synced (the sync was off)',
  pending: 'waiting to sync',
  synced: 'synced',
  failed: 'failed',
  paused: 'paused',
};

/** SPEC §9: per-touchpoint sync status, and "Sync again" once the reason it is not synced was fixed. */
async function loadSync(ws: string, id: string, target: HTMLElement): Promise<void> {
  let state: unknown;
  try {
    state = await call('GET', wsPath(ws, 'touchpoints', id, 'salesforce'));
  } catch {
    replace(target, h('span', { class: 'muted' }, 'not connected'));
    return;
  }
  showSync(ws, id, target, state);
}

function showSync(ws: string, id: string, target: HTMLElement, state: unknown): void {
  const f = fields(state);
  const status = str(f, 'status', 'none');
  const detail = strOrNull(f, 'lastError') ?? strOrNull(f, 'taskId');
  const again =
    status === 'synced' || status === 'pending'
      ? null
      : button(
          'Sync again',
          () => {
            again?.setAttribute('disabled', '');
            call('POST', wsPath(ws, 'touchpoints', id, 'salesforce', 'resync')).then(
              (json) => showSync(ws, id, target, json),
              (error: unknown) =>
                replace(target, badge(SYNC[status] ?? status, `sync-${status}`), ` ${describe(error)}`),
            );
          },
          { class: 'small' },
        );
  replace(
    target,
    badge(SYNC[status] ?? status, `sync-${status}`),
    detail === null ? null : h('span', { class: 'muted' }, ` ${detail} `),
    again === null ? null : ' ',
    again,
  );
}
