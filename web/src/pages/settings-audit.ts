// Recent changes to the workspace (the audit log, admins): who changed what and when, newest first.
import { call, query, wsPath } from '../api.js';
import type { PageContext } from '../context.js';
import { fields, str, strOrNull } from '../decode.js';
import { h } from '../dom.js';
import { when } from '../format.js';
import { decodePage } from '../model.js';
import { pagedList, plural } from '../paged-list.js';

interface AuditEntry {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  readonly changed: readonly string[];
}

function decodeAudit(value: unknown): AuditEntry {
  const f = fields(value);
  return {
    at: str(f, 'at'),
    actor: str(f, 'actor'),
    action: str(f, 'action'),
    subject: strOrNull(f, 'subject'),
    changed: [...fields(f.get('changes')).keys()],
  };
}

export async function auditSection(context: PageContext): Promise<HTMLElement> {
  const ws = context.session.login.workspaceId;
  const list = h('ol', { class: 'audit', 'aria-label': 'Changes, newest first' });
  const entries = pagedList<AuditEntry>({
    label: 'changes',
    list,
    load: async (cursor) =>
      decodePage(await call('GET', wsPath(ws, 'audit') + query({ limit: 10, cursor })), decodeAudit),
    item: (entry) =>
      h(
        'li',
        {},
        h('time', { datetime: entry.at }, when(entry.at)),
        ' ',
        h('strong', {}, entry.actor),
        ' ',
        h('span', { class: 'mono' }, entry.action),
        entry.subject === null ? null : ` ${entry.subject}`,
        entry.changed.length === 0 ? null : h('span', { class: 'muted' }, ` (${entry.changed.join(', ')})`),
      ),
    empty: 'No change yet.',
    announce: () => undefined,
    noun: (n) => plural(n, 'change', 'changes'),
  });
  const section = h(
    'section',
    { class: 'card', 'aria-labelledby': 'audit-title' },
    h('h2', { id: 'audit-title' }, 'Recent changes'),
    entries.element,
  );
  await entries.reload();
  return section;
}
