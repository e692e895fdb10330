// Sender verification with mailauth (SPF for the connecting client and MAIL FROM, DKIM, DMARC alignment).
// Mail that did not come by SMTP has no client of ours to check SPF against: a trusted provider's
// Authentication-Results header is believed instead, or SPF is checked for the client named in the
// Received header of a trusted receiving hop, or else SPF is unknown and only DKIM can pass (issue 25).
// DNS goes through a port.
import { authenticate, type AuthenticateResult, type DNSResolver } from 'mailauth';
import { getDomain } from 'tldts';
import type { AuthenticationFindings } from '../domain/sender-authentication.js';
import { headerValue, type Envelope, type ParsedMessage } from '../domain/message.js';
import { receivingHop } from './receiving-hop.js';

export type { DNSResolver };

export interface VerifyOptions {
  /** With `unanswered` (src/auth/dns-resolver.ts), a DNS outage is answered without mailauth's work. */
  readonly resolver: DNSResolver & { readonly unanswered?: (name: string) => boolean };
  /** Our own authserv-id (the SMTP host name): headers claiming it were not written by us. */
  readonly authservId: string;
  /** The workspace's trusted Authentication-Results issuers. */
  readonly trustedAuthservIds: readonly string[];
}

export async function verifySender(
  raw: Uint8Array,
  envelope: Envelope,
  message: Pick<ParsedMessage, 'headers' | 'from'>,
  options: VerifyOptions,
): Promise<AuthenticationFindings> {
  const ownId = options.authservId.toLowerCase();
  const headers = (message.headers.get('authentication-results') ?? []).map(parseAuthenticationResults);
  const forged = headers.filter((h) => h.authservId === ownId).length;
  const note =
    forged > 0 ? `; ignored ${forged} Authentication-Results header(s) claiming to be ours (${ownId})` : '';

  if (envelope.client === null || envelope.client === undefined) {
    const trusted = headers.find(
      (h) => h.authservId !== ownId && options.trustedAuthservIds.includes(h.authservId),
    );
    if (trusted !== undefined) {
      const dmarc = trusted.results.get('dmarc') ?? 'none';
      return {
        source: 'trusted-header',
        dmarc: toDmarc(dmarc),
        // A trusted issuer's DMARC pass stands for an aligned pass; its own SPF/DKIM words say the rest.
        spfAligned: dmarc === 'pass' && trusted.results.get('spf') === 'pass',
        dkimAligned: dmarc === 'pass' && trusted.results.get('dkim') === 'pass',
        summary: `Authentication-Results of ${trusted.authservId}: ${[...trusted.results].map(([k, v]) => `${k}=${v}`).join(' ')}${note}`,
      };
    }
  }

  const smtp = envelope.client !== null && envelope.client !== undefined;
  const hop = smtp ? null : receivingHop(message, options.trustedAuthservIds, ownId);
  const client = envelope.client ?? (hop === null ? null : { ip: hop.ip, helo: hop.helo });
  // Through a trusted hop: the envelope sender it saw, else the Return-Path of the final delivery.
  const sender = smtp
    ? (envelope.mailFrom ?? '')
    : (hop?.envelopeFrom ?? returnPath(message) ?? envelope.mailFrom ?? '');
  const outage = unansweredDomains(message, client === null ? null : sender, options.resolver);
  if (outage !== null)
    // SPEC §10: while the sender's DNS does not answer, a message without DKIM or ARC signatures can
    // only come out "temperror"; said at once, not by reading the whole message for nothing.
    return {
      source: smtp ? 'smtp' : hop !== null ? 'trusted-received' : 'message-only',
      dmarc: 'temperror',
      spfAligned: false,
      dkimAligned: false,
      summary: `spf=${client === null ? 'unknown' : 'temperror'} dkim=none dmarc=temperror (no DNS answer for ${outage} in the last minute: not asked again)${note}`,
    };
  const result = await authenticate(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), {
    resolver: options.resolver,
    mta: options.authservId,
    disableBimi: true,
    ...(client === null ? {} : { ip: client.ip, helo: client.helo ?? undefined, sender }),
  });
  const dkim = result.dkim.results.filter((r) => r.status.result === 'pass').map((r) => r.signingDomain);
  const spf = result.spf === false ? 'none' : result.spf.status.result;
  const dmarc = result.dmarc === false ? 'not-evaluated' : toDmarc(result.dmarc.status.result);
  const alignment = result.dmarc === false ? null : result.dmarc.alignment;
  const spfChecked = client !== null;
  const arc = trustedArc(result.arc, message, options.trustedAuthservIds, ownId);
  if (arc !== null && dmarc !== 'pass') return { ...arc, summary: `${arc.summary}${note}` };
  // mailauth aligns only while applying a DMARC record; without one, relaxed alignment is ours to judge.
  const fromDomains = new Set(result.dkim.headerFrom.map((a) => a.slice(a.lastIndexOf('@') + 1)));
  const fromDomain = fromDomains.size === 1 ? ([...fromDomains][0] ?? null) : null;
  const spfDomain = result.spf !== false && spf === 'pass' ? result.spf.domain : null;
  /** The From domain when it publishes no DMARC record. */
  const withoutRecord = dmarc === 'none' ? fromDomain : null;
  const spfWords = smtp
    ? `spf=${spf}`
    : hop !== null
      ? `spf=${spf} (client ${hop.ip} from the Received header of ${hop.by}, trusted)`
      : 'spf unknown (no client IP: not received by SMTP, and no Received or Authentication-Results header of a trusted host)';
  return {
    source: smtp ? 'smtp' : hop !== null ? 'trusted-received' : 'message-only',
    dmarc,
    spfAligned:
      spfChecked &&
      (withoutRecord !== null
        ? spfDomain !== null && relaxedAligned(spfDomain, withoutRecord)
        : typeof alignment?.spf.result === 'string' && alignment.spf.result !== ''),
    dkimAligned:
      withoutRecord !== null
        ? dkim.some((domain) => domain !== undefined && relaxedAligned(domain, withoutRecord))
        : typeof alignment?.dkim.result === 'string' && alignment.dkim.result !== '',
    summary: `${spfWords} dkim=${dkim.length > 0 ? `pass (${dkim.join(', ')})` : 'none or fail'} dmarc=${dmarc}${note}`,
  };
}

/**
 * A forwarder the workspace trusts (the team's mail provider, a list server) may have changed the
 * message and broken its DKIM; if it sealed what it found with ARC (RFC 8617), and the chain verifies,
 * its ARC-Authentication-Results are believed. Trusted by the sealing domain or the results' issuer.
 */
function trustedArc(
  arc: AuthenticateResult['arc'],
  message: Pick<ParsedMessage, 'headers'>,
  trusted: readonly string[],
  ownId: string,
): AuthenticationFindings | null {
  if (arc === false || arc.status.result !== 'pass' || arc.i === false) return null;
  const sealer = (
    arc.signature === false || arc.signature === undefined ? '' : (arc.signature.signingDomain ?? '')
  ).toLowerCase();
  const instance = String(arc.i);
  const aar = (message.headers.get('arc-authentication-results') ?? [])
    .map((value) => {
      const match = /^\s*i\s*=\s*(\d+)\s*;(.*)$/s.exec(value);
      return match === null ? null : { i: match[1], results: parseAuthenticationResults(match[2] ?? '') };
    })
    .find((entry) => entry !== null && entry.i === instance)?.results;
  if (aar === undefined || aar.authservId === ownId) return null;
  if (!trusted.includes(sealer) && !trusted.includes(aar.authservId)) return null;
  const dmarc = aar.results.get('dmarc') ?? 'none';
  return {
    source: 'trusted-header',
    dmarc: toDmarc(dmarc),
    spfAligned: dmarc === 'pass' && aar.results.get('spf') === 'pass',
    dkimAligned: dmarc === 'pass' && aar.results.get('dkim') === 'pass',
    summary: `ARC sealed by ${sealer} (trusted), which found: ${[...aar.results].map(([k, v]) => `${k}=${v}`).join(' ')}`,
  };
}

/**
 * Relaxed identifier alignment (RFC 7489 §3.1.1) for a From domain that publishes no DMARC record: the
 * authenticated domain and the From domain share their organizational domain (the registrable domain
 * of the Public Suffix List, private suffixes included, as mailauth does), so a signature of
 * `mail.acme.com` aligns with `acme.com` but one of `acme.github.io` does not with `other.github.io`.
 */
export function relaxedAligned(authenticated: string, from: string): boolean {
  const a = authenticated.toLowerCase().replace(/\.$/, '');
  const f = from.toLowerCase().replace(/\.$/, '');
  if (a === f) return true;
  const organization = (domain: string) => getDomain(domain, { allowPrivateDomains: true }) ?? domain;
  return organization(a) === organization(f);
}

/** The address of the topmost Return-Path (RFC 5321 §4.4: written by the final delivery). */
function returnPath(message: Pick<ParsedMessage, 'headers'>): string | null {
  const address = headerValue(message, 'return-path')?.replace(/[<>\s]/g, '') ?? '';
  return address === '' ? null : address;
}

function toDmarc(result: string): AuthenticationFindings['dmarc'] {
  return result === 'pass' ||
    result === 'fail' ||
    result === 'none' ||
    result === 'temperror' ||
    result === 'permerror'
    ? result
    : result === 'temperr'
      ? 'temperror'
      : 'none';
}

/** `mx.provider.com 1; dkim=pass header.d=acme.com; spf=pass …; dmarc=pass …` → issuer and results. */
function parseAuthenticationResults(value: string): { authservId: string; results: Map<string, string> } {
  const [id = '', ...rest] = value.replace(/\([^)]*\)/g, ' ').split(';');
  const results = new Map<string, string>();
  for (const part of rest) {
    const match = /^\s*(dkim|spf|dmarc|arc)\s*=\s*([a-z]+)/i.exec(part);
    if (match?.[1] !== undefined && match[2] !== undefined && !results.has(match[1].toLowerCase()))
      results.set(match[1].toLowerCase(), match[2].toLowerCase());
  }
  return { authservId: id.trim().split(/\s+/)[0]?.toLowerCase() ?? '', results };
}

/**
 * The domains whose DNS went unanswered in the last minute when they decide this message alone: its
 * From domain (DMARC) and, when SPF is checked, its envelope sender's; null when DNS is not out for
 * them, or when the message carries a signature (DKIM, ARC) that could still pass without them.
 */
function unansweredDomains(
  message: Pick<ParsedMessage, 'headers' | 'from'>,
  spfSender: string | null,
  resolver: VerifyOptions['resolver'],
): string | null {
  const unanswered = resolver.unanswered;
  if (unanswered === undefined || message.from === null) return null;
  if (message.headers.has('dkim-signature') || message.headers.has('arc-seal')) return null;
  const from = message.from.email.slice(message.from.email.lastIndexOf('@') + 1);
  if (!unanswered(from)) return null;
  if (spfSender === null) return from;
  const at = spfSender.lastIndexOf('@');
  const envelope = at < 0 ? '' : spfSender.slice(at + 1).toLowerCase();
  if (envelope === '' || !unanswered(envelope)) return null;
  return envelope === from ? from : `${from} and ${envelope}`;
}
