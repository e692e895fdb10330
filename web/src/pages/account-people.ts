// The people of an account (SPEC §1 memberships), page by page: who the customer is, since when (the
// recency rule compares it, SPEC §5 A3) and whether a contact. Admins add a person by email (an existing
// user, or a new one created first), change the date and the contact flag, and remove a person; this is
// where an admin fixes the directory for an inbound message that matched no account or several.
import { call, describe, query, wsPath } from '../api.js';
import type { PageContext } from '../context.js';
import { alertLine, badge, field, h, replace, statusLine } from '../dom.js';
import { when } from '../format.js';
import {
  decodeDirectoryUser,
  decodeMembership,
  decodePage,
  type Account,
  type Membership,
} from '../model.js';
import { pagedList, plural, type PagedList } from '../paged-list.js';
import { destructiveAction, onSubmit, removed } from '../forms.js';

/** `prefill`: an email to offer in the add form (the customer of a failed inbound message). */
export function peopleSection(context: PageContext, account: Account, prefill: string): PagedList {
  const ws = context.session.login.workspaceId;
  const admin = context.session.login.role === 'admin';
  const list = h('ul', { class: 'cards account-people', 'aria-label': 'People of the account' });
  const outcome = statusLine();
  const people = pagedList<Membership>({
    label: 'people',
    list,
    load: async (cursor) =>
      decodePage(
        await call('GET', wsPath(ws, 'memberships') + query({ accountId: account.id, limit: 50, cursor })),
        decodeMembership,
      ),
    item: (membership) => personItem(context, account, membership, outcome),
    empty: 'No person belongs to this account yet.',
    announce: context.announce,
    noun: (n) => plural(n, 'person', 'people'),
  });
  const element = h(
    'section',
    { class: 'people-section', 'aria-labelledby': 'people-title' },
    h('h2', { id: 'people-title' }, 'People'),
    admin
      ? // Folded until asked for, so the people come first (issue 20); open when a page sent an address.
        h(
          'details',
          { class: 'manage add-person', open: prefill !== '' },
          h('summary', {}, 'Add a person'),
          addForm(context, account, prefill, () => void people.reload()),
        )
      : h(
          'p',
          { class: 'muted' },
          'You see the people as a member: an admin adds, changes and removes them.',
        ),
    outcome,
    people.element,
  );
  return { element, reload: () => people.reload() };
}

function membershipPath(context: PageContext, m: Membership): string {
  return wsPath(context.session.login.workspaceId, 'memberships', m.userId, m.accountId);
}

/** The user with exactly this email (the API normalizes it as the import does), or null. */
async function userByEmail(ws: string, email: string): Promise<string | null> {
  const page = decodePage(
    await call('GET', wsPath(ws, 'users') + query({ email, limit: 1 })),
    decodeDirectoryUser,
  );
  return page.items[0]?.id ?? null;
}

function addForm(
  context: PageContext,
  account: Account,
  prefill: string,
  added: () => void,
): HTMLFormElement {
  const ws = context.session.login.workspaceId;
  const email = h('input', {
    type: 'email',
    name: 'email',
    required: true,
    autocomplete: 'off',
    value: prefill,
  });
  const name = h('input', { type: 'text', name: 'name', maxlength: 1000, autocomplete: 'off' });
  const id = h('input', { type: 'text', name: 'user-id', maxlength: 1000, autocomplete: 'off' });
  // The id follows the email's local part until the admin types one of their own.
  let idTyped = false;
  const suggest = () => {
    if (!idTyped) id.value = email.value.trim().split('@')[0] ?? '';
  };
  suggest();
  email.addEventListener('input', suggest);
  id.addEventListener('input', () => {
    idTyped = id.value !== '';
  });
  const error = alertLine();
  const state = statusLine();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Add person');
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'add-person-title' },
    h('h3', { id: 'add-person-title' }, 'Add a person'),
    h(
      'div',
      { class: 'row' },
      field('Email', email),
      field('Name', name, 'For a new person; optional.'),
      field('User id', id, 'For a new person: the directory id to create.'),
    ),
    h('p', { class: 'hint' }, 'A person already in the directory with this email is added as they are.'),
    error,
    h('div', { class: 'actions' }, submit, state),
  );
  onSubmit(form, submit, error, async () => {
    replace(state);
    const address = email.value.trim();
    let userId = await userByEmail(ws, address);
    let created = '';
    if (userId === null) {
      if (id.value.trim() === '')
        throw new Error('No person has this email yet: give the new one a user id.');
      const body = { id: id.value.trim(), email: address, name: name.value.trim() };
      userId = decodeDirectoryUser(await call('POST', wsPath(ws, 'users'), { body })).id;
      created = ` (new person ${userId})`;
    }
    try {
      await call('POST', wsPath(ws, 'memberships'), { body: { userId, accountId: account.id } });
    } catch (failure) {
      if (created === '') throw failure;
      // Say what did happen: the person exists now, and submitting again adds them to the account.
      throw new Error(
        `${address} is in the directory now as ${userId}, but was not added to this account: ${describe(failure)} Submit again to add them.`,
        { cause: failure },
      );
    }
    const message = `Added ${address}${created}.`;
    replace(state, message);
    context.announce(message);
    form.reset();
    idTyped = false;
    email.value = '';
    suggest();
    added();
  });
  return form;
}

function personItem(
  context: PageContext,
  account: Account,
  membership: Membership,
  outcome: HTMLElement,
  note = '',
): HTMLLIElement {
  const who = membership.userEmail ?? membership.userId;
  const item = h(
    'li',
    { class: 'card person-card' },
    h('h3', {}, membership.userName === '' ? who : membership.userName),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: 'mono' }, membership.userEmail ?? '(no email)'),
      ' ',
      membership.isContact ? badge('contact', 'flag') : null,
    ),
    h(
      'p',
      { class: 'meta' },
      'Associated ',
      membership.associatedAt === null
        ? '— (no date)'
        : h('time', { datetime: membership.associatedAt }, when(membership.associatedAt)),
      ` · user ${membership.userId}`,
    ),
    note === '' ? null : h('p', { class: 'saved', role: 'status' }, note),
  );
  if (context.session.login.role !== 'admin') return item;
  const changed = (next: Membership, message: string) => {
    const replacement = personItem(context, account, next, outcome, message);
    item.replaceWith(replacement);
    replacement.querySelector<HTMLElement>('summary')?.focus();
  };
  item.appendChild(
    h(
      'details',
      { class: 'manage' },
      h('summary', {}, `Change ${who}`),
      personForm(context, membership, who, changed),
      changeForm(context, membership, who, changed),
      removeControl(context, account, membership, who, outcome, item),
    ),
  );
  return item;
}

/**
 * The person's own email and name (SPEC §5's first fix: "make the address match the directory"): changed
 * for every account the person belongs to.
 */
function personForm(
  context: PageContext,
  membership: Membership,
  who: string,
  changed: (membership: Membership, message: string) => void,
): HTMLFormElement {
  const email = h('input', {
    type: 'email',
    name: 'user-email',
    value: membership.userEmail ?? '',
    autocomplete: 'off',
  });
  const name = h('input', { type: 'text', name: 'user-name', value: membership.userName, maxlength: 1000 });
  const error = alertLine();
  const save = h('button', { type: 'submit' }, 'Save the person');
  const form = h(
    'form',
    { 'aria-label': `The person ${who}` },
    h(
      'div',
      { class: 'row' },
      field('Person’s email', email, 'As the customer writes it; on every account of theirs.'),
      field('Person’s name', name),
    ),
    error,
    h('div', { class: 'actions' }, save),
  );
  onSubmit(form, save, error, async () => {
    const body = { email: email.value.trim() === '' ? null : email.value.trim(), name: name.value.trim() };
    const user = decodeDirectoryUser(
      await call('PATCH', wsPath(context.session.login.workspaceId, 'users', membership.userId), { body }),
    );
    context.announce(`Saved ${user.email ?? user.id}.`);
    changed({ ...membership, userEmail: user.email, userName: user.name }, 'Saved.');
  });
  return form;
}

function changeForm(
  context: PageContext,
  membership: Membership,
  who: string,
  changed: (membership: Membership, message: string) => void,
): HTMLFormElement {
  const day = membership.associatedAt?.slice(0, 10) ?? '';
  const date = h('input', { type: 'date', name: 'associated-at', value: day });
  const contact = h('input', { type: 'checkbox', name: 'contact', checked: membership.isContact });
  const error = alertLine();
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save changes');
  const form = h(
    'form',
    { 'aria-label': `Change ${who}` },
    field(
      'Associated on',
      date,
      'UTC date. When a customer belongs to several accounts, the most recent association wins; empty for none.',
    ),
    h('label', { class: 'check' }, contact, ' Contact'),
    error,
    h('div', { class: 'actions' }, save),
  );
  onSubmit(form, save, error, async () => {
    // The time of day stays as it was unless the date itself changed.
    const body = {
      isContact: contact.checked,
      ...(date.value === day ? {} : { associatedAt: date.value === '' ? null : date.value }),
    };
    const saved = decodeMembership(await call('PATCH', membershipPath(context, membership), { body }));
    context.announce(`Saved ${who}.`);
    changed({ ...membership, associatedAt: saved.associatedAt, isContact: saved.isContact }, 'Saved.');
  });
  return form;
}

function removeControl(
  context: PageContext,
  account: Account,
  membership: Membership,
  who: string,
  outcome: HTMLElement,
  item: HTMLLIElement,
): HTMLElement {
  const accountName = account.name === '' ? account.id : account.name;
  return destructiveAction({
    text: 'Remove from account',
    label: `Remove ${who}`,
    question: `Remove ${who} from ${accountName}? The person stays in the directory.`,
    confirm: 'Yes, remove',
    act: () => call('DELETE', membershipPath(context, membership)),
    done: () => removed(context, item, outcome, `Removed ${who} from ${accountName}.`),
  });
}
