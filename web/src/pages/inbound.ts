// The inbound log: every message received, with its status and reason, filtered by status, reason,
// sender and date range (SPEC §5: nothing unmatched is lost).
import { call, query, wsPath } from '../api.js';
import type { PageContext } from '../context.js';
import { badge, field, h, link, replace, routeHref } from '../dom.js';
import { REASONS, reasonText, STATUSES, when } from '../format.js';
import { decodeInbound, decodePage, type InboundItem } from '../model.js';
import { pagedList, plural } from '../paged-list.js';

export async function inboundPage(context: PageContext, _params: readonly string[], q: URLSearchParams) {
  const ws = context.session.login.workspaceId;
  const status = h(
    'select',
    { name: 'status' },
    h('option', { value: '' }, 'Any status'),
    ...STATUSES.map((s) => h('option', { value: s }, s)),
  );
  status.value = q.get('status') ?? '';
  const reason = h(
    'select',
    { name: 'reason' },
    h('option', { value: '' }, 'Any reason'),
    ...Object.entries(REASONS).map(([code, text]) => h('option', { value: code }, `${code} — ${text}`)),
  );
  reason.value = q.get('reason') ?? '';
  const sender = h('input', {
    type: 'text',
    name: 'sender',
    value: q.get('sender') ?? '',
    autocomplete: 'off',
  });
  const since = h('input', { type: 'date', name: 'since', value: q.get('since') ?? '' });
  const until = h('input', { type: 'date', name: 'until', value: q.get('until') ?? '' });
  const filters = () => ({
    status: status.value,
    reason: reason.value,
    sender: sender.value.trim(),
    since: since.value,
    until: until.value,
  });

  const list = h('ul', { class: 'log', 'aria-label': 'Inbound messages, newest first' });
  const log = pagedList<InboundItem>({
    label: 'messages',
    list,
    load: async (cursor) => {
      const f = filters();
      return decodePage(
        await call(
          'GET',
          wsPath(ws, 'inbound') +
            query({
              status: f.status,
              reason: f.reason,
              sender: f.sender,
              // Dates are whole days in the viewer's time zone.
              since: f.since === '' ? '' : new Date(`${f.since}T00:00:00`).toISOString(),
              until: f.until === '' ? '' : new Date(`${f.until}T23:59:59.999`).toISOString(),
              limit: 50,
              cursor,
            }),
        ),
        decodeInbound,
      );
    },
    item: logEntry,
    empty: 'No message matches these filters.',
    announce: context.announce,
    noun: (n) => plural(n, 'message', 'messages'),
  });
  const form = h(
    'form',
    { class: 'card filters', 'aria-label': 'Filter the inbound log' },
    field('Status', status),
    field('Reason', reason),
    field('Sender', sender, 'The full address.'),
    field('From', since),
    field('Until', until),
    h(
      'div',
      { class: 'filter-actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Filter'),
      h('a', { href: '#/inbound', class: 'button secondary' }, 'Clear'),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    history.replaceState(null, '', routeHref(['inbound'], filters()));
    void log.reload();
  });
  replace(context.root, context.title('Inbound log'), form, log.element);
  await log.reload();
}

export function statusBadge(status: string): HTMLSpanElement {
  return badge(status, `status-${status}`);
}

function logEntry(item: InboundItem): HTMLLIElement {
  return h(
    'li',
    { class: 'card log-entry' },
    h('div', { class: 'log-status' }, statusBadge(item.status)),
    h(
      'div',
      { class: 'log-main' },
      h('p', { class: 'log-subject' }, link(['inbound', item.id], item.subject ?? '(no subject)')),
      h(
        'p',
        { class: 'meta' },
        h('time', { datetime: item.receivedAt }, when(item.receivedAt)),
        ` · ${item.sender || 'no sender'} · ${item.channel}`,
      ),
      item.reason === null ? null : h('p', { class: 'log-reason' }, reasonText(item.reason)),
    ),
  );
}
