// The UI's entry point: resumes the session (or shows sign-in), draws the frame (header, navigation,
// live region) and routes `#/…` hashes to pages.
import { call, describe, setCsrfToken, whenUnauthenticated } from './api.js';
import type { Page, PageContext } from './context.js';
import { h, replace, routeHref } from './dom.js';
import { decodeSession, type Session } from './model.js';
import { accountPage } from './pages/account.js';
import { accountsPage } from './pages/accounts.js';
import { peoplePage } from './pages/people.js';
import { inboundDetailPage } from './pages/inbound-detail.js';
import { inboundPage } from './pages/inbound.js';
import { invitationPage } from './pages/invitation.js';
import { settingsPage } from './pages/settings.js';
import { signInPage } from './pages/sign-in.js';
import { teamPage } from './pages/team.js';
import { touchpointEditPage } from './pages/touchpoint-edit.js';
import { touchpointPage } from './pages/touchpoint.js';

interface Route {
  readonly pattern: readonly string[];
  readonly page: Page;
  readonly nav: string;
}

/** `:x` segments are parameters, passed to the page in order. */
const ROUTES: readonly Route[] = [
  { pattern: ['accounts'], page: accountsPage, nav: 'accounts' },
  { pattern: ['accounts', ':id'], page: accountPage, nav: 'accounts' },
  { pattern: ['people'], page: peoplePage, nav: 'people' },
  { pattern: ['touchpoints', ':id'], page: touchpointPage, nav: 'accounts' },
  { pattern: ['touchpoints', ':id', 'edit'], page: touchpointEditPage, nav: 'accounts' },
  { pattern: ['inbound'], page: inboundPage, nav: 'inbound' },
  { pattern: ['inbound', ':id'], page: inboundDetailPage, nav: 'inbound' },
  { pattern: ['settings'], page: settingsPage, nav: 'settings' },
  { pattern: ['team'], page: teamPage, nav: 'team' },
];

const app = document.getElementById('app') ?? document.body;
const status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
let session: Session | null = null;
let statusTimer = 0;

function parseHash(): { segments: string[]; query: URLSearchParams } {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = raw.split('?', 2);
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return { segments, query: new URLSearchParams(search) };
}

function match(segments: readonly string[]): { route: Route; params: string[] } | null {
  for (const route of ROUTES) {
    if (route.pattern.length !== segments.length) continue;
    const params: string[] = [];
    const ok = route.pattern.every((part, i) => {
      const segment = segments[i] ?? '';
      if (part.startsWith(':')) {
        params.push(segment);
        return true;
      }
      return part === segment;
    });
    if (ok) return { route, params };
  }
  return null;
}

function announce(message: string): void {
  status.textContent = '';
  // A new text node after a tick is what screen readers reliably read again.
  window.setTimeout(() => (status.textContent = message), 50);
  window.clearTimeout(statusTimer);
  statusTimer = window.setTimeout(() => (status.textContent = ''), 5000);
}

function navLink(name: string, label: string, current: string): HTMLLIElement {
  return h(
    'li',
    {},
    h('a', { href: routeHref([name]), ...(name === current ? { 'aria-current': 'page' } : {}) }, label),
  );
}

async function signOut(): Promise<void> {
  try {
    await call('DELETE', '/session');
  } catch (error) {
    announce(describe(error));
  }
  session = null;
  setCsrfToken('');
  location.hash = '#/accounts';
  render();
}

function frame(current: Session, nav: string, main: HTMLElement): HTMLElement[] {
  const { login } = current;
  const header = h(
    'header',
    { class: 'top' },
    h(
      'a',
      { class: 'brand', href: routeHref(['accounts']) },
      h('span', { 'aria-hidden': 'true' }, '✉'),
      ' Touchmail',
    ),
    h(
      'nav',
      { 'aria-label': 'Main' },
      h(
        'ul',
        {},
        navLink('accounts', 'Accounts', nav),
        navLink('people', 'People', nav),
        navLink('inbound', 'Inbound log', nav),
        navLink('settings', 'Settings', nav),
        navLink('team', 'Team', nav),
      ),
    ),
    h(
      'div',
      { class: 'who' },
      h('span', { class: 'who-name' }, login.name === '' ? login.email : login.name),
      h('span', { class: `badge badge-${login.role}` }, login.role),
      h('span', { class: 'who-ws' }, login.workspaceId),
      h('button', { type: 'button', class: 'link', onclick: () => void signOut() }, 'Sign out'),
    ),
  );
  return [
    h('a', { class: 'skip', href: '#main', onclick: skipToMain }, 'Skip to content'),
    header,
    main,
    status,
  ];
}

function skipToMain(event: Event): void {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

function context(current: Session, root: HTMLElement): PageContext {
  return {
    session: current,
    root,
    announce,
    go: (href) => {
      location.hash = href;
    },
    title: (text) => {
      document.title = `${text} · Touchmail`;
      const heading = h('h1', { tabindex: '-1' }, text);
      return heading;
    },
  };
}

function render(): void {
  const { segments, query } = parseHash();
  // A new page: the previous page's message no longer applies.
  status.textContent = '';
  if (segments[0] === 'invitation' && segments.length === 2) {
    // The link proves who opens it: whoever is signed in on this browser is replaced once it is used.
    const main = h('main', { id: 'main', tabindex: '-1', class: 'signin-main' });
    replace(app, main, status);
    void invitationPage(main, segments[1] ?? '', announce, (signedIn) => {
      session = signedIn;
      location.hash = '#/accounts';
    });
    return;
  }
  if (session === null) {
    const main = h('main', { id: 'main', tabindex: '-1', class: 'signin-main' });
    replace(app, main, status);
    void signInPage(main, announce, (signedIn) => {
      session = signedIn;
      setCsrfToken(signedIn.csrfToken);
      // A new hash renders through hashchange; the same one is rendered here.
      if (segments.length === 0 || segments[0] === 'signin') location.hash = '#/accounts';
      else render();
    });
    return;
  }
  const found = match(segments.length === 0 ? ['accounts'] : segments);
  const main = h('main', { id: 'main', tabindex: '-1' });
  const root = h('div', { class: 'page' }, h('p', { class: 'loading' }, 'Loading…'));
  main.appendChild(root);
  replace(app, ...frame(session, found?.route.nav ?? '', main));
  if (found === null) {
    replace(
      root,
      h('h1', {}, 'Not found'),
      h('p', {}, 'There is no such page. '),
      h('a', { href: '#/accounts' }, 'Go to accounts'),
    );
    return;
  }
  const pageContext = context(session, root);
  found.route.page(pageContext, found.params, query).then(
    () => root.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true }),
    (error: unknown) => {
      replace(
        root,
        h('h1', { tabindex: '-1' }, 'Could not load this page'),
        h('p', { role: 'alert' }, describe(error)),
      );
      root.querySelector<HTMLElement>('h1')?.focus();
    },
  );
}

whenUnauthenticated(() => {
  if (session === null) return;
  session = null;
  setCsrfToken('');
  announce('Your session has ended. Sign in again.');
  render();
});

window.addEventListener('hashchange', render);

async function boot(): Promise<void> {
  try {
    const resumed = decodeSession(await call('GET', '/session', { session: false }));
    if (resumed.login.email !== '') {
      session = resumed;
      setCsrfToken(resumed.csrfToken);
    }
  } catch {
    session = null;
  }
  render();
}

void boot();
