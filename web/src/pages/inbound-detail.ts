// One inbound message: its outcome and trace; for a failed or pending one, the candidate accounts, an
// "assign to account" action (search any account), links to the candidate or chosen account's people
// (where the directory is fixed) and "retry" after the directory was fixed (SPEC §5).
import { call, wsPath } from '../api.js';
import { accountPicker } from '../account-picker.js';
import type { PageContext } from '../context.js';
import { alertLine, h, link, replace, routeHref } from '../dom.js';
import { fields, str } from '../decode.js';
import { reasonText, scenarioText, when } from '../format.js';
import { decodeAccount, decodeInbound, type Account, type InboundItem } from '../model.js';
import { participantsView } from '../participants-view.js';
import { traceView } from '../trace-view.js';
import { statusBadge } from './inbound.js';
import { actionButton } from '../forms.js';

export async function inboundDetailPage(context: PageContext, [id = '']: readonly string[]) {
  const ws = context.session.login.workspaceId;
  const item = decodeInbound(await call('GET', wsPath(ws, 'inbound', id)));
  // The detail names the candidates; an older answer gives ids only, so their names are looked up.
  const named = new Map(item.candidateAccounts.map((c) => [c.id, c.name]));
  const candidates = await Promise.all(
    item.candidates.map(async (accountId): Promise<Account> => {
      const name = named.get(accountId);
      if (name !== undefined) return decodeAccount({ id: accountId, name: name ?? `${accountId} (deleted)` });
      try {
        return decodeAccount(await call('GET', wsPath(ws, 'accounts', accountId)));
      } catch {
        return decodeAccount({ id: accountId, name: accountId });
      }
    }),
  );
  const rows: [string, Node | string][] = [
    ['Status', statusBadge(item.status)],
    ['Reason', item.reason === null ? '—' : `${reasonText(item.reason)} (${item.reason})`],
    ['Received', h('time', { datetime: item.receivedAt }, when(item.receivedAt))],
    ['Sender', item.sender || '—'],
    ['Channel', item.channel || '—'],
    ['Kind', item.scenario === null ? '—' : scenarioText(item.scenario)],
    ['Mail date', when(item.occurredAt)],
  ];
  if (item.rcptTo.length > 0) rows.push(['To (envelope)', item.rcptTo.join(', ')]);
  if (item.authentication !== null) rows.push(['Sender authentication', item.authentication]);
  if (item.attempts !== null) rows.push(['Attempts', String(item.attempts)]);
  if (item.lastError !== null) rows.push(['Last error', item.lastError]);
  if (item.accountId !== null) rows.push(['Account', link(['accounts', item.accountId], item.accountId)]);
  if (item.touchpointId !== null)
    rows.push(['Touchpoint', link(['touchpoints', item.touchpointId], 'Open the touchpoint')]);
  const facts = h('dl', { class: 'facts card' });
  for (const [term, value] of rows) facts.append(h('div', {}, h('dt', {}, term), h('dd', {}, value)));

  replace(
    context.root,
    h('p', { class: 'crumbs' }, link(['inbound'], 'Inbound log'), ' / '),
    context.title(item.subject ?? '(no subject)'),
    facts,
    item.reason === 'unprocessable'
      ? runAgain(context, item)
      : item.status === 'failed' || item.status === 'pending'
        ? fix(context, item, candidates)
        : null,
    item.participants.length === 0
      ? null
      : h(
          'section',
          { class: 'card', 'aria-labelledby': 'people-title' },
          h('h2', { id: 'people-title' }, 'Participants'),
          participantsView(item.participants),
        ),
    traceView(item.trace, item.status !== 'recorded'),
  );
}

/** After assign or retry: says how it ended, then opens the touchpoint or shows the entry again. */
function afterAction(context: PageContext, json: unknown, verb: string): void {
  const outcome = decodeInbound(json);
  const status = outcome.status === '' ? str(fields(json), 'status') : outcome.status;
  context.announce(`${verb}: ${status}${outcome.reason === null ? '' : ` (${reasonText(outcome.reason)})`}.`);
  if (outcome.touchpointId !== null) context.go(routeHref(['touchpoints', outcome.touchpointId]));
  else window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/**
 * A message Touchmail could not process (SPEC §10): no account to choose, the rules never ran. It is kept;
 * running it again after an update is the way out.
 */
function runAgain(context: PageContext, item: InboundItem): HTMLElement {
  const ws = context.session.login.workspaceId;
  const error = alertLine();
  const retry = actionButton(
    'Run it again',
    error,
    async () => {
      afterAction(context, await call('POST', wsPath(ws, 'inbound', item.id, 'retry')), 'Ran it again');
    },
    { class: 'primary' },
  );
  return h(
    'section',
    { class: 'card fix', 'aria-labelledby': 'fix-title' },
    h('h2', { id: 'fix-title' }, 'Touchmail could not process this message'),
    h(
      'p',
      {},
      'Processing it failed each time it was tried, so the rules never ran. Nothing is lost: the message is kept here. Run it again once Touchmail is updated; if it still fails, the error below says where.',
    ),
    item.lastError === null ? null : h('p', { class: 'hint' }, `Error: ${item.lastError}`),
    error,
    h('div', { class: 'actions' }, retry),
  );
}

function fix(context: PageContext, item: InboundItem, candidates: readonly Account[]): HTMLElement {
  const ws = context.session.login.workspaceId;
  const error = alertLine();
  // One click to an account's People, to fix the directory there; a lone customer is offered to add.
  const customers = item.participants.filter((p) => p.side === 'external');
  const add = { add: customers.length === 1 ? (customers[0]?.email ?? '') : '' };
  const peopleLink = (account: Account) =>
    h(
      'a',
      { href: routeHref(['accounts', account.id], add) },
      `People of ${account.name === '' ? account.id : account.name}`,
    );
  const chosenLink = h('p', { class: 'hint', 'aria-live': 'polite' });
  const picker = accountPicker({
    workspaceId: ws,
    legend:
      candidates.length > 0
        ? 'Assign to one of the candidates, or search any account'
        : 'Assign to an account',
    initial: candidates,
    onChange: (account) =>
      replace(chosenLink, account === null ? null : 'Or fix the directory: ', account && peopleLink(account)),
  });
  const done = (json: unknown, verb: string) => afterAction(context, json, verb);
  const assign = actionButton(
    'Assign to this account',
    error,
    async () => {
      const chosen = picker.selected();
      if (chosen === null) throw new Error('Choose an account first.');
      const json = await call('POST', wsPath(ws, 'inbound', item.id, 'assign'), {
        body: { accountId: chosen.id },
      });
      done(json, `Assigned to ${chosen.name}`);
    },
    { class: 'primary' },
  );
  const retry = actionButton('Retry', error, async () => {
    done(await call('POST', wsPath(ws, 'inbound', item.id, 'retry')), 'Retried');
  });
  return h(
    'section',
    { class: 'card fix', 'aria-labelledby': 'fix-title' },
    h('h2', { id: 'fix-title' }, 'Record this message'),
    h(
      'p',
      {},
      'Choose the account it belongs to, or fix the directory (add the customer, a membership or the Default BCC attribute) and retry.',
    ),
    candidates.length === 0
      ? null
      : h(
          'p',
          { class: 'candidate-links' },
          'Candidates: ',
          ...candidates.flatMap((account, i) => [i === 0 ? null : ', ', peopleLink(account)]),
        ),
    picker.element,
    chosenLink,
    error,
    h('div', { class: 'actions' }, assign, retry),
  );
}
