// Participants of a touchpoint or message, grouped customer (external) / team (internal), each marked
// in words as well as colour.
import { badge, h } from './dom.js';
import type { Participant } from './model.js';

export function participantsView(participants: readonly Participant[]): HTMLElement {
  const external = participants.filter((p) => p.side === 'external');
  const internal = participants.filter((p) => p.side === 'internal');
  const group = (title: string, people: readonly Participant[], side: 'external' | 'internal') =>
    h(
      'div',
      { class: `people people-${side}` },
      h('h3', {}, title, ` (${people.length})`),
      people.length === 0
        ? h('p', { class: 'muted' }, 'None.')
        : h(
            'ul',
            {},
            ...people.map((p) =>
              h(
                'li',
                {},
                badge(side === 'external' ? 'External' : 'Internal', side),
                ' ',
                p.name === '' ? null : h('span', { class: 'person-name' }, p.name, ' '),
                h('span', { class: 'mono' }, `<${p.email}>`),
              ),
            ),
          ),
    );
  return h(
    'div',
    { class: 'participants' },
    group('Customer side', external, 'external'),
    group('Our team', internal, 'internal'),
  );
}
