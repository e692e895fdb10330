// The DNS port of sender verification: the system resolver (or the configured servers) with short
// timeouts, a small cache (one message needs several lookups, and a team's mail comes from a few
// domains), and a memory of failures: when DNS does not answer, a sender domain costs one timeout, not
// one per message (SPEC §10).
import { Resolver } from 'node:dns/promises';
import type { DNSResolver } from 'mailauth';
import { getDomain } from 'tldts';

/** Answers are kept this long: far below usual TTLs of TXT records, enough to spare repeated lookups. */
const ANSWER_MS = 5 * 60 * 1000;
/**
 * Failures are kept this long: long enough that a burst of mail from a domain whose DNS is down waits
 * once, short enough that a domain is asked again soon after it recovers (SPEC §10: "a short while").
 */
export const FAILURE_MS = 60 * 1000;
/** Entries at most (answers, failures and lookups in flight together); the oldest goes first. */
export const CACHE_ENTRIES = 10_000;
/**
 * Each server is asked twice, the second time waiting twice as long (c-ares backs off): about 4 s in
 * all for a server that never answers, instead of 7 s at 2 s a try.
 */
const TIMEOUT_MS = 1_000;
const TRIES = 2;

/**
 * The name or the record does not exist (RFC 2308 NXDOMAIN, NODATA): answers, not failures. The
 * system resolver caches them per the zone's negative TTL; they are not kept here.
 */
const ANSWERS = new Set(['ENOTFOUND', 'ENODATA']);
/**
 * Nobody answered at all: the domain's servers (or ours) are unreachable, so every other name of the
 * same organizational domain would wait just as long. SERVFAIL and the like stay per name and type:
 * one broken record (a lame `_domainkey` delegation) says nothing of the domain's other records.
 */
const NO_ANSWER = new Set(['ETIMEOUT', 'ECONNREFUSED']);

export interface ResolverOptions {
  /** `ip` or `ip:port` of the servers to ask; empty = the system's (`/etc/resolv.conf`). */
  readonly servers?: readonly string[];
  readonly timeoutMs?: number;
  readonly tries?: number;
  readonly maxEntries?: number;
  /** The clock failures and answers age by (a port, so tests control it). */
  readonly now?: () => number;
}

/** A resolver that also says whether a domain went unanswered in the last minute. */
export type RememberingResolver = DNSResolver & {
  /**
   * True while a lookup under `name`'s organizational domain got no answer at all (timeout, refused)
   * within FAILURE_MS: every lookup of that domain fails at once meanwhile.
   */
  readonly unanswered: (name: string) => boolean;
};

export function systemResolver(options: ResolverOptions = {}): RememberingResolver {
  const dns = new Resolver({ timeout: options.timeoutMs ?? TIMEOUT_MS, tries: options.tries ?? TRIES });
  if (options.servers !== undefined && options.servers.length > 0) dns.setServers([...options.servers]);
  return remembering((name, rrtype) => lookup(dns, name, rrtype), options);
}

type Answer = ReturnType<DNSResolver>;

/**
 * Shares one lookup among everyone asking for the same name and type while it is in flight, keeps
 * answers for ANSWER_MS and failures for FAILURE_MS, and after a lookup nobody answered, fails the
 * other names of its organizational domain at once for FAILURE_MS.
 */
function remembering(lookup: DNSResolver, options: ResolverOptions): RememberingResolver {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? CACHE_ENTRIES;
  const cache = new Map<string, { readonly until: number; readonly answer: Answer }>();
  const fresh = (key: string) => {
    const hit = cache.get(key);
    if (hit === undefined) return undefined;
    if (hit.until > now()) return hit.answer;
    cache.delete(key);
    return undefined;
  };
  const keep = (key: string, answer: Answer, ms: number) => {
    cache.delete(key); // re-inserted last: the Map's order is the eviction order
    while (cache.size >= maxEntries) cache.delete(cache.keys().next().value ?? '');
    cache.set(key, { until: now() + ms, answer });
  };

  const domainKey = (host: string) =>
    `* ${getDomain(host, { allowPrivateDomains: true, validateHostname: false }) ?? host}`;
  const resolve: DNSResolver = (name, rrtype) => {
    const host = name.toLowerCase().replace(/\.$/, '');
    const key = `${rrtype} ${host}`;
    const domain = domainKey(host);
    const hit = fresh(key);
    if (hit !== undefined) return hit;
    const unanswered = fresh(domain);
    if (unanswered !== undefined)
      return unanswered.then(undefined, (error: unknown) => {
        // The same failure, named for this lookup (mailauth reports the code as a temperror).
        const code = codeOf(error);
        throw Object.assign(
          new Error(`${rrtype} ${name}: ${code} (no answer for ${domain.slice(2)} in the last minute)`),
          { code },
        );
      });
    const answer = lookup(name, rrtype);
    keep(key, answer, ANSWER_MS);
    answer.then(undefined, (error: unknown) => {
      const code = codeOf(error);
      // Evicted and asked again meanwhile: the newer lookup's entry stays.
      if (cache.has(key) && cache.get(key)?.answer !== answer) return;
      if (ANSWERS.has(code)) {
        cache.delete(key);
        return;
      }
      keep(key, answer, FAILURE_MS);
      if (NO_ANSWER.has(code)) keep(domain, answer, FAILURE_MS);
    });
    return answer;
  };
  const unanswered = (name: string) => {
    const entry = cache.get(domainKey(name.toLowerCase().replace(/\.$/, '')));
    return entry !== undefined && entry.until > now();
  };
  return Object.assign(resolve, { unanswered });
}

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : 'EUNKNOWN';
}

function lookup(dns: Resolver, name: string, rrtype: string): Answer {
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
