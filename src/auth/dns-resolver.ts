// The DNS port of sender verification: the system resolver with short timeouts and a small cache (one
// message needs several lookups, and a team's mail comes from a few domains).
import { Resolver } from 'node:dns/promises';
import type { DNSResolver } from 'mailauth';

/** Answers are kept this long: far below usual TTLs of TXT records, enough to spare repeated lookups. */
const CACHE_MS = 5 * 60 * 1000;
const CACHE_ENTRIES = 10_000;

export function systemResolver(): DNSResolver {
  const dns = new Resolver({ timeout: 2_000, tries: 2 });
  const cache = new Map<string, { at: number; answer: Promise<string[][] | string[]> }>();
  return (name, rrtype) => {
    const key = `${rrtype} ${name.toLowerCase()}`;
    const hit = cache.get(key);
    if (hit !== undefined && Date.now() - hit.at < CACHE_MS) return hit.answer;
    const answer = lookup(dns, name, rrtype);
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value ?? '');
    cache.set(key, { at: Date.now(), answer });
    // Failures are not kept: a timeout now says nothing of a minute later.
    answer.catch(() => cache.delete(key));
    return answer;
  };
}

function lookup(dns: Resolver, name: string, rrtype: string): Promise<string[][] | string[]> {
  switch (rrtype) {
    case 'TXT':
      return dns.resolveTxt(name);
    case 'MX':
      return dns.resolveMx(name).then((records) => records.map((r) => r.exchange));
    case 'A':
      return dns.resolve4(name);
    case 'AAAA':
      return dns.resolve6(name);
    case 'PTR':
      return dns.resolvePtr(name);
    case 'CNAME':
      return dns.resolveCname(name);
    default:
      return Promise.reject(
        Object.assign(new Error(`${rrtype} lookups are not supported`), { code: 'ENOTIMP' }),
      );
  }
}
