// The team page in Chromium against a running service: an admin adds a login, changes its role, sets
// its password (the new login then signs in) or invites it (the link sets its password and signs it in,
// once), sees the API's refusals in words, and deletes logins (one that authored touchpoints is
// deactivated instead); API tokens are created with their secret shown once
// (it works as a Bearer token) and revoked (then it is refused); a member reads the team without any
// control to change it and manages tokens of its own only.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeUi, namelessControls, overflowsSideways, unlabelledControls } from './support/browser.js';
import { at, PASSWORDS, signIn, textAt, uiSuite } from './support/ui-service.js';

describeUi('web UI: team and API tokens', () => {
  const suite = uiSuite({ clipboard: true });
  const open = (viewport?: { width: number; height: number }) => suite.open(viewport);

  async function openTeam(page: Page): Promise<void> {
    await page.getByRole('link', { name: 'Team' }).click();
    await page.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
    // The heading takes focus once the page has loaded, as on every page.
    await expect.poll(() => page.evaluate('document.activeElement.tagName')).toBe('H1');
    expect(await unlabelledControls(page)).toEqual([]);
    expect(await namelessControls(page)).toEqual([]);
  }

  const card = (page: Page, email: string) => page.locator('.login-card').filter({ hasText: email });

  async function bearer(secret: string): Promise<number> {
    const response = await fetch(`${suite.ui.url}/api/v1/workspaces/acme/logins`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    return response.status;
  }

  it('lets an admin add a login, change its role and set its password, and the login signs in', async () => {
    const { context, page, errors } = await open();
    try {
      await signIn(page, suite.ui.url, PASSWORDS.admin);
      await openTeam(page);
      await card(page, 'sam@acme.com').waitFor();
      // Search by part of the name.
      await page.getByLabel('Search team').fill('ortiz');
      await page.getByRole('button', { name: 'Filter' }).click();
      await expect.poll(() => page.locator('.login-card').count()).toBe(1);
      await page.getByLabel('Search team').fill('');
      await page.getByRole('button', { name: 'Filter' }).click();
      await expect.poll(() => page.locator('.login-card').count()).toBe(3);

      const add = page.getByRole('form', { name: 'Add a team member' });
      await add.getByLabel('Email').fill('nora@acme.com');
      await add.getByLabel('Name').fill('Nora Quist');
      await add.getByLabel('Aliases').fill('nq@acme.com');
      await add.getByRole('button', { name: 'Add login' }).click();
      await add.getByText('Added nora@acme.com.').waitFor();
      const nora = card(page, 'nora@acme.com');
      await nora.getByText('no password').waitFor();
      // The address is taken now: the API's 409 is shown in its words.
      await add.getByLabel('Email').fill('NORA@acme.com');
      await add.getByRole('button', { name: 'Add login' }).click();
      await expect.poll(() => add.getByRole('alert').textContent()).toMatch(/nora@acme\.com/i);

      // The last active admin stays one.
      const jill = card(page, 'jill@acme.com');
      await jill.getByText('Change jill@acme.com').click();
      await jill.getByLabel('Role').selectOption('member');
      await jill.getByRole('button', { name: 'Save changes' }).click();
      await expect
        .poll(() => jill.getByRole('form', { name: 'Change jill@acme.com' }).getByRole('alert').textContent())
        .toBe("jill@acme.com is the workspace's last active admin; make another admin first.");
      // Changing one's own password asks for the current one.
      await jill.getByLabel('Current password').waitFor();

      await nora.getByText('Change nora@acme.com').click();
      expect(await nora.getByLabel('Current password').count()).toBe(0);
      // Her aliases as the add form left them; one that is another login's address is refused in words.
      expect(await nora.getByLabel('Aliases').inputValue()).toBe('nq@acme.com');
      await nora.getByLabel('Aliases').fill('nq@acme.com, sam@acme.com');
      await nora.getByRole('button', { name: 'Save changes' }).click();
      await expect
        .poll(() => nora.getByRole('form', { name: 'Change nora@acme.com' }).getByRole('alert').textContent())
        .toBe('sam@acme.com already belongs to login sam@acme.com.');
      await nora.getByLabel('Aliases').fill('nq@acme.com;  Nora.Quist@ACME.com');
      await nora.getByLabel('Role').selectOption('admin');
      await nora.getByRole('button', { name: 'Save changes' }).click();
      await card(page, 'nora@acme.com').getByText('Saved.').waitFor();
      await card(page, 'nora@acme.com').getByText('Also: nora.quist@acme.com, nq@acme.com').waitFor();
      const changed = await suite.ui.api('GET', '/workspaces/acme/logins/nora@acme.com');
      expect(at(changed.json, 'role')).toBe('admin');
      expect(at(changed.json, 'name')).toBe('Nora Quist');
      expect(at(changed.json, 'aliases')).toEqual(['nora.quist@acme.com', 'nq@acme.com']);

      // The card is drawn again from the answer, closed: open it, try a short password (400, in the
      // API's words), then a good one.
      const again = card(page, 'nora@acme.com');
      await again.getByText('Change nora@acme.com').click();
      const password = again.getByRole('form', { name: 'Password of nora@acme.com' });
      await password.getByLabel('New password').fill('short');
      await password.getByRole('button', { name: 'Set password' }).click();
      await expect
        .poll(() => password.getByRole('alert').textContent())
        .toBe('A password needs at least 12 characters.');
      await password.getByLabel('New password').fill('nora has a long password');
      await password.getByRole('button', { name: 'Set password' }).click();
      await password.getByText('Password set.').waitFor();
      expect(
        at((await suite.ui.api('GET', '/workspaces/acme/logins/nora@acme.com')).json, 'hasPassword'),
      ).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }

    // Nora signs in; as an admin she deletes Jill, who authored touchpoints: deactivated instead.
    const second = await open();
    try {
      await signIn(second.page, suite.ui.url, {
        email: 'nora@acme.com',
        password: 'nora has a long password',
      });
      await openTeam(second.page);
      const jill = card(second.page, 'jill@acme.com');
      await jill.getByText('Change jill@acme.com').click();
      await jill.getByRole('button', { name: 'Delete jill@acme.com' }).click();
      // Asked first; Cancel is focused so Enter never confirms by accident.
      expect(await second.page.evaluate('document.activeElement.textContent')).toBe('Cancel');
      await jill.getByRole('button', { name: 'Yes, delete' }).click();
      await card(second.page, 'jill@acme.com')
        .getByText(/deactivated instead of deleted/)
        .waitFor();
      await card(second.page, 'jill@acme.com').getByText('inactive', { exact: true }).waitFor();
      expect(at((await suite.ui.api('GET', '/workspaces/acme/logins/jill@acme.com')).json, 'active')).toBe(
        false,
      );
      expect(second.errors).toEqual([]);
    } finally {
      await second.context.close();
      // Jill is the fixture's admin of the other tests.
      const restored = await suite.ui.api('PATCH', '/workspaces/acme/logins/jill@acme.com', { active: true });
      expect(restored.status).toBe(200);
    }

    // Jill deletes Nora, who authored nothing: deleted.
    const third = await open();
    try {
      await signIn(third.page, suite.ui.url, PASSWORDS.admin);
      await openTeam(third.page);
      const nora = card(third.page, 'nora@acme.com');
      await nora.getByText('Change nora@acme.com').click();
      await nora.getByRole('button', { name: 'Delete nora@acme.com' }).click();
      await nora.getByRole('button', { name: 'Yes, delete' }).click();
      await third.page.getByText('Deleted nora@acme.com.').waitFor();
      expect(await card(third.page, 'nora@acme.com').count()).toBe(0);
      expect((await suite.ui.api('GET', '/workspaces/acme/logins/nora@acme.com')).status).toBe(404);
      expect(third.errors).toEqual([]);
    } finally {
      await third.context.close();
    }
  });

  it('lets an admin invite a login, whose link sets its password and signs it in', async () => {
    const added = await suite.ui.api('POST', '/workspaces/acme/logins', {
      email: 'ida@acme.com',
      name: 'Ida Invited',
      role: 'member',
    });
    expect(added.status).toBe(201);
    let link: string;
    const admin = await open();
    try {
      await signIn(admin.page, suite.ui.url, PASSWORDS.admin);
      await openTeam(admin.page);
      const ida = card(admin.page, 'ida@acme.com');
      await ida.getByText('Change ida@acme.com').click();
      await ida.getByRole('button', { name: 'Invite ida@acme.com' }).click();
      const shown = ida.getByLabel('Invitation link for ida@acme.com');
      await shown.waitFor();
      link = await shown.inputValue();
      expect(link).toMatch(/\/#\/invitation\/[\w-]{43}$/);
      await ida.getByText('No mail was sent.').waitFor();
      expect(await unlabelledControls(admin.page)).toEqual([]);
      expect(admin.errors).toEqual([]);
    } finally {
      await admin.context.close();
    }

    // Ida opens the link in a browser of her own, signed out: she sets her password and is signed in.
    const invited = await open();
    try {
      await invited.page.goto(link);
      await invited.page.getByRole('heading', { level: 1, name: 'Welcome to Touchmail' }).waitFor();
      await invited.page.getByLabel('New password').fill('short');
      await invited.page.getByRole('button', { name: 'Set password and sign in' }).click();
      await expect
        .poll(() => invited.page.getByRole('alert').textContent())
        .toBe('A password needs at least 12 characters.');
      await invited.page.getByLabel('New password').fill('ida chose this herself');
      await invited.page.getByRole('button', { name: 'Set password and sign in' }).click();
      await invited.page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
      await expect.poll(() => invited.page.locator('.who-name').textContent()).toBe('Ida Invited');
      expect(invited.errors).toEqual([]);
    } finally {
      await invited.context.close();
    }
    expect(at((await suite.ui.api('GET', '/workspaces/acme/logins/ida@acme.com')).json, 'hasPassword')).toBe(
      true,
    );

    // The link works once: opened again, it is refused in words.
    const again = await open();
    try {
      await again.page.goto(link);
      await again.page.getByLabel('New password').fill('someone else tries this');
      await again.page.getByRole('button', { name: 'Set password and sign in' }).click();
      await expect.poll(() => again.page.getByRole('alert').textContent()).toMatch(/already used/);
    } finally {
      await again.context.close();
      expect((await suite.ui.api('DELETE', '/workspaces/acme/logins/ida@acme.com')).status).toBe(200);
    }
  });

  it('lets an admin create a token whose secret is shown once and works, then revoke it', async () => {
    const { context, page, errors } = await open();
    try {
      await signIn(page, suite.ui.url, PASSWORDS.admin);
      await openTeam(page);
      await page.getByLabel('Token name').fill('CI export');
      await page.getByLabel('Token role').selectOption('member');
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByText('it will not be shown again').waitFor();
      const secret = await page.getByLabel('Secret of token CI export').inputValue();
      expect(secret.length).toBeGreaterThan(20);
      await page.getByRole('button', { name: 'Copy the secret' }).click();
      await page.getByText('Copied.').waitFor();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secret);
      expect(await bearer(secret)).toBe(200);
      // The list has it, never with its secret.
      const tokens = page.getByRole('list', { name: 'API tokens' });
      await tokens.getByRole('heading', { name: 'CI export' }).waitFor();
      expect(await tokens.textContent()).not.toContain(secret);
      await page.getByRole('button', { name: 'I have copied it' }).click();
      expect(await page.getByText('it will not be shown again').count()).toBe(0);

      await page.getByRole('button', { name: 'Revoke token CI export' }).click();
      await page.getByRole('button', { name: 'Yes, revoke' }).click();
      await page.getByText('Token CI export revoked.').waitFor();
      expect(await tokens.getByRole('heading', { name: 'CI export' }).count()).toBe(0);
      expect(await bearer(secret)).toBe(401);

      // A token for another login (it acts as Sam), and one tied to no login.
      expect(await page.getByLabel('Acts as').inputValue()).toBe('jill@acme.com');
      await page.getByLabel('Token name').fill('Sam sync');
      await page.getByLabel('Acts as').fill('sam@acme.com');
      await page.getByRole('button', { name: 'Create token' }).click();
      await tokens
        .locator('.token-card')
        .filter({ hasText: 'Sam sync' })
        .getByText('acts as sam@acme.com')
        .waitFor();
      await page.getByLabel('Token name').fill('Mail relay');
      await page.getByLabel('Token role').selectOption('intake');
      await page.getByLabel('Acts as').fill('');
      await page.getByRole('button', { name: 'Create token' }).click();
      await tokens
        .locator('.token-card')
        .filter({ hasText: 'Mail relay' })
        .getByText('not tied to a login')
        .waitFor();
      // Sam's own token list (next test) starts empty again.
      await page.getByRole('button', { name: 'Revoke token Sam sync' }).click();
      await page.getByRole('button', { name: 'Yes, revoke' }).click();
      await page.getByText('Token Sam sync revoked.').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows a member the team read-only but for its own password, and lets it create and revoke its own tokens', async () => {
    const jills = await suite.ui.api('POST', '/workspaces/acme/tokens', {
      name: 'Jill only',
      loginEmail: 'jill@acme.com',
    });
    expect(jills.status).toBe(201);
    const { context, page, errors } = await open({ width: 390, height: 844 });
    try {
      await signIn(page, suite.ui.url, PASSWORDS.member);
      await openTeam(page);
      await card(page, 'jill@acme.com').waitFor();
      await card(page, 'sam@acme.com').getByText('(you)').waitFor();
      expect(await page.getByRole('button', { name: 'Add login' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
      // The only control on the team: its own password.
      expect(await page.locator('.login-card summary').allTextContents()).toEqual(['Change your password']);
      expect(await page.getByLabel('Token role').count()).toBe(0);
      const tokens = page.getByRole('list', { name: 'API tokens' });
      await tokens.getByText('No token yet.').waitFor();

      await page.getByLabel('Token name').fill('My script');
      await page.getByRole('button', { name: 'Create token' }).click();
      const secret = await page.getByLabel('Secret of token My script').inputValue();
      expect(await bearer(secret)).toBe(200);
      await tokens.getByRole('heading', { name: 'My script' }).waitFor();
      expect(await tokens.getByText('Jill only').count()).toBe(0);
      expect(await overflowsSideways(page)).toBe(false);
      await page.getByRole('button', { name: 'Revoke token My script' }).click();
      await page.getByRole('button', { name: 'Yes, revoke' }).click();
      await page.getByText('Token My script revoked.').waitFor();
      expect(await bearer(secret)).toBe(401);
      expect(await bearer(textAt(jills.json, 'token'))).toBe(200);

      const own = card(page, 'sam@acme.com');
      await own.getByText('Change your password').click();
      await own.getByLabel('Current password').fill(PASSWORDS.member.password);
      await own.getByLabel('New password').fill('a new member password');
      await own.getByRole('button', { name: 'Set password' }).click();
      await own.getByText('Password set.').waitFor();
      const signInWith = (password: string) =>
        fetch(`${suite.ui.url}/api/v1/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'sam@acme.com', password }),
        }).then((r) => r.status);
      expect(await signInWith('a new member password')).toBe(200);
      expect(await signInWith(PASSWORDS.member.password)).toBe(401);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
