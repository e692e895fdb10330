// Public mailbox providers (gmail.com, outlook.com, …): their domains say nothing about who a person
// works for, so they are never internal (SPEC §4) nor a customer domain for the fallback (SPEC §5 B).
import { getDomain } from 'tldts';
import providerDomains from 'email-providers';

/** The maintained list of the `email-providers` package (several thousand domains, refreshed monthly). */
const PROVIDERS: ReadonlySet<string> = new Set(providerDomains);

/** True when `domain` (normalized, punycode) belongs to a public mailbox provider. */
export function isPublicMailboxDomain(domain: string): boolean {
  if (PROVIDERS.has(domain)) return true;
  const registrable = getDomain(domain, { allowPrivateDomains: false });
  return registrable !== null && registrable !== domain && PROVIDERS.has(registrable);
}
