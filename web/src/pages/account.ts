// An account's page: its health (SPEC §13) and timeline of touchpoints first, newest first, page by page;
// then its people (account-people.ts) and attributes (the "Touchpoint Default BCC Email" switch for
// admins, SPEC §5 A2).
import { call, describe, query, wsPath } from '../api.js';
import type { PageContext } from '../context.js';
import { badge, h, link, newId, replace } from '../dom.js';
import { when } from '../format.js';
import { decodeAccount, decodePage, decodeTimelineItem, type Account, type TimelineItem } from '../model.js';
import { pagedList, plural } from '../paged-list.js';
import { peopleSection } from './account-people.js';

export async function accountPage(
  context: PageContext,
  [id = '']: readonly string[],
  search: URLSearchParams,
) {
  const ws = context.session.login.workspaceId;
  const account = decodeAccount(await call('GET', wsPath(ws, 'accounts', id)));
  const list = h('ol', { class: 'timeline', 'aria-label': 'Timeline, newest first' });
  const timeline = pagedList<TimelineItem>({
    label: 'touchpoints',
    list,
    load: async (cursor) =>
      decodePage(
        await call('GET', wsPath(ws, 'accounts', id, 'timeline') + query({ limit: 20, cursor })),
        decodeTimelineItem,
      ),
    item: timelineEntry,
    empty: 'No touchpoint yet. Bcc the touchpoint address on mail to this customer to start the timeline.',
    announce: context.announce,
    noun: (n) => plural(n, 'touchpoint', 'touchpoints'),
  });
  // ?add=EMAIL: the inbound page sends an admin here to add a message's customer.
  const people = peopleSection(context, account, search.get('add') ?? '');
  // The timeline first (on a phone too), the account's health above it; people and attributes after.
  replace(
    context.root,
    h('p', { class: 'crumbs' }, link(['accounts'], 'Accounts'), ' / '),
    context.title(account.name === '' ? account.id : account.name),
    h(
      'div',
      { class: 'columns account-columns' },
      h(
        'div',
        { class: 'main-column' },
        health(account),
        h(
          'section',
          { 'aria-labelledby': 'timeline-title' },
          h('h2', { id: 'timeline-title' }, 'Timeline'),
          timeline.element,
        ),
        people.element,
      ),
      h(
        'section',
        { class: 'card side', 'aria-labelledby': 'attributes-title' },
        ...attributes(context, account),
      ),
    ),
  );
  await Promise.all([people.reload(), timeline.reload()]);
}

/** SPEC §13: the last touch (date, days since, who) and the touches of the last 30 and 90 days. */
function health(account: Account): HTMLElement {
  const last =
    account.lastTouchAt === null
      ? 'never'
      : `${when(account.lastTouchAt)} (${daysSince(account.lastTouchAt)})${account.lastTouchBy === null ? '' : ` by ${account.lastTouchBy}`}`;
  return h(
    'dl',
    { class: 'health', 'aria-label': 'Account health' },
    h('dt', {}, 'Last touch'),
    h('dd', {}, last),
    h('dt', {}, 'Last 30 days'),
    h('dd', {}, plural(account.touchpoints30d, 'touchpoint', 'touchpoints')),
    h('dt', {}, 'Last 90 days'),
    h('dd', {}, plural(account.touchpoints90d, 'touchpoint', 'touchpoints')),
  );
}

function daysSince(iso: string): string {
  const days = Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 86_400_000));
  return days === 0 ? 'today' : plural(days, 'day ago', 'days ago');
}

function attributes(context: PageContext, account: Account): Node[] {
  const rows: [string, Node | string][] = [
    ['Id', h('span', { class: 'mono' }, account.id)],
    [
      'Parent account',
      account.parentId === null ? '—' : link(['accounts', account.parentId], account.parentId),
    ],
    ['Salesforce account', account.salesforceAccountId ?? '—'],
  ];
  const { members, children, touchpoints } = account.counts;
  if (members !== null) rows.push(['People', String(members)]);
  if (children !== null && children > 0) rows.push(['Sub-accounts', String(children)]);
  if (touchpoints !== null) rows.push(['Touchpoints', String(touchpoints)]);
  for (const [key, value] of account.attributes) {
    if (key === 'touchpointDefaultBccEmail' || key === 'salesforceAccountId') continue;
    rows.push([key, typeof value === 'string' ? value : JSON.stringify(value)]);
  }
  const list = h('dl', { class: 'attributes' });
  for (const [term, value] of rows) list.append(h('dt', {}, term), h('dd', {}, value));
  return [h('h2', { id: 'attributes-title' }, 'Attributes'), list, defaultBcc(context, account)];
}

/** SPEC §5 A2: a customer of several accounts is placed on the one flagged "Touchpoint Default BCC Email". */
function defaultBcc(context: PageContext, account: Account): HTMLElement {
  const hintId = newId('bcc-hint');
  const hint = h(
    'p',
    { class: 'hint', id: hintId },
    'When a customer belongs to several accounts, mail is logged on the one with this set.',
  );
  if (context.session.login.role !== 'admin')
    return h(
      'div',
      { class: 'setting' },
      h(
        'p',
        {},
        'Touchpoint Default BCC Email: ',
        badge(account.touchpointDefaultBccEmail ? 'on' : 'off', 'flag'),
      ),
      hint,
    );
  const box = h('input', {
    type: 'checkbox',
    id: newId('bcc'),
    checked: account.touchpointDefaultBccEmail,
    'aria-describedby': hintId,
  });
  const state = h('span', { class: 'saved', 'aria-live': 'polite' });
  box.addEventListener('change', () => {
    box.disabled = true;
    const wanted = box.checked;
    call('PATCH', wsPath(context.session.login.workspaceId, 'accounts', account.id), {
      body: { attributes: { touchpointDefaultBccEmail: wanted } },
    }).then(
      () => {
        box.disabled = false;
        replace(state, 'Saved.');
      },
      (error: unknown) => {
        box.disabled = false;
        box.checked = !wanted;
        replace(state, describe(error));
      },
    );
  });
  return h(
    'div',
    { class: 'setting' },
    h('label', { class: 'check', for: box.id }, box, ' Touchpoint Default BCC Email'),
    hint,
    state,
  );
}

function timelineEntry(item: TimelineItem): HTMLLIElement {
  const external = item.participants.filter((p) => p.side === 'external');
  return h(
    'li',
    { class: 'card entry' },
    h('time', { datetime: item.occurredAt }, when(item.occurredAt)),
    h('h3', {}, link(['touchpoints', item.id], item.subject === '' ? '(no subject)' : item.subject)),
    h(
      'p',
      { class: 'meta' },
      item.reason === null ? null : badge(item.reason, 'reason'),
      ' ',
      badge(item.flow, 'flow'),
      ` by ${item.author}`,
      external.length === 0 ? null : ` · with ${external.map((p) => p.name || p.email).join(', ')}`,
      item.participantCount > item.participants.length
        ? ` and ${item.participantCount - item.participants.length} more`
        : null,
      item.attachmentCount === 0 ? null : ` · ${plural(item.attachmentCount, 'attachment', 'attachments')}`,
    ),
    item.preview === '' ? null : h('p', { class: 'preview' }, item.preview),
  );
}
