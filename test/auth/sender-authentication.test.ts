// Gate G3 (SPEC §3) end to end through the pipeline, offline: DKIM keys generated here, their records
// and the domains' SPF and DMARC records published in a stub DNS.
import { generateKeyPairSync } from 'node:crypto';
import { dkimSign, sealMessage } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMessage } from '../../src/app/ingest-message.js';
import type { Email } from '../../src/domain/address.js';
import type { Envelope } from '../../src/domain/message.js';
import type { Store } from '../../src/store/store.js';
import { stubResolver } from '../support/dns.js';
import { fixedDependencies, openFixtureStore, TOUCHPOINT_ADDRESS } from '../support/workspace.js';

const OUR_ID = 'mx.touchmail.test';
const keyPair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    record: `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`,
  };
};
const acmeKey = keyPair();
const otherKey = keyPair();
const DNS = stubResolver({
  'sel._domainkey.acme.com': acmeKey.record,
  'sel._domainkey.other.example': otherKey.record,
  '_dmarc.acme.com': 'v=DMARC1; p=reject',
  'acme.com': 'v=spf1 ip4:192.0.2.10 -all',
  // A domain without DMARC: its own key, one of a subdomain, and SPF for one client.
  'sel._domainkey.nodmarc.example': acmeKey.record,
  'sel._domainkey.mail.nodmarc.example': acmeKey.record,
  'nodmarc.example': 'v=spf1 ip4:192.0.2.20 -all',
});

const MESSAGE = [
  'From: Jill Hart <jill@acme.com>',
  'To: Bob Stone <bob@globex.com>',
  'Subject: Renewal',
  'Message-ID: <auth-1@acme.com>',
  'Date: Thu, 19 Nov 2026 15:04:05 +0000',
  '',
  'Hi Bob, the quote follows.',
  '',
].join('\r\n');

async function signed(domain: string, privateKey: string, message = MESSAGE): Promise<string> {
  // mailauth signs what `signatureData` lists; the same values at the top level satisfy its typings.
  const key = { signingDomain: domain, selector: 'sel', privateKey, canonicalization: 'relaxed/relaxed' };
  const { signatures, errors } = await dkimSign(message, { ...key, signatureData: [key] });
  if (signatures === '') throw new Error(`DKIM signing failed: ${JSON.stringify(errors)}`);
  return signatures + message;
}

const noClient: Envelope = { mailFrom: 'jill@acme.com', rcptTo: [TOUCHPOINT_ADDRESS as Email] };
const smtpFrom = (ip: string): Envelope => ({ ...noClient, client: { ip, helo: 'mail.acme.com' } });

describe('sender authentication (gate G3)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openFixtureStore();
  });
  afterAll(async () => {
    await store.close();
  });

  const outcomeUnder = async (
    policy: 'off' | 'dmarc' | 'strict',
    raw: string,
    envelope: Envelope = noClient,
    trusted: string[] = [],
  ) => {
    await store.db
      .updateTable('workspaces')
      .set({ sender_auth_policy: policy, trusted_authserv_ids: JSON.stringify(trusted) })
      .execute();
    const deps = { ...fixedDependencies(store), verification: { resolver: DNS, authservId: OUR_ID } };
    return resolveMessage(deps, { raw: Buffer.from(raw), envelope });
  };
  const statusUnder = async (
    policy: 'off' | 'dmarc' | 'strict',
    raw: string,
    envelope?: Envelope,
    trusted?: string[],
  ) => {
    const outcome = await outcomeUnder(policy, raw, envelope, trusted);
    return outcome.reason === 'sender-not-authenticated' ? 'refused' : outcome.status;
  };

  it('an aligned DKIM signature passes under every policy', async () => {
    const raw = await signed('acme.com', acmeKey.privateKey);
    expect([
      await statusUnder('off', raw),
      await statusUnder('dmarc', raw),
      await statusUnder('strict', raw),
    ]).toEqual(['recorded', 'recorded', 'recorded']);
    const outcome = await outcomeUnder('dmarc', raw);
    expect(outcome.trace.find((t) => t.step === 'gate.authentication')?.detail).toContain(
      'dkim=pass (acme.com)',
    );
  });

  it('SPF from an allowed client aligned with the From passes', async () => {
    expect(await statusUnder('strict', MESSAGE, smtpFrom('192.0.2.10'))).toBe('recorded');
  });

  it('SPF fail with DMARC p=reject fails under dmarc and strict, and passes under off', async () => {
    const envelope = smtpFrom('198.51.100.7');
    expect(await statusUnder('dmarc', MESSAGE, envelope)).toBe('refused');
    expect(await statusUnder('strict', MESSAGE, envelope)).toBe('refused');
    expect(await statusUnder('off', MESSAGE, envelope)).toBe('recorded');
  });

  it.each([
    [
      'a broken signature',
      async () =>
        (await signed('acme.com', acmeKey.privateKey)).replace('the quote follows', 'pay to this account'),
    ],
    ['a valid signature of an unaligned domain', () => signed('other.example', otherKey.privateKey)],
    ['no signature', () => Promise.resolve(MESSAGE)],
  ] as const)(
    'without a client IP, %s is refused under strict, and accepted under dmarc as SPF is unknown',
    async (_name, make) => {
      const raw = await make();
      expect(await statusUnder('strict', raw)).toBe('refused');
      expect(await statusUnder('off', raw)).toBe('recorded');
      const outcome = await outcomeUnder('dmarc', raw);
      expect(outcome.status).toBe('recorded');
      expect(outcome.trace.find((t) => t.step === 'gate.authentication')?.detail).toContain(
        'spf unknown (no client IP',
      );
      // From SMTP, where SPF is known and fails, the same message fails DMARC.
      expect(await statusUnder('dmarc', raw, smtpFrom('198.51.100.7'))).toBe('refused');
    },
  );

  it('does not believe an Authentication-Results header claiming our own id, even if listed as trusted', async () => {
    const raw = `Authentication-Results: ${OUR_ID}; dkim=pass header.d=acme.com; spf=pass; dmarc=pass\r\n${MESSAGE}`;
    expect(await statusUnder('strict', raw, noClient, [OUR_ID])).toBe('refused');
    const outcome = await outcomeUnder('strict', raw, noClient, [OUR_ID]);
    expect(outcome.trace.find((t) => t.step === 'gate.authentication')?.detail).toContain(
      `ignored 1 Authentication-Results header(s) claiming to be ours (${OUR_ID})`,
    );
  });

  it('believes a trusted provider’s Authentication-Results, and only when trusted', async () => {
    const raw = `Authentication-Results: mx.provider.test; dkim=pass header.d=acme.com; spf=pass smtp.mailfrom=acme.com; dmarc=pass header.from=acme.com\r\n${MESSAGE}`;
    expect(await statusUnder('dmarc', raw, noClient, ['mx.provider.test'])).toBe('recorded');
    expect(await statusUnder('strict', raw, noClient, ['mx.provider.test'])).toBe('recorded');
    expect(await statusUnder('strict', raw, noClient, [])).toBe('refused');
  });

  describe('without a client IP, the Received header of a trusted receiving hop', () => {
    const received = (ip: string, by = 'mx.provider.test') =>
      `Received: from mail.acme.com (mail.acme.com [${ip}]) by ${by} (Postfix) with ESMTPS id 4Bx; Thu, 19 Nov 2026 15:04:06 +0000\r\n`;
    /** A provider's hop from one of its own internal machines, above the hop from the internet. */
    const internal = (ip: string) =>
      `Received: from relay.provider.test (relay.provider.test [${ip}]) by mx.provider.test with ESMTP id 7C; Thu, 19 Nov 2026 15:04:07 +0000\r\n`;

    it('checks SPF for the client it names, so an allowed client passes even under strict', async () => {
      const raw = `${received('192.0.2.10')}${MESSAGE}`;
      expect(await statusUnder('strict', raw, noClient, ['mx.provider.test'])).toBe('recorded');
      const outcome = await outcomeUnder('strict', raw, noClient, ['mx.provider.test']);
      expect(outcome.trace.find((t) => t.step === 'gate.authentication')?.detail).toContain(
        'spf=pass (client 192.0.2.10 from the Received header of mx.provider.test, trusted)',
      );
    });

    it('and a client SPF does not allow fails DMARC p=reject under dmarc', async () => {
      expect(
        await statusUnder('dmarc', `${received('198.51.100.7')}${MESSAGE}`, noClient, ['mx.provider.test']),
      ).toBe('refused');
    });

    it('passes over the provider’s internal hops', async () => {
      const raw = `${internal('10.1.2.3')}${internal('fd00::5')}${received('192.0.2.10')}${MESSAGE}`;
      expect(await statusUnder('strict', raw, noClient, ['mx.provider.test'])).toBe('recorded');
    });

    it('is not believed from a host the workspace does not trust, nor claiming our own name', async () => {
      expect(await statusUnder('strict', `${received('192.0.2.10')}${MESSAGE}`, noClient, [])).toBe(
        'refused',
      );
      expect(
        await statusUnder('strict', `${received('192.0.2.10', OUR_ID)}${MESSAGE}`, noClient, [OUR_ID]),
      ).toBe('refused');
    });

    it('reads nothing below the receiving hop: a forged Received there is never believed', async () => {
      // The trusted host took the message from 198.51.100.7; the header below it is the sender's own.
      const raw = `${received('198.51.100.7')}${received('192.0.2.10')}${MESSAGE}`;
      expect(await statusUnder('dmarc', raw, noClient, ['mx.provider.test'])).toBe('refused');
    });
  });

  it('a domain without DMARC is accepted under dmarc but needs aligned SPF or DKIM under strict', async () => {
    await store.db
      .insertInto('logins')
      .values({
        workspace_id: 'acme',
        email: 'kim@nodmarc.example',
        name: 'Kim',
        role: 'member',
        active: 1,
        created_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
      })
      .execute();
    const unsigned = MESSAGE.replace('From: Jill Hart <jill@acme.com>', 'From: Kim <kim@nodmarc.example>');
    expect(await statusUnder('dmarc', unsigned)).toBe('recorded');
    expect(await statusUnder('strict', unsigned)).toBe('refused');

    // Without a record, alignment is relaxed alignment to the From's organizational domain.
    const kim = (envelope: Envelope): Envelope => ({ ...envelope, mailFrom: 'kim@nodmarc.example' });
    expect(await statusUnder('strict', await signed('nodmarc.example', acmeKey.privateKey, unsigned))).toBe(
      'recorded',
    );
    expect(
      await statusUnder('strict', await signed('mail.nodmarc.example', acmeKey.privateKey, unsigned)),
    ).toBe('recorded');
    expect(await statusUnder('strict', await signed('other.example', otherKey.privateKey, unsigned))).toBe(
      'refused',
    );
    expect(await statusUnder('strict', unsigned, kim(smtpFrom('192.0.2.20')))).toBe('recorded');
    expect(await statusUnder('strict', unsigned, kim(smtpFrom('198.51.100.7')))).toBe('refused');
    // SPF passing for another domain's MAIL FROM says nothing about nodmarc.example.
    expect(await statusUnder('strict', unsigned, smtpFrom('192.0.2.10'))).toBe('refused');
  });

  it('a refused message gets no notice-worthy reason and keeps the findings in its trace', async () => {
    const outcome = await outcomeUnder('dmarc', MESSAGE, smtpFrom('198.51.100.7'));
    expect(outcome).toMatchObject({ status: 'failed', reason: 'sender-not-authenticated', scenario: null });
    expect(outcome.trace.find((t) => t.step === 'gate.authentication')?.detail).toMatch(
      /spf=fail.*dmarc=fail/,
    );
  });
});

describe('ARC from a trusted forwarder (gate G3)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openFixtureStore();
  });
  afterAll(async () => {
    await store.close();
  });
  const providerKey = keyPair();
  const resolver = stubResolver({
    'sel._domainkey.acme.com': acmeKey.record,
    'arc._domainkey.provider.test': providerKey.record,
    '_dmarc.acme.com': 'v=DMARC1; p=reject',
  });

  /** Jill's signed mail, then a forwarder that adds a footer (breaking DKIM) and seals what it found. */
  const forwarded = async () => {
    const original = await signed('acme.com', acmeKey.privateKey);
    const changed = `${original}-- \r\nSent through the provider's list\r\n`;
    const seal = await sealMessage(Buffer.from(changed), {
      signingDomain: 'provider.test',
      selector: 'arc',
      privateKey: providerKey.privateKey,
      authResults:
        'mx.provider.test; dkim=pass header.d=acme.com; spf=pass smtp.mailfrom=acme.com; dmarc=pass header.from=acme.com',
      cv: 'none',
    });
    return Buffer.concat([seal, Buffer.from(changed)]);
  };
  const statusWith = async (trusted: string[]) => {
    await store.db
      .updateTable('workspaces')
      .set({ sender_auth_policy: 'dmarc', trusted_authserv_ids: JSON.stringify(trusted) })
      .execute();
    const outcome = await resolveMessage(
      { ...fixedDependencies(store), verification: { resolver, authservId: OUR_ID } },
      { raw: await forwarded(), envelope: smtpFrom('203.0.113.9') },
    );
    return outcome.reason === 'sender-not-authenticated' ? 'refused' : outcome.status;
  };

  it('believes the ARC seal of a trusted forwarder when the forwarding broke DKIM', async () => {
    expect(await statusWith(['provider.test'])).toBe('recorded');
    expect(await statusWith(['mx.provider.test'])).toBe('recorded');
  });

  it('does not believe the same seal from a forwarder that is not trusted', async () => {
    expect(await statusWith([])).toBe('refused');
  });
});
