// The demo workspace `touchmail start --demo` loads, so a newcomer can send mail at once.
import type { WorkspaceDocumentInput } from './workspace-document.js';

export const DEMO_WORKSPACE: WorkspaceDocumentInput = {
  workspace: {
    id: 'demo',
    name: 'Demo Co',
    touchpointAddresses: ['touchpoints@demo.touchmail.local'],
    internalDomains: ['demo.example'],
    defaultFlow: 'Default',
    defaultReason: 'Check-in',
    senderAuthPolicy: 'off',
  },
  logins: [
    { email: 'jill@demo.example', name: 'Jill Hart', role: 'admin', aliases: ['jill.hart@demo.example'] },
    { email: 'sam@demo.example', name: 'Sam Ortiz', role: 'member' },
  ],
  accounts: [
    { id: 'globex', name: 'Globex', parentId: null, attributes: { touchpointDefaultBccEmail: false } },
    { id: 'globex-eu', name: 'Globex Europe', parentId: 'globex', attributes: {} },
    { id: 'initech', name: 'Initech', parentId: null, attributes: {} },
    { id: 'umbrella', name: 'Umbrella', parentId: null, attributes: { touchpointDefaultBccEmail: true } },
  ],
  users: [
    { id: 'u-bob', email: 'bob@globex.example', name: 'Bob Stone' },
    { id: 'u-eva', email: 'eva@globex.example', name: 'Eva Lind' },
    { id: 'u-peter', email: 'peter@initech.example', name: 'Peter Gibbons' },
    { id: 'u-ada', email: 'ada@consulting.example', name: 'Ada Quinn' },
  ],
  memberships: [
    { userId: 'u-bob', accountId: 'globex', associatedAt: '2026-01-05T10:00:00Z' },
    { userId: 'u-eva', accountId: 'globex-eu', associatedAt: '2026-03-01T09:00:00Z' },
    { userId: 'u-peter', accountId: 'initech', associatedAt: '2025-11-20T08:00:00Z' },
    { userId: 'u-ada', accountId: 'initech', associatedAt: '2026-06-01T08:00:00Z' },
    { userId: 'u-ada', accountId: 'umbrella', associatedAt: '2025-02-01T08:00:00Z' },
  ],
  touchpoints: [
    {
      accountId: 'globex',
      authorEmail: 'jill@demo.example',
      occurredAt: '2026-11-02T09:00:00Z',
      subject: 'Kick-off',
    },
  ],
};
