// Privacy in Chromium against a running service (SPEC §11): an admin sets the never-log list, storage
// mode and retention in Settings (the API then answers them, the audit log shows the change, and the
// page says a mode change affects new mail only); a touchpoint whose original is gone says so; an admin
// erases a person from the People page after confirming, and the API no longer finds them.
import { expect, it } from 'vitest';
import { describeUi, namelessControls, unlabelledControls } from './support/browser.js';
import { at, PASSWORDS, signIn, textAt, uiSuite } from './support/ui-service.js';

describeUi('web UI: privacy and retention', () => {
  const suite = uiSuite();

  it('lets an admin set the privacy rules, audited; the page says a mode change applies to new mail', async () => {
    const { context, page, errors } = await suite.open();
    try {
      await signIn(page, suite.ui.url, PASSWORDS.admin);
      await page.goto(`${suite.ui.url}/#/settings`);
      const form = page.getByRole('form', { name: 'Privacy and retention' });
      await form.waitFor();
      expect(await unlabelledControls(page)).toEqual([]);
      expect(await namelessControls(page)).toEqual([]);
      await form.getByRole('note').filter({ hasText: 'applies to new mail only' }).waitFor();
      await form.getByLabel('Never log').fill('CEO@Globex.com\nlegal.globex.com');
      await form.getByLabel('No body').check();
      await form.getByLabel('Keep original messages (days)').fill('30');
      await form.getByLabel('Keep unlogged inbound entries (days)').fill('0');
      await form.getByRole('button', { name: 'Save privacy rules' }).click();
      await form.getByText('Saved.').waitFor();
      expect(await form.getByLabel('Never log').inputValue()).toBe('ceo@globex.com\nlegal.globex.com');
      const settings = await suite.ui.api('GET', '/workspaces/acme/settings');
      expect(settings.json).toMatchObject({
        neverLog: ['ceo@globex.com', 'legal.globex.com'],
        storage: 'no-body',
        rawRetentionDays: 30,
        inboundRetentionDays: 0,
        // The form changed only its own settings.
        touchpointAddresses: ['touchpoints@acme.example'],
      });
      const audit = await suite.ui.api('GET', '/workspaces/acme/audit?action=settings.update');
      expect(at(audit.json, 'items', 0, 'changes', 'storage')).toEqual({ before: 'full', after: 'no-body' });

      // A bad value is refused in the API's words, nothing changed.
      await form.getByLabel('Never log').fill('not an address@');
      await form.getByRole('button', { name: 'Save privacy rules' }).click();
      await form.getByRole('alert').filter({ hasText: 'neverLog[0]' }).waitFor();

      // Mail logged under no-body: its touchpoint says its original is no longer kept.
      const outcome = await suite.ui.ingestFixture('bcc-plain.eml');
      await page.goto(`${suite.ui.url}/#/touchpoints/${textAt(outcome, 'touchpointId')}`);
      await page.getByRole('note').filter({ hasText: 'original message is no longer kept' }).waitFor();
      // Back to the defaults for the other tests.
      const reset = await suite.ui.api(
        'PUT',
        '/workspaces/acme/settings',
        Object.assign({}, settings.json, {
          neverLog: [],
          storage: 'full',
          rawRetentionDays: null,
          inboundRetentionDays: null,
        }),
      );
      expect(reset.status).toBe(200);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('lets an admin erase a person from the People page after confirming; a member sees no such button', async () => {
    const { context, page, errors } = await suite.open();
    try {
      await signIn(page, suite.ui.url, PASSWORDS.admin);
      await page.goto(`${suite.ui.url}/#/people?q=eva%40globex.com`);
      const card = page.locator('.directory-card').filter({ hasText: 'eva@globex.com' });
      await card.waitFor();
      await card.getByRole('button', { name: /^Erase / }).click();
      // Asked first: Cancel is focused, so Enter never erases by accident.
      await card.getByText('Erase everything stored about eva@globex.com?').waitFor();
      await card.getByRole('button', { name: 'Cancel' }).click();
      expect(
        at(
          (await suite.ui.api('GET', '/workspaces/acme/users?email=eva@globex.com')).json,
          'items',
          'length',
        ),
      ).toBe(1);
      await card.getByRole('button', { name: /^Erase / }).click();
      await card.getByRole('button', { name: 'Erase person' }).click();
      await page.getByRole('status').filter({ hasText: 'Erased eva@globex.com' }).waitFor();
      const users = await suite.ui.api('GET', '/workspaces/acme/users?email=eva@globex.com');
      expect(at(users.json, 'items', 'length')).toBe(0);
      const audit = await suite.ui.api('GET', '/workspaces/acme/audit?action=person.erase');
      expect(at(audit.json, 'items', 0, 'subject')).toBeNull();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }

    const member = await suite.open();
    try {
      await signIn(member.page, suite.ui.url, PASSWORDS.member);
      await member.page.goto(`${suite.ui.url}/#/people?q=bob%40globex.com`);
      await member.page.locator('.directory-card').filter({ hasText: 'bob@globex.com' }).waitFor();
      expect(await member.page.getByRole('button', { name: /^Erase / }).count()).toBe(0);
    } finally {
      await member.context.close();
    }
  });
});
