// The people of an account in Chromium against a running service: an admin adds an existing user and a
// brand-new person by email (the API then lists both memberships and the new user), sees the API's
// refusal in its words, changes a person's associated date and contact flag, and removes a person after
// confirming; a member reads the people without any control. End to end: a message that matched no
// account links from its inbound page to the chosen account's people, where the admin adds its customer,
// and the retry records it on that account.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeUi, namelessControls, overflowsSideways, unlabelledControls } from './support/browser.js';
import { at, PASSWORDS, signIn, textAt, uiSuite } from './support/ui-service.js';

describeUi('web UI: the people of an account', () => {
  const suite = uiSuite();
  const open = (viewport?: { width: number; height: number }) => suite.open(viewport);

  async function openAccount(page: Page, id: string, name: string): Promise<void> {
    await page.goto(`${suite.ui.url}/#/accounts/${id}`);
    await page.getByRole('heading', { level: 1, name }).waitFor();
    await expect.poll(() => page.evaluate('document.activeElement.tagName')).toBe('H1');
    await person(page, '@').first().waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    expect(await namelessControls(page)).toEqual([]);
  }

  const person = (page: Page, email: string) => page.locator('.person-card').filter({ hasText: email });

  /** userId → membership of the account, as the API lists them. */
  async function memberships(accountId: string): Promise<Map<string, unknown>> {
    const { status, json } = await suite.ui.api('GET', `/workspaces/acme/memberships?accountId=${accountId}`);
    expect(status).toBe(200);
    const items = at(json, 'items');
    return new Map((Array.isArray(items) ? items : []).map((m: unknown) => [textAt(m, 'userId'), m]));
  }

  it('lets an admin add an existing user and a new person, change a date and remove a person', async () => {
    const { context, page, errors } = await open();
    try {
      await signIn(page, suite.ui.url, PASSWORDS.admin);
      await openAccount(page, 'initech', 'Initech');
      await person(page, 'peter@initech.com').waitFor();
      await person(page, 'ada@consult.example').waitFor();
      expect(await page.locator('.person-card').count()).toBe(2);

      // The form is folded until asked for (the people and the timeline come first).
      await page.locator('summary', { hasText: 'Add a person' }).click();
      const add = page.getByRole('form', { name: 'Add a person' });
      // Bob is in the directory already (a member of Globex): only the membership is made.
      await add.getByLabel('Email').fill('Bob@Globex.com');
      await add.getByRole('button', { name: 'Add person' }).click();
      await add.getByText('Added Bob@Globex.com.').waitFor();
      await person(page, 'bob@globex.com').getByText('Bob Stone').waitFor();
      expect([...(await memberships('initech')).keys()].sort()).toEqual(['u-ada', 'u-bob', 'u-peter']);
      const users = await suite.ui.api('GET', '/workspaces/acme/users?q=bob%40globex.com');
      expect(at(users.json, 'items', 'length')).toBe(1);

      // Nina is new: her user is created with the id offered from the email, then the membership.
      await add.getByLabel('Email').fill('nina@initech.com');
      await add.getByLabel('Name').fill('Nina Park');
      expect(await add.getByLabel('User id').inputValue()).toBe('nina');
      await add.getByRole('button', { name: 'Add person' }).click();
      await add.getByText('Added nina@initech.com (new person nina).').waitFor();
      await person(page, 'nina@initech.com').getByText('Nina Park').waitFor();
      const nina = await suite.ui.api('GET', '/workspaces/acme/users/nina');
      expect(at(nina.json, 'email')).toBe('nina@initech.com');
      expect(at(nina.json, 'memberships', 0, 'accountId')).toBe('initech');
      expect((await memberships('initech')).has('nina')).toBe(true);

      // Adding Bob again: the API's 409 in its words.
      await add.getByLabel('Email').fill('bob@globex.com');
      await add.getByRole('button', { name: 'Add person' }).click();
      await expect.poll(() => add.getByRole('alert').textContent()).toMatch(/u-bob/);

      // Bob's associated date and contact flag.
      const bob = person(page, 'bob@globex.com');
      await bob.getByText('Change bob@globex.com').click();
      const change = bob.getByRole('form', { name: 'Change bob@globex.com' });
      await change.getByLabel('Associated on').fill('2026-05-01');
      await change.getByLabel('Contact').check();
      await change.getByRole('button', { name: 'Save changes' }).click();
      await person(page, 'bob@globex.com').getByText('Saved.').waitFor();
      await person(page, 'bob@globex.com').getByText('contact', { exact: true }).waitFor();
      const bobs = (await memberships('initech')).get('u-bob');
      expect(String(at(bobs, 'associatedAt'))).toMatch(/^2026-05-01/);
      expect(at(bobs, 'isContact')).toBe(true);
      // Emptying the date removes it.
      const again = person(page, 'bob@globex.com');
      await again.getByText('Change bob@globex.com').click();
      await again.getByLabel('Associated on').fill('');
      await again.getByRole('button', { name: 'Save changes' }).click();
      await person(page, 'bob@globex.com').getByText('no date').waitFor();
      expect(at((await memberships('initech')).get('u-bob'), 'associatedAt')).toBeNull();

      // The person's own address, corrected (on every account of hers).
      const ninaFirst = person(page, 'nina@initech.com');
      await ninaFirst.getByText('Change nina@initech.com').click();
      const ninaForm = ninaFirst.getByRole('form', { name: 'The person nina@initech.com' });
      await ninaForm.getByLabel('Person’s email').fill('Nina.Park@Initech.com');
      await ninaForm.getByRole('button', { name: 'Save the person' }).click();
      await person(page, 'nina.park@initech.com').getByText('Saved.').waitFor();
      expect(at((await suite.ui.api('GET', '/workspaces/acme/users/nina')).json, 'email')).toBe(
        'nina.park@initech.com',
      );

      // Removing asks first; Cancel keeps the person.
      const ninaCard = person(page, 'nina.park@initech.com');
      await ninaCard.getByText('Change nina.park@initech.com').click();
      await ninaCard.getByRole('button', { name: 'Remove nina.park@initech.com' }).click();
      await ninaCard.getByRole('button', { name: 'Cancel' }).click();
      expect((await memberships('initech')).has('nina')).toBe(true);
      await ninaCard.getByRole('button', { name: 'Remove nina.park@initech.com' }).click();
      await ninaCard.getByRole('button', { name: 'Yes, remove' }).click();
      await page.getByText('Removed nina.park@initech.com from Initech.').waitFor();
      expect(await person(page, 'nina.park@initech.com').count()).toBe(0);
      expect((await memberships('initech')).has('nina')).toBe(false);
      // The user stays in the directory.
      expect((await suite.ui.api('GET', '/workspaces/acme/users/nina')).status).toBe(200);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('says what happened when a new person was created but not added (the account went meanwhile)', async () => {
    expect(
      (await suite.ui.api('POST', '/workspaces/acme/accounts', { id: 'hooli', name: 'Hooli' })).status,
    ).toBe(201);
    const { context, page, errors } = await open();
    try {
      await signIn(page, suite.ui.url, PASSWORDS.admin);
      await page.goto(`${suite.ui.url}/#/accounts/hooli`);
      await page.locator('summary', { hasText: 'Add a person' }).click();
      const add = page.getByRole('form', { name: 'Add a person' });
      await add.waitFor();
      // Another admin deletes the account while this page is open.
      expect((await suite.ui.api('DELETE', '/workspaces/acme/accounts/hooli')).status).toBe(204);
      await add.getByLabel('Email').fill('omar@hooli.com');
      await add.getByRole('button', { name: 'Add person' }).click();
      await expect
        .poll(() => add.getByRole('alert').textContent())
        .toMatch(
          /^omar@hooli\.com is in the directory now as omar, but was not added to this account: .+ Submit again to add them\.$/,
        );
      expect(at((await suite.ui.api('GET', '/workspaces/acme/users/omar')).json, 'email')).toBe(
        'omar@hooli.com',
      );
      // The account is back: submitting again adds the person the first try created.
      await suite.ui.api('POST', '/workspaces/acme/accounts', { id: 'hooli', name: 'Hooli' });
      await add.getByLabel('Email').fill('omar@hooli.com');
      await add.getByRole('button', { name: 'Add person' }).click();
      await add.getByText('Added omar@hooli.com.').waitFor();
      expect((await memberships('hooli')).has('omar')).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('finds a person in the directory, with the accounts they belong to', async () => {
    const { context, page, errors } = await open({ width: 390, height: 844 });
    try {
      await signIn(page, suite.ui.url, PASSWORDS.member);
      await page.getByRole('link', { name: 'People' }).click();
      await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
      await page.getByLabel('Search people').fill('dana');
      // Typing searches by itself, and the search is kept in the address.
      await expect.poll(() => page.locator('.directory-card').count()).toBe(1);
      await expect.poll(() => page.url()).toContain('#/people?q=dana');
      const dana = page.locator('.directory-card').filter({ hasText: 'dual@globex.com' });
      await dana.getByText('Accounts of Dana Dual').click();
      const accounts = dana.getByRole('link');
      await expect.poll(() => accounts.allTextContents()).toEqual(['Globex', 'Globex Europe']);
      expect(await unlabelledControls(page)).toEqual([]);
      expect(await namelessControls(page)).toEqual([]);
      expect(await overflowsSideways(page)).toBe(false);
      await accounts.filter({ hasText: 'Globex Europe' }).click();
      await page.getByRole('heading', { level: 1, name: 'Globex Europe' }).waitFor();
      await person(page, 'dual@globex.com').waitFor();
      // Back: the same search.
      await page.goBack();
      await expect.poll(() => page.getByLabel('Search people').inputValue()).toBe('dana');
      await page.getByLabel('Search people').fill('nobody-by-this-name');
      await page.getByText('No person matches.').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows a member the people read-only', async () => {
    const { context, page, errors } = await open({ width: 390, height: 844 });
    try {
      await signIn(page, suite.ui.url, PASSWORDS.member);
      await openAccount(page, 'globex', 'Globex');
      await person(page, 'dual@globex.com').waitFor();
      await page.getByText('You see the people as a member').waitFor();
      expect(await page.getByRole('form', { name: 'Add a person' }).count()).toBe(0);
      expect(await page.locator('.person-card details, .person-card button').count()).toBe(0);
      expect(await overflowsSideways(page)).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('links a failed message to its candidates’ people', async () => {
    const failed = await suite.ui.ingestFixture('ambiguous-parent-child.eml');
    expect(at(failed, 'reason')).toBe('ambiguous-account');
    const { context, page, errors } = await open();
    try {
      await signIn(page, suite.ui.url, PASSWORDS.admin);
      await page.goto(`${suite.ui.url}/#/inbound/${textAt(failed, 'inboundId')}`);
      await page.getByRole('heading', { level: 2, name: 'Record this message' }).waitFor();
      await page.getByRole('link', { name: 'People of Globex Europe' }).click();
      await page.getByRole('heading', { level: 1, name: 'Globex Europe' }).waitFor();
      await person(page, 'eva@globex.com').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('records a no-account message on the account its customer was added to, after a retry', async () => {
    const failed = await suite.ui.ingestFixture('no-account.eml');
    expect(at(failed, 'reason')).toBe('no-account');
    const inboundId = textAt(failed, 'inboundId');
    const { context, page, errors } = await open();
    try {
      await signIn(page, suite.ui.url, PASSWORDS.admin);
      await page.goto(`${suite.ui.url}/#/inbound/${inboundId}`);
      await page.getByRole('heading', { level: 1, name: 'Intro' }).waitFor();
      await page.getByLabel('Search accounts').fill('dragon');
      await page
        .getByRole('radiogroup', { name: 'Matching accounts' })
        .getByLabel(/Dragon Foods/)
        .check();
      // One click from the message to the chosen account's people, its customer offered.
      await page.getByRole('link', { name: 'People of Dragon Foods' }).click();
      await page.getByRole('heading', { level: 1, name: 'Dragon Foods' }).waitFor();
      const add = page.getByRole('form', { name: 'Add a person' });
      expect(await add.getByLabel('Email').inputValue()).toBe('zed@unknown-corp.example');
      expect(await add.getByLabel('User id').inputValue()).toBe('zed');
      await add.getByRole('button', { name: 'Add person' }).click();
      await person(page, 'zed@unknown-corp.example').waitFor();

      await page.goBack();
      await page.getByRole('heading', { level: 1, name: 'Intro' }).waitFor();
      await page.getByRole('button', { name: 'Retry' }).click();
      await expect.poll(() => page.url()).toContain('#/touchpoints/');
      await page.getByRole('link', { name: 'Dragon Foods' }).first().waitFor();
      const after = await suite.ui.api('GET', `/workspaces/acme/inbound/${inboundId}`);
      expect(at(after.json, 'status')).toBe('recorded');
      expect(at(after.json, 'accountId')).toBe('dragon');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
