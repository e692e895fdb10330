// The DNS port of sender verification against real sockets: node's resolver asks a UDP server run here
// that never answers, or answers SERVFAIL or NXDOMAIN (SPEC §10: when DNS does not answer, a sender
// domain costs one timeout, not one per message).
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { FAILURE_MS, systemResolver, type ResolverOptions } from '../../src/auth/dns-resolver.js';
import { verifySender } from '../../src/auth/verify-sender.js';
import type { Email } from '../../src/domain/address.js';

type Behaviour = 'never' | 'servfail' | 'nxdomain';

/** A DNS server on a local UDP port; `queries` lists the names it was asked, in order. */
async function dnsServer(behaviour: Behaviour) {
  const socket = createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (query, peer) => {
    queries.push(questionName(query));
    if (behaviour === 'never') return;
    // The query sent back as a response (QR set, recursion available) with the rcode (RFC 1035 §4.1.1).
    const reply = Buffer.from(query);
    reply[2] = 0x80 | ((query[2] ?? 0) & 0x01);
    reply[3] = 0x80 | (behaviour === 'servfail' ? 2 : 3);
    socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const server = {
    queries,
    resolver: (options: ResolverOptions = {}) =>
      systemResolver({
        servers: [`127.0.0.1:${socket.address().port}`],
        timeoutMs: 100,
        tries: 1,
        ...options,
      }),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
  running.push(server);
  return server;
}

function questionName(query: Buffer): string {
  const labels: string[] = [];
  for (let at = 12; at < query.length && (query[at] ?? 0) > 0; at += (query[at] ?? 0) + 1)
    labels.push(query.subarray(at + 1, at + 1 + (query[at] ?? 0)).toString('latin1'));
  return labels.join('.');
}

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

/** The error code a lookup failed with, and how long it took. */
async function failure(answer: Promise<unknown>): Promise<{ code: unknown; ms: number }> {
  const started = performance.now();
  try {
    await answer;
  } catch (error) {
    return {
      code: typeof error === 'object' && error !== null && 'code' in error ? error.code : error,
      ms: performance.now() - started,
    };
  }
  throw new Error('the lookup did not fail');
}

describe('DNS for sender verification', () => {
  it('a name nobody answers costs one timeout; lookups of it in the next minute fail at once', async () => {
    const server = await dnsServer('never');
    const resolve = server.resolver();
    expect(await failure(resolve('acme.com', 'TXT'))).toMatchObject({ code: 'ETIMEOUT' });
    const again = await Promise.all(Array.from({ length: 20 }, () => failure(resolve('acme.com', 'TXT'))));
    expect(again.map((f) => f.code)).toEqual(Array(20).fill('ETIMEOUT'));
    expect(Math.max(...again.map((f) => f.ms))).toBeLessThan(50);
    expect(server.queries).toEqual(['acme.com']);
  });

  it('lookups of one name and type asked at once share one query', async () => {
    const server = await dnsServer('never');
    const resolve = server.resolver();
    const all = await Promise.all(Array.from({ length: 20 }, () => failure(resolve('acme.com', 'TXT'))));
    expect(all.map((f) => f.code)).toEqual(Array(20).fill('ETIMEOUT'));
    expect(server.queries).toEqual(['acme.com']);
  });

  it('after no answer, the other names of the same domain fail at once, other domains are still asked', async () => {
    const server = await dnsServer('never');
    const resolve = server.resolver();
    await failure(resolve('acme.com', 'TXT'));
    const dmarc = await failure(resolve('_dmarc.acme.com', 'TXT'));
    expect(dmarc.code).toBe('ETIMEOUT');
    expect(dmarc.ms).toBeLessThan(50);
    expect(await failure(resolve('sel._domainkey.mail.acme.com', 'TXT'))).toMatchObject({ code: 'ETIMEOUT' });
    expect(await failure(resolve('globex.com', 'TXT'))).toMatchObject({ code: 'ETIMEOUT' });
    expect(server.queries).toEqual(['acme.com', 'globex.com']);
  });

  it('says which domains went unanswered in the last minute, and lets sender verification skip them', async () => {
    const server = await dnsServer('never');
    let now = 1_000_000;
    const resolve = server.resolver({ now: () => now });
    expect(resolve.unanswered('acme.com')).toBe(false);
    await failure(resolve('acme.com', 'TXT'));
    expect(resolve.unanswered('acme.com')).toBe(true);
    expect(resolve.unanswered('_dmarc.mail.acme.com')).toBe(true);
    expect(resolve.unanswered('globex.com')).toBe(false);
    const raw = Buffer.from(
      'From: Jill <jill@acme.com>\r\nTo: bob@globex.com\r\nSubject: Hi\r\n\r\nHello.\r\n',
    );
    const headers = new Map<string, string[]>();
    const from = { email: 'jill@acme.com' as Email, name: 'Jill' };
    const options = { resolver: resolve, authservId: 'mx.touchmail.test', trustedAuthservIds: [] };
    const envelope = {
      mailFrom: 'jill@acme.com',
      rcptTo: [],
      client: { ip: '192.0.2.1', helo: 'mail.acme.com' },
    };
    const findings = await verifySender(raw, envelope, { headers, from }, options);
    expect(findings).toMatchObject({
      source: 'smtp',
      dmarc: 'temperror',
      spfAligned: false,
      dkimAligned: false,
    });
    expect(findings.summary).toContain('no DNS answer for acme.com in the last minute');
    // A signed message still goes through verification: its signature could pass on its own.
    const signed = await verifySender(
      raw,
      envelope,
      { headers: new Map([['dkim-signature', ['v=1']]]), from },
      options,
    );
    expect(signed.summary).not.toContain('in the last minute');
    now += FAILURE_MS + 1;
    expect(resolve.unanswered('acme.com')).toBe(false);
    expect(server.queries).toEqual(['acme.com']);
  });

  it('a failure is forgotten after about a minute', async () => {
    const server = await dnsServer('never');
    let now = 1_000_000;
    const resolve = server.resolver({ now: () => now });
    await failure(resolve('acme.com', 'TXT'));
    now += FAILURE_MS - 1;
    await failure(resolve('acme.com', 'TXT'));
    expect(server.queries).toHaveLength(1);
    now += 2;
    await failure(resolve('acme.com', 'TXT'));
    expect(server.queries).toEqual(['acme.com', 'acme.com']);
  });

  it('SERVFAIL is remembered for that name and type only', async () => {
    const server = await dnsServer('servfail');
    const resolve = server.resolver();
    expect(await failure(resolve('acme.com', 'TXT'))).toMatchObject({ code: 'ESERVFAIL' });
    const asked = server.queries.length;
    expect(await failure(resolve('acme.com', 'TXT'))).toMatchObject({ code: 'ESERVFAIL' });
    expect(server.queries).toHaveLength(asked);
    expect(await failure(resolve('_dmarc.acme.com', 'TXT'))).toMatchObject({ code: 'ESERVFAIL' });
    expect(server.queries.length).toBeGreaterThan(asked);
  });

  it('NXDOMAIN is an answer, not a failure: it is not remembered here', async () => {
    const server = await dnsServer('nxdomain');
    const resolve = server.resolver();
    expect(await failure(resolve('_dmarc.acme.com', 'TXT'))).toMatchObject({ code: 'ENOTFOUND' });
    expect(await failure(resolve('_dmarc.acme.com', 'TXT'))).toMatchObject({ code: 'ENOTFOUND' });
    expect(server.queries).toEqual(['_dmarc.acme.com', '_dmarc.acme.com']);
  });

  it('keeps a bounded number of entries, dropping the oldest', async () => {
    const server = await dnsServer('never');
    // Each unanswered name takes two entries: the name and its domain.
    const resolve = server.resolver({ maxEntries: 4 });
    for (const name of ['a.example', 'b.example', 'c.example', 'b.example', 'a.example'])
      await failure(resolve(name, 'TXT'));
    expect(server.queries).toEqual(['a.example', 'b.example', 'c.example', 'a.example']);
  });
});
