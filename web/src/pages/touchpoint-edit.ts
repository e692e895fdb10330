// Editing a touchpoint: subject, reason, flow, content, participants, account. When participants were
// added or the content changed, the editor chooses whom to notify: no one, the new participants or
// all participants (SPEC §7). Saves only what changed, guarded by the version it was read at.
import { ApiError, call, describe, wsPath } from '../api.js';
import { accountPicker } from '../account-picker.js';
import type { PageContext } from '../context.js';
import { alertLine, badge, button, field, h, link, replace, routeHref } from '../dom.js';
import { decodeTouchpoint, type Participant } from '../model.js';
import { notifyText } from './touchpoint.js';

type Notify = 'none' | 'new' | 'all';

export async function touchpointEditPage(context: PageContext, [id = '']: readonly string[]) {
  const ws = context.session.login.workspaceId;
  const tp = decodeTouchpoint(await call('GET', wsPath(ws, 'touchpoints', id)));
  const subject = h('input', { type: 'text', value: tp.subject, maxlength: 998, required: true });
  const reason = h('input', { type: 'text', value: tp.reason ?? '', maxlength: 200 });
  const flow = h('input', { type: 'text', value: tp.flow, maxlength: 200 });
  const text = h('textarea', { rows: 12 });
  text.value = tp.text;
  const original = new Set(tp.participants.map((p) => p.email.toLowerCase()));
  const people: Participant[] = [...tp.participants];

  const peopleList = h('ul', { class: 'edit-people' });
  const newEmail = h('input', { type: 'email', autocomplete: 'off' });
  const newName = h('input', { type: 'text', autocomplete: 'off' });
  const peopleError = alertLine();

  const notifyChoices: Record<Notify, HTMLInputElement> = {
    none: h('input', { type: 'radio', name: 'notify', value: 'none', id: 'notify-none', checked: true }),
    new: h('input', { type: 'radio', name: 'notify', value: 'new', id: 'notify-new' }),
    all: h('input', { type: 'radio', name: 'notify', value: 'all', id: 'notify-all' }),
  };
  const notify = h(
    'fieldset',
    { class: 'notify', hidden: true },
    h('legend', {}, 'Notify about this change'),
    ...(['none', 'new', 'all'] as const).map((choice) =>
      h(
        'label',
        { class: 'choice', for: notifyChoices[choice].id },
        notifyChoices[choice],
        ` ${notifyText(choice).replace(/^./, (c) => c.toUpperCase())}`,
      ),
    ),
    h(
      'p',
      { class: 'hint' },
      'Participants were added or the content changed: choose who gets an email about it.',
    ),
  );

  const picker = accountPicker({ workspaceId: ws, legend: 'Move to another account (optional)' });

  function added(): Participant[] {
    return people.filter((p) => !original.has(p.email.toLowerCase()));
  }
  function update(): void {
    const contentChanged = text.value !== tp.text;
    const someAdded = added().length > 0;
    notify.hidden = !(contentChanged || someAdded);
    notifyChoices.new.disabled = !someAdded;
    if (!someAdded && notifyChoices.new.checked) notifyChoices.none.checked = true;
  }
  function drawPeople(): void {
    replace(
      peopleList,
      ...people.map((p, index) =>
        h(
          'li',
          {},
          original.has(p.email.toLowerCase())
            ? badge(p.side === 'external' ? 'External' : 'Internal', p.side)
            : null,
          ' ',
          p.name,
          ' ',
          h('span', { class: 'mono' }, `<${p.email}>`),
          original.has(p.email.toLowerCase()) ? null : badge('new', 'new'),
          ' ',
          button(
            'Remove',
            () => {
              people.splice(index, 1);
              drawPeople();
              context.announce(`Removed ${p.email}.`);
            },
            { class: 'small', 'aria-label': `Remove ${p.email}` },
          ),
        ),
      ),
    );
    update();
  }
  const addButton = button('Add participant', () => {
    replace(peopleError);
    const email = newEmail.value.trim().toLowerCase();
    if (!newEmail.checkValidity() || email === '') {
      replace(peopleError, 'Enter a valid email address.');
      newEmail.focus();
      return;
    }
    if (people.some((p) => p.email.toLowerCase() === email)) {
      replace(peopleError, `${email} is already a participant.`);
      return;
    }
    // Its side is worked out by the server from the address when saved (SPEC §4).
    people.push({ email, name: newName.value.trim(), side: 'external' });
    newEmail.value = '';
    newName.value = '';
    drawPeople();
    context.announce(`Added ${email}.`);
    newEmail.focus();
  });
  text.addEventListener('input', update);
  drawPeople();

  const error = alertLine();
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save changes');
  const form = h(
    'form',
    { class: 'card edit-form', novalidate: true },
    field('Subject', subject),
    h('div', { class: 'row' }, field('Reason', reason), field('Flow', flow)),
    field('Content', text, 'The text of the touchpoint.'),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Participants'),
      peopleList,
      h('div', { class: 'row add-person' }, field('Email', newEmail), field('Name', newName), addButton),
      h('p', { class: 'hint' }, 'Internal or external is worked out from each address when you save.'),
      peopleError,
    ),
    picker.element,
    notify,
    error,
    h(
      'div',
      { class: 'actions' },
      save,
      link(['touchpoints', tp.id], 'Cancel', { class: 'button secondary' }),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    replace(error);
    const body: Record<string, unknown> = {};
    if (subject.value !== tp.subject) body.subject = subject.value;
    if (reason.value.trim() !== (tp.reason ?? ''))
      body.reason = reason.value.trim() === '' ? null : reason.value.trim();
    if (flow.value.trim() !== tp.flow) body.flow = flow.value.trim();
    if (text.value !== tp.text) body.content = text.value;
    const before = tp.participants.map((p) => p.email).join('\n');
    if (people.map((p) => p.email).join('\n') !== before)
      body.participants = people.map((p) =>
        p.name === '' ? { email: p.email } : { email: p.email, name: p.name },
      );
    const moved = picker.selected();
    if (moved !== null && moved.id !== tp.accountId) body.accountId = moved.id;
    if (Object.keys(body).length === 0) {
      replace(error, 'Nothing changed.');
      return;
    }
    const choice = (['none', 'new', 'all'] as const).find((c) => notifyChoices[c].checked) ?? 'none';
    if (!notify.hidden) body.notify = choice;
    body.updatedAt = tp.updatedAt;
    save.disabled = true;
    call('PATCH', wsPath(ws, 'touchpoints', tp.id), {
      body,
      headers: { 'if-match': `"${tp.updatedAt}"` },
    }).then(
      () => {
        context.announce(notify.hidden ? 'Saved.' : `Saved; notified ${notifyText(choice)}.`);
        context.go(routeHref(['touchpoints', tp.id]));
      },
      (failure: unknown) => {
        save.disabled = false;
        replace(
          error,
          failure instanceof ApiError && failure.status === 409
            ? 'Someone changed this touchpoint while you were editing. Reload the page to see their changes, then edit again.'
            : describe(failure),
        );
      },
    );
  });
  replace(
    context.root,
    h(
      'p',
      { class: 'crumbs' },
      link(['accounts', tp.accountId], tp.accountName ?? tp.accountId),
      ' / ',
      link(['touchpoints', tp.id], tp.subject || '(no subject)'),
      ' / ',
    ),
    context.title('Edit touchpoint'),
    form,
  );
}
